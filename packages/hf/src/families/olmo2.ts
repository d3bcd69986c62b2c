/**
 * OLMo 2 (transformers models/olmo2/modeling_olmo2.py): no input norms, an RMSNorm on each
 * sublayer's output inside the residual (x + norm(f(x))), and RMSNorm QK-norm over the whole
 * q projection (n_heads * head_dim) and k projection (n_kv_heads * head_dim) before RoPE.
 * The QK-norm uses `rms_norm_eps`, like every other norm. Fields that config.json omits get
 * Olmo2Config's defaults (models/olmo2/configuration_olmo2.py): rms_norm_eps 1e-5, untied embeddings,
 * attention_bias false. `attention_bias` puts biases on q_proj, k_proj, v_proj and o_proj, added
 * before the QK-norm, as archzoo's `qkv_bias` and `out_bias` do.
 *
 * Export leaves OLMo 2's z-loss out, as every layout does (see `checkStability`).
 */
import type { ModelConfig, ResolvedConfig } from '@archzoo/core';

import { checkBlock, checkCausalAttention, checkFfnType, checkRope, checkStability, llamaBaseFields, stabilityOf, uniformOption } from '../export-config.js';
import type { Family, RejectLayout } from '../family.js';
import { boolField, type HfConfig, numberField } from '../hf-config.js';
import { llamaBase, type LlamaBaseDefaults, llamaStyleTensor } from './llama.js';

const REORDERED_NORMS: Record<string, string> = { attn_post_norm: 'post_attention_layernorm', ffn_post_norm: 'post_feedforward_layernorm' };
const QK_NORMS: Record<string, string> = {
  'stability.qk_norm.q_norm.weight': 'self_attn.q_norm.weight',
  'stability.qk_norm.k_norm.weight': 'self_attn.k_norm.weight',
};

/** Olmo2Config's defaults of the fields `llamaBase` reads. */
const OLMO2_DEFAULTS: LlamaBaseDefaults = { rmsNormEps: 1e-5, tieWordEmbeddings: false };

function olmo2Config(hf: HfConfig): ModelConfig {
  const base = llamaBase(hf, OLMO2_DEFAULTS);
  const eps = numberField(hf, 'rms_norm_eps', OLMO2_DEFAULTS.rmsNormEps);
  const bias = boolField(hf, 'attention_bias', false);
  return {
    ...base,
    attention: { type: 'causal', qkv_bias: bias, out_bias: bias },
    norm: { type: 'rmsnorm', eps },
    block: { placement: 'reordered' },
    stability: [{ type: 'qk_norm', scope: 'projection', eps }],
  };
}

function olmo2ToHf(config: ResolvedConfig, reject: RejectLayout): HfConfig {
  const { norm } = config;
  if (norm.type !== 'rmsnorm' || norm.unit_offset) reject(`norm is ${JSON.stringify(norm)}, not RMSNorm without the (1 + w) offset`);
  checkBlock(config, 'reordered', reject);
  checkRope(config, reject);
  checkStability(config, ['qk_norm'], reject);
  const qkNorm = stabilityOf(config, 'qk_norm');
  if (qkNorm === undefined) reject('stability does not list qk_norm, but olmo2 normalises the q and k projections');
  if (qkNorm.scope !== 'projection' || qkNorm.unit_offset || qkNorm.eps !== norm.eps) {
    reject(`qk_norm is ${JSON.stringify(qkNorm)}, but olmo2 normalises the whole projections without the (1 + w) offset, with rms_norm_eps (${String(norm.eps)})`);
  }
  checkFfnType(config, 'swiglu', reject);
  if (uniformOption<boolean>(config, 'ffn', 'bias', reject)) reject('ffn.bias is true, but olmo2 has no FFN biases');
  checkCausalAttention(config, reject);
  config.layers.forEach((slots, layer) => {
    // NOTE: import reads attention_bias true, but export writes only attention_bias false.
    if (slots.attention.qkv_bias || slots.attention.out_bias) reject(`layer ${layer} has attention biases, but olmo2 has none`);
    if (slots.attention.window !== undefined) reject(`layer ${layer} has a sliding window of ${String(slots.attention.window)} tokens, but olmo2 attends to the whole context on every layer`);
  });

  return { architectures: ['Olmo2ForCausalLM'], model_type: 'olmo2', ...llamaBaseFields(config, reject), hidden_act: 'silu', attention_bias: false };
}

export const olmo2Family: Family = {
  modelTypes: ['olmo2'],
  toArchzoo: olmo2Config,
  hfTensor: (name) => llamaStyleTensor(name, REORDERED_NORMS, QK_NORMS),
  ignored: /\.rotary_emb\.inv_freq$/,
  exportLayout: 'olmo2 (reordered RMSNorm x + norm(f(x)), RoPE, SwiGLU, QK-norm over the whole projections, no biases)',
  ownsLayout: (config) => config.block.placement === 'reordered',
  toHf: olmo2ToHf,
};
