/**
 * GPT-2 (transformers models/gpt2/modeling_gpt2.py): pre-norm LayerNorm with biases, learned
 * positions, a GELU MLP, biases everywhere and tied embeddings. Its projections are `Conv1D`
 * layers whose weights are already [in, out], and q, k and v are fused in one `c_attn` projection
 * whose output columns are q | k | v.
 *
 * GPT-2 attends densely on every layer, so export rejects GPT-3-style banded (sliding-window)
 * layers. It writes tensor names under `transformer.`, as GPT2LMHeadModel saves them.
 *
 * GPT2Config (transformers models/gpt2/configuration_gpt2.py) defaults `embd_pdrop`, `attn_pdrop`
 * and `resid_pdrop` to 0.1. They drop out at the same places as archzoo's embedding, attention and
 * residual dropout, so import reads them into the dropout config and export writes the run's rates,
 * 0 included.
 */
import { ConfigError, type ModelConfig, type ResolvedConfig } from '@archzoo/core';

import {
  attentionDropoutOf,
  checkBlock,
  checkCausalAttention,
  checkFfnType,
  checkSamePositionOnEveryLayer,
  checkStability,
  layerWindows,
  uniformOption,
} from '../export-config.js';
import { layerName, type Family, type HfTensorRef, type RejectLayout } from '../family.js';
import { boolField, dropoutField, type HfConfig, intField, numberField } from '../hf-config.js';

/** GPT2Config's default of `embd_pdrop`, `attn_pdrop` and `resid_pdrop`. */
const GPT2_DEFAULT_DROPOUT = 0.1;

/** GPT-2 `activation_function` values and the archzoo MLP activation each names. */
const ACTIVATIONS: Record<string, string> = { gelu_new: 'gelu_tanh', gelu_pytorch_tanh: 'gelu_tanh', gelu: 'gelu', relu: 'relu' };

function gpt2Config(hf: HfConfig): ModelConfig {
  const activation = (hf.activation_function as string | undefined) ?? 'gelu_new';
  if (!Object.hasOwn(ACTIVATIONS, activation)) {
    throw new ConfigError(`config.json: activation_function must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got ${JSON.stringify(activation)}`);
  }
  for (const field of ['scale_attn_by_inverse_layer_idx', 'reorder_and_upcast_attn'] as const) {
    if (boolField(hf, field, false)) throw new ConfigError(`config.json: ${field} true is not supported by archzoo; only the standard GPT-2 attention is`);
  }
  if (!boolField(hf, 'scale_attn_weights', true)) {
    throw new ConfigError('config.json: scale_attn_weights false is not supported by archzoo; GPT-2 checkpoints scale scores by 1/sqrt(head_dim)');
  }
  const dModel = intField(hf, 'n_embd');
  return {
    vocab_size: intField(hf, 'vocab_size'),
    d_model: dModel,
    n_layers: intField(hf, 'n_layer'),
    n_heads: intField(hf, 'n_head'),
    d_ff: intField(hf, 'n_inner', 4 * dModel),
    context_length: intField(hf, 'n_positions'),
    norm: { type: 'layernorm', eps: numberField(hf, 'layer_norm_epsilon', 1e-5) },
    position: { type: 'learned' },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'mlp', activation: ACTIVATIONS[activation]!, bias: true },
    tie_embeddings: boolField(hf, 'tie_word_embeddings', true),
    dropout: {
      embedding: dropoutField(hf, 'embd_pdrop', GPT2_DEFAULT_DROPOUT),
      attention: dropoutField(hf, 'attn_pdrop', GPT2_DEFAULT_DROPOUT),
      residual: dropoutField(hf, 'resid_pdrop', GPT2_DEFAULT_DROPOUT),
    },
  };
}

const FUSED_QKV: Record<string, number> = { q_proj: 0, k_proj: 1, v_proj: 2 };
const LAYER_MODULES: Record<string, string> = { attn_norm: 'ln_1', ffn_norm: 'ln_2', 'attn.o_proj': 'attn.c_proj', 'ffn.fc_in': 'mlp.c_fc', 'ffn.fc_out': 'mlp.c_proj' };

function gpt2Tensor(name: string): HfTensorRef {
  const plain = (hfName: string): HfTensorRef => ({ name: hfName, transpose: false });
  if (name === 'embed.weight') return plain('wte.weight');
  if (name === 'position.weight') return plain('wpe.weight');
  if (name === 'final_norm.weight') return plain('ln_f.weight');
  if (name === 'final_norm.bias') return plain('ln_f.bias');
  // An untied GPT-2 head is an nn.Linear ([V, D]), unlike the Conv1D layers.
  if (name === 'lm_head.weight') return { name: 'lm_head.weight', transpose: true };
  const inLayer = layerName(name);
  if (inLayer) {
    const prefix = `h.${inLayer.layer}`;
    const parts = inLayer.rest.split('.');
    const param = parts.pop()!;
    const module = parts.join('.');
    const fused = module.startsWith('attn.') ? FUSED_QKV[module.slice(5)] : undefined;
    if (fused !== undefined) return { name: `${prefix}.attn.c_attn.${param}`, transpose: false, part: { index: fused, count: 3 } };
    if (LAYER_MODULES[module]) return plain(`${prefix}.${LAYER_MODULES[module]}.${param}`);
  }
  throw new ConfigError(`archzoo parameter ${name} has no GPT-2 counterpart; the config uses a slot GPT-2 does not have`);
}

/** Returns the `activation_function` of an archzoo MLP activation: the first name `ACTIVATIONS` maps to it. */
function activationFunctionOf(activation: string, reject: RejectLayout): string {
  const name = Object.keys(ACTIVATIONS).find((candidate) => ACTIVATIONS[candidate] === activation);
  if (name === undefined) {
    const supported = [...new Set(Object.values(ACTIVATIONS))].join(', ');
    return reject(`ffn.activation is "${activation}", which gpt2's activation_function cannot name; gpt2 supports ${supported}`);
  }
  return name;
}

/** Lists the banded layers by window, e.g. `layers 1, 3 have a sliding window of 16 tokens`; undefined when every layer is dense. */
function describeBandedLayers(windows: ReadonlyArray<number | null>): string | undefined {
  const layersByWindow = new Map<number, number[]>();
  windows.forEach((window, layer) => {
    if (window !== null) layersByWindow.set(window, [...(layersByWindow.get(window) ?? []), layer]);
  });
  if (layersByWindow.size === 0) return undefined;
  const shownLayers = 4;
  const groups = [...layersByWindow].map(([window, layers]) => {
    const more = layers.length > shownLayers ? ` and ${layers.length - shownLayers} more` : '';
    const subject = layers.length === 1 ? `layer ${layers[0]} has` : `layers ${layers.slice(0, shownLayers).join(', ')}${more} have`;
    return `${subject} a sliding window of ${window} tokens`;
  });
  return groups.join(' and ');
}

function gpt2ToHf(config: ResolvedConfig, reject: RejectLayout): HfConfig {
  const { dims, norm } = config;
  if (norm.type !== 'layernorm' || !norm.affine || !norm.bias || norm.unit_offset) reject(`norm is ${JSON.stringify(norm)}, not LayerNorm with a weight and a bias`);
  checkBlock(config, 'pre', reject);
  if (config.position.type !== 'learned') reject(`position is ${JSON.stringify(config.position)}, not learned positions`);
  checkSamePositionOnEveryLayer(config, reject);
  checkStability(config, [], reject);
  checkFfnType(config, 'mlp', reject);
  if (!uniformOption<boolean>(config, 'ffn', 'bias', reject)) reject('ffn.bias is false, but gpt2 has biases on c_fc and c_proj');
  const activation = activationFunctionOf(uniformOption<string>(config, 'ffn', 'activation', reject), reject);
  checkCausalAttention(config, reject);
  config.layers.forEach((slots, layer) => {
    if (!slots.attention.qkv_bias || !slots.attention.out_bias) reject(`layer ${layer} lacks attention biases, but gpt2 has biases on c_attn and c_proj`);
  });
  const banded = describeBandedLayers(layerWindows(config));
  if (banded !== undefined) reject(`${banded}, but Hugging Face gpt2 has no banded attention`, { brief: true });
  if (dims.n_kv_heads !== dims.n_heads) reject(`n_kv_heads is ${dims.n_kv_heads}, but gpt2 has one key/value head per query head (${dims.n_heads})`);
  if (dims.head_dim * dims.n_heads !== dims.d_model) reject(`head_dim is ${dims.head_dim}, but gpt2 derives it as d_model / n_heads = ${dims.d_model / dims.n_heads}`);

  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: dims.vocab_size,
    n_embd: dims.d_model,
    n_layer: dims.n_layers,
    n_head: dims.n_heads,
    n_inner: dims.d_ff,
    n_positions: dims.context_length,
    activation_function: activation,
    layer_norm_epsilon: norm.eps,
    scale_attn_weights: true,
    tie_word_embeddings: config.tie_embeddings,
    embd_pdrop: config.dropout.embedding,
    attn_pdrop: attentionDropoutOf(config, reject),
    resid_pdrop: config.dropout.residual,
    torch_dtype: 'float32',
  };
}

export const gpt2Family: Family = {
  modelTypes: ['gpt2'],
  toArchzoo: gpt2Config,
  hfTensor: gpt2Tensor,
  // Older GPT-2 checkpoints store the causal mask buffers of each attention layer.
  ignored: /\.attn\.(bias|masked_bias)$/,
  optionalPrefix: 'transformer.',
  exportLayout: 'gpt2 (LayerNorm pre-norm, learned positions, GELU MLP, biases everywhere, dense attention on every layer)',
  ownsLayout: (config) => config.block.placement === 'pre' && config.position.type === 'learned',
  toHf: gpt2ToHf,
};
