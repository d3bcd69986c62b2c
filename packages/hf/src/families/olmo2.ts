/**
 * OLMo 2 (transformers models/olmo2/modeling_olmo2.py): no input norms, an RMSNorm on each
 * sublayer's output inside the residual (x + norm(f(x))), and RMSNorm QK-norm over the whole
 * q projection (n_heads * head_dim) and k projection (n_kv_heads * head_dim) before RoPE.
 */
import type { ModelConfig } from '@archzoo/core';

import type { Family } from '../family.js';
import { type HfConfig, numberField } from '../hf-config.js';
import { llamaBase, llamaStyleTensor } from './llama.js';

const REORDERED_NORMS: Record<string, string> = { attn_post_norm: 'post_attention_layernorm', ffn_post_norm: 'post_feedforward_layernorm' };
const QK_NORMS: Record<string, string> = {
  'stability.qk_norm.q_norm.weight': 'self_attn.q_norm.weight',
  'stability.qk_norm.k_norm.weight': 'self_attn.k_norm.weight',
};

function olmo2Config(hf: HfConfig): ModelConfig {
  const base = llamaBase(hf, 1e-5);
  const eps = numberField(hf, 'rms_norm_eps', 1e-5);
  return {
    ...base,
    norm: { type: 'rmsnorm', eps },
    block: { placement: 'reordered' },
    stability: [{ type: 'qk_norm', scope: 'projection', eps }],
  };
}

export const olmo2Family: Family = {
  modelTypes: ['olmo2'],
  toArchzoo: olmo2Config,
  hfTensor: (name) => llamaStyleTensor(name, REORDERED_NORMS, QK_NORMS),
  ignored: /\.rotary_emb\.inv_freq$/,
};
