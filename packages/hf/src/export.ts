/**
 * Exports an archzoo model as a Hugging Face folder (`config.json` and `model.safetensors`, F32,
 * both written atomically). Configs of the LLaMA layout export as model_type `llama`, as `qwen2`
 * when only q/k/v carry biases, and as `mistral` when every layer has the same sliding window.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { ConfigError, modelParamSpecs, type Registry, type ResolvedConfig, writeFileAtomic, writeSafetensors } from '@archzoo/core';

import { llamaFamily } from './families/llama.js';
import type { HfConfig } from './hf-config.js';
import { HF_CONFIG_FILE, HF_WEIGHTS_FILE } from './load.js';
import { exportTensors, type TensorData } from './tensor-map.js';

const LAYOUT = 'the LLaMA layout (RMSNorm pre-norm with a final norm, RoPE with half pairing on every layer, causal attention, SwiGLU, no stability plugins)';

function unsupported(problem: string): never {
  throw new ConfigError(`cannot export as a Hugging Face checkpoint: ${problem}; export supports ${LAYOUT}`);
}

/** Reads the one value every layer's attention uses for `field`, or rejects per-layer differences. */
function uniform<T>(config: ResolvedConfig, field: string): T {
  const values = new Set(config.layers.map((slots) => JSON.stringify(slots.attention[field] ?? null)));
  if (values.size > 1) unsupported(`attention.${field} differs between layers`);
  return JSON.parse([...values][0]!) as T;
}

function ropeScalingOf(position: ResolvedConfig['position']): HfConfig | null {
  if (position.scaling === 'linear') return { rope_type: 'linear', factor: position.scaling_factor };
  if (position.scaling === 'llama3') {
    return {
      rope_type: 'llama3',
      factor: position.scaling_factor,
      low_freq_factor: position.low_freq_factor,
      high_freq_factor: position.high_freq_factor,
      original_max_position_embeddings: position.original_max_position_embeddings,
    };
  }
  return null;
}

/** Builds the config.json of a LLaMA-layout config; other layouts raise a one-line ConfigError. */
export function archzooToHfConfig(config: ResolvedConfig): HfConfig {
  const { dims, norm, position, block } = config;
  if (norm.type !== 'rmsnorm' || norm.unit_offset) unsupported(`norm is ${JSON.stringify(norm)}`);
  if (block.placement !== 'pre' || block.layout !== 'serial' || !block.final_norm || block.embedding_norm) unsupported(`block is ${JSON.stringify(block)}`);
  if (position.type !== 'rope' || position.pairing !== 'half' || position.rotary_fraction !== 1) unsupported(`position is ${JSON.stringify(position)}`);
  if (config.stability.length > 0) unsupported(`stability lists ${config.stability.map((options) => options.type).join(', ')}`);
  for (const slots of config.layers) {
    if (slots.position === null || slots.position.type !== 'rope' || JSON.stringify(slots.position) !== JSON.stringify(position)) {
      unsupported('a layer overrides the position options');
    }
    if (slots.ffn.type !== 'swiglu') unsupported(`ffn is ${slots.ffn.type}`);
    const attention = slots.attention;
    if (attention.type !== 'causal') unsupported(`attention is ${attention.type}`);
    if (attention.sparse !== undefined || attention.query_pre_attn_scalar !== undefined || attention.score_scale !== 'inv_sqrt_head_dim') {
      unsupported('attention uses a sparse pattern or a non-default score scale');
    }
  }

  const qkvBias = uniform<boolean>(config, 'qkv_bias');
  const outBias = uniform<boolean>(config, 'out_bias');
  const window = uniform<number | null>(config, 'window');
  const mlpBias = new Set(config.layers.map((slots) => slots.ffn.bias)).size === 1 ? (config.layers[0]!.ffn.bias as boolean) : unsupported('ffn.bias differs between layers');

  let modelType = 'llama';
  if (qkvBias && !outBias) modelType = 'qwen2';
  if (window !== null) modelType = 'mistral';
  if (modelType === 'mistral' && (qkvBias || outBias || mlpBias)) unsupported('a sliding window together with biases');
  if (modelType === 'qwen2' && mlpBias) unsupported('q/k/v biases together with FFN biases');
  if (!qkvBias && outBias) unsupported('an o_proj bias without q/k/v biases');

  const hf: HfConfig = {
    architectures: [{ llama: 'LlamaForCausalLM', qwen2: 'Qwen2ForCausalLM', mistral: 'MistralForCausalLM' }[modelType]],
    model_type: modelType,
    vocab_size: dims.vocab_size,
    hidden_size: dims.d_model,
    intermediate_size: dims.d_ff,
    num_hidden_layers: dims.n_layers,
    num_attention_heads: dims.n_heads,
    num_key_value_heads: dims.n_kv_heads,
    head_dim: dims.head_dim,
    max_position_embeddings: dims.context_length,
    hidden_act: 'silu',
    rms_norm_eps: norm.eps,
    rope_theta: position.theta,
    rope_scaling: ropeScalingOf(position),
    tie_word_embeddings: config.tie_embeddings,
    torch_dtype: 'float32',
  };
  if (modelType === 'llama') Object.assign(hf, { attention_bias: qkvBias, mlp_bias: mlpBias });
  if (modelType === 'mistral') hf.sliding_window = window;
  if (modelType === 'qwen2') Object.assign(hf, { use_sliding_window: false, sliding_window: null });
  return hf;
}

/**
 * Writes `dir/config.json` and `dir/model.safetensors` for `params` (by archzoo stable name).
 * The folder is created when missing; each file appears complete or not at all.
 */
export async function exportHfCheckpoint(dir: string, config: ResolvedConfig, params: ReadonlyMap<string, TensorData>, registry: Registry): Promise<void> {
  const hf = archzooToHfConfig(config);
  const tensors = exportTensors(llamaFamily, modelParamSpecs(config, registry), params);
  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, HF_WEIGHTS_FILE), tensors, { format: 'pt' });
  await writeFileAtomic(join(dir, HF_CONFIG_FILE), `${JSON.stringify(hf, null, 2)}\n`);
}
