/**
 * Gemma 2 (transformers models/gemma2/modeling_gemma2.py) has sandwich RMSNorms that scale by
 * (1 + weight), embeddings times sqrt(hidden_size), GeGLU with tanh GELU and tied embeddings.
 * Attention scores are scaled by query_pre_attn_scalar^-0.5 and soft-capped before the mask, and
 * the final logits are soft-capped. Even layers slide (Gemma2DecoderLayer sets `is_sliding = not
 * bool(layer_idx % 2)`) unless config.json lists `layer_types`.
 *
 * Fields that config.json omits get Gemma2Config's defaults (transformers
 * models/gemma2/configuration_gemma2.py): head_dim 256, 4 key/value heads, query_pre_attn_scalar
 * 256, sliding_window 4096, attention and final soft-caps of 50 and 30, tied embeddings. An explicit
 * null turns a soft-cap or the window off.
 *
 * Export writes the norm weights as archzoo stores them, the raw w of (1 + w), because
 * Gemma2RMSNorm adds the 1 itself. It writes `layer_types` too, and accepts windows on exactly the
 * even layers (or on none), so that transformers versions that predate `layer_types` and slide the
 * even layers read the same model.
 */
import { ConfigError, type ModelConfig, type ResolvedConfig, type SlotOptions } from '@archzoo/core';

import {
  checkBlock,
  checkCausalAttention,
  checkFfnType,
  checkRope,
  checkStability,
  describeWindow,
  layerWindows,
  llamaBaseFields,
  sharedAttentionBias,
  stabilityOf,
  uniformOption,
} from '../export-config.js';
import type { Family, RejectLayout } from '../family.js';
import { boolField, type HfConfig, type HfLayerType, layerTypes, nullableNumberField, numberField, windowOptions } from '../hf-config.js';
import { llamaBase, type LlamaBaseDefaults, llamaStyleTensor } from './llama.js';

/** Gemma2Config's defaults of the fields `llamaBase` reads. */
const GEMMA2_DEFAULTS: LlamaBaseDefaults = { rmsNormEps: 1e-6, numKeyValueHeads: 4, headDim: 256, tieWordEmbeddings: true };

/** Gemma2Config's defaults of its own fields. */
const GEMMA2_FIELD_DEFAULTS = { queryPreAttnScalar: 256, slidingWindow: 4096, attnLogitSoftcapping: 50, finalLogitSoftcapping: 30 };

/** `hidden_activation` values of the tanh GELU. Export writes the first. */
const TANH_GELU_NAMES = ['gelu_pytorch_tanh', 'gelu_tanh'];

/** Returns a layer's attention kind when config.json has no `layer_types`: even layers slide. */
function defaultLayerType(layer: number): HfLayerType {
  return layer % 2 === 0 ? 'sliding_attention' : 'full_attention';
}

const SANDWICH_NORMS: Record<string, string> = {
  attn_norm: 'input_layernorm',
  attn_post_norm: 'post_attention_layernorm',
  ffn_norm: 'pre_feedforward_layernorm',
  ffn_post_norm: 'post_feedforward_layernorm',
};

function gemma2Config(hf: HfConfig): ModelConfig {
  const activation = hf.hidden_activation ?? hf.hidden_act ?? TANH_GELU_NAMES[0];
  if (!TANH_GELU_NAMES.includes(activation as string)) {
    throw new ConfigError(`config.json: hidden_activation must be "gelu_pytorch_tanh" for gemma2, got ${JSON.stringify(activation)}`);
  }
  const base = llamaBase(hf, GEMMA2_DEFAULTS);
  const stability: SlotOptions[] = [{ type: 'embedding_scale' }];
  const attnCap = nullableNumberField(hf, 'attn_logit_softcapping', GEMMA2_FIELD_DEFAULTS.attnLogitSoftcapping);
  if (attnCap !== undefined) stability.push({ type: 'attn_softcap', cap: attnCap });
  const finalCap = nullableNumberField(hf, 'final_logit_softcapping', GEMMA2_FIELD_DEFAULTS.finalLogitSoftcapping);
  if (finalCap !== undefined) stability.push({ type: 'final_softcap', cap: finalCap });
  const bias = boolField(hf, 'attention_bias', false);
  const types = layerTypes(hf, base.n_layers, defaultLayerType);
  const slidingWindow = nullableNumberField(hf, 'sliding_window', GEMMA2_FIELD_DEFAULTS.slidingWindow);
  const { window, layer_pattern } = windowOptions(types, slidingWindow, base.context_length);

  return {
    ...base,
    norm: { ...base.norm, unit_offset: true },
    attention: {
      type: 'causal',
      qkv_bias: bias,
      out_bias: bias,
      query_pre_attn_scalar: numberField(hf, 'query_pre_attn_scalar', GEMMA2_FIELD_DEFAULTS.queryPreAttnScalar),
      ...(window === undefined ? {} : { window }),
    },
    ffn: { type: 'geglu', gelu: 'tanh' },
    block: { placement: 'sandwich' },
    stability,
    layer_pattern,
  };
}

/**
 * Returns the one sliding window of the even layers, or null when no layer slides. Rejects windows
 * that differ or sit on odd layers.
 */
function slidingWindowOf(config: ResolvedConfig, reject: RejectLayout): number | null {
  const windows = layerWindows(config);
  windows.forEach((window, layer) => {
    if (defaultLayerType(layer) === 'full_attention' && window !== null) {
      reject(`layer ${layer} has a sliding window of ${window} tokens, but gemma2 slides only the even layers (0, 2, ...) and attends globally on the odd ones`);
    }
  });
  const first = windows[0]!;
  windows.forEach((window, layer) => {
    if (defaultLayerType(layer) === 'sliding_attention' && window !== first) {
      reject(`layer ${layer} has ${describeWindow(window)} but layer 0 has ${describeWindow(first)}, and gemma2 gives every even layer the same window`);
    }
  });
  return first;
}

function gemma2ToHf(config: ResolvedConfig, reject: RejectLayout): HfConfig {
  const { dims, norm } = config;
  // Recent transformers (Gemma2Config.validate_architecture) reject such a config.json.
  if (dims.d_model % dims.n_heads !== 0) reject(`d_model (${dims.d_model}) is not a multiple of n_heads (${dims.n_heads}), which gemma2 requires even with an explicit head_dim`);
  if (norm.type !== 'rmsnorm' || !norm.unit_offset) reject(`norm is ${JSON.stringify(norm)}, not RMSNorm with the (1 + w) offset`);
  checkBlock(config, 'sandwich', reject);
  checkRope(config, reject);
  checkStability(config, ['embedding_scale', 'attn_softcap', 'final_softcap'], reject);
  const embeddingScale = stabilityOf(config, 'embedding_scale');
  if (embeddingScale === undefined) reject('stability does not list embedding_scale, but gemma2 multiplies the embeddings by sqrt(hidden_size)');
  if (embeddingScale.scale !== undefined && embeddingScale.scale !== Math.sqrt(dims.d_model)) {
    reject(`embedding_scale.scale is ${String(embeddingScale.scale)}, but gemma2 multiplies the embeddings by sqrt(hidden_size) = ${Math.sqrt(dims.d_model)}`);
  }
  checkFfnType(config, 'geglu', reject);
  if (uniformOption<string>(config, 'ffn', 'gelu', reject) !== 'tanh') reject('ffn.gelu is "exact", but gemma2 uses the tanh GELU');
  if (uniformOption<boolean>(config, 'ffn', 'bias', reject)) reject('ffn.bias is true, but gemma2 has no FFN biases');
  checkCausalAttention(config, reject, true);
  const attentionBias = sharedAttentionBias(config, reject);
  const queryPreAttnScalar = uniformOption<number | null>(config, 'attention', 'query_pre_attn_scalar', reject) ?? dims.head_dim;
  const window = slidingWindowOf(config, reject);
  const hfLayerTypes: HfLayerType[] = config.layers.map((_, layer) => (window === null ? 'full_attention' : defaultLayerType(layer)));

  return {
    architectures: ['Gemma2ForCausalLM'],
    model_type: 'gemma2',
    ...llamaBaseFields(config, reject),
    hidden_activation: TANH_GELU_NAMES[0],
    attention_bias: attentionBias,
    query_pre_attn_scalar: queryPreAttnScalar,
    // A window as long as the context masks nothing, so a model without windows slides nowhere
    // even in transformers versions that ignore layer_types.
    sliding_window: window ?? dims.context_length,
    layer_types: hfLayerTypes,
    // null turns a cap off: config.json without these fields gets transformers' defaults of 50 and 30.
    attn_logit_softcapping: stabilityOf(config, 'attn_softcap')?.cap ?? null,
    final_logit_softcapping: stabilityOf(config, 'final_softcap')?.cap ?? null,
  };
}

export const gemma2Family: Family = {
  modelTypes: ['gemma2'],
  toArchzoo: gemma2Config,
  hfTensor: (name) => llamaStyleTensor(name, SANDWICH_NORMS),
  ignored: /\.rotary_emb\.inv_freq$/,
  exportLayout: 'gemma2 ((1 + w) RMSNorm sandwich norms, RoPE, GeGLU with tanh GELU, embeddings times sqrt(d_model), optional soft-caps, one window on the even layers or none)',
  ownsLayout: (config) => config.block.placement === 'sandwich',
  toHf: gemma2ToHf,
};
