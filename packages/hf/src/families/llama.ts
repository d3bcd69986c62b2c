/**
 * The LLaMA family of transformers: `llama`, `mistral` and `qwen2` share one layout (pre-norm
 * RMSNorm, half-split RoPE, SwiGLU, `nn.Linear` projections) and differ in biases and windows.
 * Export writes `qwen2` when only q/k/v carry biases (with full attention below
 * `max_window_layers` and one sliding window from there on, or no window), `mistral` when every
 * layer has the same sliding window, and `llama` otherwise.
 * Sources: transformers models/llama/modeling_llama.py, models/mistral/modeling_mistral.py,
 * models/qwen2/modeling_qwen2.py and their configuration files.
 */
import { ConfigError, type ModelConfig, type ResolvedConfig } from '@archzoo/core';

import {
  checkBlock,
  checkCausalAttention,
  checkFfnType,
  checkRope,
  checkStability,
  describeWindow,
  layerWindows,
  llamaBaseFields,
  uniformOption,
} from '../export-config.js';
import { layerName, linearRef, type Family, type HfTensorRef, type RejectLayout } from '../family.js';
import { boolField, dropoutField, enumField, type HfConfig, type HfLayerType, intField, layerTypes, nullableNumberField, numberField, windowOptions } from '../hf-config.js';
import { ropeOptions } from '../hf-rope.js';

/** HF norm names of the pre-norm layout, by archzoo norm name. */
const PRE_NORMS: Record<string, string> = { attn_norm: 'input_layernorm', ffn_norm: 'post_attention_layernorm' };

/**
 * Maps archzoo names to HF names under `model.`: `layerNorms` names each layer norm, and the
 * attention and FFN projections keep their names under `self_attn.` and `mlp.`.
 */
export function llamaStyleTensor(name: string, layerNorms: Record<string, string>, extra: Record<string, string> = {}): HfTensorRef {
  if (name === 'embed.weight') return linearRef('model.embed_tokens.weight', name);
  if (name === 'final_norm.weight') return linearRef('model.norm.weight', name);
  if (name === 'lm_head.weight') return linearRef('lm_head.weight', name);
  const inLayer = layerName(name);
  if (inLayer) {
    const prefix = `model.layers.${inLayer.layer}`;
    const [scope, ...restParts] = inLayer.rest.split('.');
    const rest = restParts.join('.');
    if (scope === 'attn') return linearRef(`${prefix}.self_attn.${rest}`, name);
    if (scope === 'ffn') return linearRef(`${prefix}.mlp.${rest}`, name);
    if (layerNorms[scope!]) return linearRef(`${prefix}.${layerNorms[scope!]}.${rest}`, name);
    if (extra[inLayer.rest]) return linearRef(`${prefix}.${extra[inLayer.rest]}`, name);
  }
  throw new ConfigError(`archzoo parameter ${name} has no Hugging Face counterpart in this model family; the config uses a slot the family does not have`);
}

function checkActivation(hf: HfConfig, field: string, expected: string): void {
  const value = hf[field] ?? expected;
  if (value !== expected) throw new ConfigError(`config.json: ${field} must be "${expected}" for this model_type, got ${JSON.stringify(value)}`);
}

/**
 * Defaults of the fields `llamaBase` reads, as a family's transformers config class sets them when
 * config.json omits the field.
 */
export interface LlamaBaseDefaults {
  rmsNormEps: number;
  /** Default num_key_value_heads, or undefined for one per query head. */
  numKeyValueHeads?: number;
  /** Default head_dim, or undefined for hidden_size / num_attention_heads. */
  headDim?: number;
  tieWordEmbeddings: boolean;
}

/** LlamaConfig's defaults (transformers models/llama/configuration_llama.py). */
const LLAMA_DEFAULTS: LlamaBaseDefaults = { rmsNormEps: 1e-6, tieWordEmbeddings: false };
/** MistralConfig's defaults (models/mistral/configuration_mistral.py), with 8 key/value heads. */
const MISTRAL_DEFAULTS: LlamaBaseDefaults = { rmsNormEps: 1e-6, numKeyValueHeads: 8, tieWordEmbeddings: false };
/** Qwen2Config's defaults (models/qwen2/configuration_qwen2.py), with 32 key/value heads. */
const QWEN2_DEFAULTS: LlamaBaseDefaults = { rmsNormEps: 1e-6, numKeyValueHeads: 32, tieWordEmbeddings: false };

/** Sliding window of MistralConfig and Qwen2Config when config.json omits `sliding_window`. */
const DEFAULT_SLIDING_WINDOW = 4096;
/** Qwen2Config's `max_window_layers` when config.json omits it. */
const QWEN2_DEFAULT_MAX_WINDOW_LAYERS = 28;

/**
 * Reads the dimensions and the parts every member of the family shares. Absent optional fields
 * get `defaults`, the RoPE base 10000 and an attention dropout of 0, as in every family member's
 * config class.
 */
export function llamaBase(hf: HfConfig, defaults: LlamaBaseDefaults): ModelConfig {
  const dModel = intField(hf, 'hidden_size');
  const nHeads = intField(hf, 'num_attention_heads');
  const { theta, scaling } = ropeOptions(hf);
  return {
    vocab_size: intField(hf, 'vocab_size'),
    d_model: dModel,
    n_layers: intField(hf, 'num_hidden_layers'),
    n_heads: nHeads,
    n_kv_heads: intField(hf, 'num_key_value_heads', defaults.numKeyValueHeads ?? nHeads),
    head_dim: intField(hf, 'head_dim', defaults.headDim ?? Math.floor(dModel / nHeads)),
    d_ff: intField(hf, 'intermediate_size'),
    context_length: intField(hf, 'max_position_embeddings'),
    norm: { type: 'rmsnorm', eps: numberField(hf, 'rms_norm_eps', defaults.rmsNormEps) },
    position: { type: 'rope', theta, pairing: 'half', ...scaling },
    attention: { type: 'causal' },
    ffn: { type: 'swiglu' },
    tie_embeddings: boolField(hf, 'tie_word_embeddings', defaults.tieWordEmbeddings),
    dropout: { attention: dropoutField(hf, 'attention_dropout', 0) },
  };
}

function llamaConfig(hf: HfConfig): ModelConfig {
  checkActivation(hf, 'hidden_act', 'silu');
  const base = llamaBase(hf, LLAMA_DEFAULTS);
  const bias = boolField(hf, 'attention_bias', false);
  return { ...base, attention: { type: 'causal', qkv_bias: bias, out_bias: bias }, ffn: { type: 'swiglu', bias: boolField(hf, 'mlp_bias', false) } };
}

function mistralConfig(hf: HfConfig): ModelConfig {
  checkActivation(hf, 'hidden_act', 'silu');
  const base = llamaBase(hf, MISTRAL_DEFAULTS);
  const types = layerTypes(hf, base.n_layers, () => 'sliding_attention');
  const { window, layer_pattern } = windowOptions(types, nullableNumberField(hf, 'sliding_window', DEFAULT_SLIDING_WINDOW), base.context_length);
  return { ...base, attention: window === undefined ? { type: 'causal' } : { type: 'causal', window }, layer_pattern };
}

function qwen2Config(hf: HfConfig): ModelConfig {
  checkActivation(hf, 'hidden_act', 'silu');
  const base = llamaBase(hf, QWEN2_DEFAULTS);
  // Qwen2 slides only when use_sliding_window is set, and then only on layers >= max_window_layers.
  const sliding = boolField(hf, 'use_sliding_window', false);
  const firstSliding = (hf.max_window_layers ?? QWEN2_DEFAULT_MAX_WINDOW_LAYERS) as number;
  if (!Number.isSafeInteger(firstSliding) || firstSliding < 0) {
    throw new ConfigError(`config.json: max_window_layers must be an integer >= 0, got ${JSON.stringify(firstSliding)}`);
  }
  const types = layerTypes(hf, base.n_layers, (layer) => (sliding && layer >= firstSliding ? 'sliding_attention' : 'full_attention'));
  const { window, layer_pattern } = windowOptions(types, sliding ? nullableNumberField(hf, 'sliding_window', DEFAULT_SLIDING_WINDOW) : undefined, base.context_length);
  const attention = { type: 'causal', qkv_bias: true, out_bias: false };
  return { ...base, attention: window === undefined ? attention : { ...attention, window }, layer_pattern };
}

const CONFIGS: Record<string, (hf: HfConfig) => ModelConfig> = { llama: llamaConfig, mistral: mistralConfig, qwen2: qwen2Config };

const ARCHITECTURES: Record<string, string> = { llama: 'LlamaForCausalLM', qwen2: 'Qwen2ForCausalLM', mistral: 'MistralForCausalLM' };

function llamaToHf(config: ResolvedConfig, reject: RejectLayout): HfConfig {
  const { norm } = config;
  if (norm.type !== 'rmsnorm' || norm.unit_offset) reject(`norm is ${JSON.stringify(norm)}, not RMSNorm without the (1 + w) offset`);
  checkBlock(config, 'pre', reject);
  checkRope(config, reject);
  checkStability(config, [], reject);
  checkFfnType(config, 'swiglu', reject);
  checkCausalAttention(config, reject);

  const qkvBias = uniformOption<boolean>(config, 'attention', 'qkv_bias', reject);
  const outBias = uniformOption<boolean>(config, 'attention', 'out_bias', reject);
  const mlpBias = uniformOption<boolean>(config, 'ffn', 'bias', reject);
  const windows = layerWindows(config);
  if (!qkvBias && outBias) reject('an o_proj bias without q/k/v biases');

  if (qkvBias && !outBias) {
    if (mlpBias) reject('q/k/v biases together with FFN biases');
    return { architectures: [ARCHITECTURES.qwen2], model_type: 'qwen2', ...llamaBaseFields(config, reject), hidden_act: 'silu', ...qwen2WindowFields(windows, reject) };
  }
  const firstWindowed = windows.findIndex((window) => window !== null);
  if (firstWindowed === -1) {
    return { architectures: [ARCHITECTURES.llama], model_type: 'llama', ...llamaBaseFields(config, reject), hidden_act: 'silu', attention_bias: qkvBias, mlp_bias: mlpBias };
  }
  if (qkvBias || mlpBias) {
    const biases = qkvBias ? 'attention biases on q, k, v and o' : 'FFN biases';
    reject(`layer ${firstWindowed} has ${describeWindow(windows[firstWindowed]!)} together with ${biases}, but mistral has no biases and qwen2 has biases on q, k and v only`);
  }
  return { architectures: [ARCHITECTURES.mistral], model_type: 'mistral', ...llamaBaseFields(config, reject), hidden_act: 'silu', sliding_window: mistralWindowOf(windows, reject) };
}

/**
 * Returns the one sliding window of every layer, as mistral applies it. Rejects a layer whose
 * window differs from layer 0's.
 */
function mistralWindowOf(windows: ReadonlyArray<number | null>, reject: RejectLayout): number {
  const window = windows[0]!;
  windows.forEach((layerWindow, layer) => {
    if (layerWindow !== window) {
      reject(
        `layer ${layer} has ${describeWindow(layerWindow)} but layer 0 has ${describeWindow(window)}; mistral gives every layer the same window, and only qwen2 (biases on q, k and v only) attends to the whole context below max_window_layers`,
      );
    }
  });
  return window;
}

/**
 * Builds qwen2's window fields: full attention on the layers below `max_window_layers` and one
 * sliding window from there on. Qwen2Config derives `layer_types` this way, and the flash-attention
 * path of earlier transformers versions tests `layer_idx >= max_window_layers`. `layer_types` is
 * written too, as newer transformers versions write it. Rejects any other layout, naming the layer
 * and its window.
 */
function qwen2WindowFields(windows: ReadonlyArray<number | null>, reject: RejectLayout): HfConfig {
  const firstSliding = windows.findIndex((window) => window !== null);
  if (firstSliding === -1) {
    const fullAttention: HfLayerType[] = windows.map(() => 'full_attention');
    return { use_sliding_window: false, sliding_window: null, max_window_layers: windows.length, layer_types: fullAttention };
  }
  const window = windows[firstSliding]!;
  windows.forEach((layerWindow, layer) => {
    if (layer > firstSliding && layerWindow !== window) {
      reject(
        `layer ${layer} has ${describeWindow(layerWindow)} but layer ${firstSliding} has ${describeWindow(window)}; qwen2 gives every layer from max_window_layers (${firstSliding}) on the same window`,
      );
    }
  });
  const types: HfLayerType[] = windows.map((_, layer) => (layer < firstSliding ? 'full_attention' : 'sliding_attention'));
  return { use_sliding_window: true, sliding_window: window, max_window_layers: firstSliding, layer_types: types };
}

export const llamaFamily: Family = {
  modelTypes: ['llama', 'mistral', 'qwen2'],
  toArchzoo(hf) {
    const modelType = enumField(hf, 'model_type', ['llama', 'mistral', 'qwen2'], 'llama');
    return CONFIGS[modelType]!(hf);
  },
  hfTensor: (name) => llamaStyleTensor(name, PRE_NORMS),
  ignored: /\.rotary_emb\.inv_freq$/,
  exportLayout: 'llama, qwen2, mistral (RMSNorm pre-norm, RoPE, SwiGLU)',
  ownsLayout: (config) => config.block.placement === 'pre' && config.position.type === 'rope',
  toHf: llamaToHf,
};
