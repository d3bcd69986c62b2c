/**
 * Checks that the families share when they write a resolved archzoo config as a Hugging Face
 * `config.json`. Each check calls `reject` with the part of the config that the family's layout
 * cannot express, so the error names what differs.
 */
import type { ResolvedConfig, SlotOptions } from '@archzoo/core';

import type { RejectLayout } from './family.js';
import type { HfConfig } from './hf-config.js';

/** Returns the one value that every layer's `slot` options give `field`, or rejects per-layer differences. */
export function uniformOption<T>(config: ResolvedConfig, slot: 'attention' | 'ffn', field: string, reject: RejectLayout): T {
  const values = new Set(config.layers.map((slots) => JSON.stringify(slots[slot][field] ?? null)));
  if (values.size > 1) reject(`${slot}.${field} differs between layers (${[...values].join(', ')})`);
  return JSON.parse([...values][0]!) as T;
}

/** Returns each layer's sliding window in tokens, null where the layer attends to the whole context. */
export function layerWindows(config: ResolvedConfig): Array<number | null> {
  return config.layers.map((slots) => (slots.attention.window as number | undefined) ?? null);
}

/** Describes a layer's window for an error message. */
export function describeWindow(window: number | null): string {
  return window === null ? 'no sliding window' : `a sliding window of ${window} tokens`;
}

/** Rejects a block other than `placement` with serial sublayers, a final norm and no embedding norm. */
export function checkBlock(config: ResolvedConfig, placement: ResolvedConfig['block']['placement'], reject: RejectLayout): void {
  const { block } = config;
  if (block.placement !== placement || block.layout !== 'serial' || !block.final_norm || block.embedding_norm) {
    reject(`block is ${JSON.stringify(block)}, not placement "${placement}" with layout "serial", a final norm and no embedding norm`);
  }
}

/** Rejects position options other than RoPE with half pairing on the whole head, the same on every layer. */
export function checkRope(config: ResolvedConfig, reject: RejectLayout): void {
  const { position } = config;
  if (position.type !== 'rope' || position.pairing !== 'half' || position.rotary_fraction !== 1) {
    reject(`position is ${JSON.stringify(position)}, not RoPE with half pairing over the whole head`);
  }
  checkSamePositionOnEveryLayer(config, reject);
}

/** Rejects a layer that overrides the position options or drops them (NoPE). */
export function checkSamePositionOnEveryLayer(config: ResolvedConfig, reject: RejectLayout): void {
  const expected = JSON.stringify(config.position);
  config.layers.forEach((slots, layer) => {
    if (JSON.stringify(slots.position) !== expected) reject(`layer ${layer} overrides the position options with ${JSON.stringify(slots.position)}`);
  });
}

/** Rejects an FFN of another type than `type` on any layer. */
export function checkFfnType(config: ResolvedConfig, type: string, reject: RejectLayout): void {
  config.layers.forEach((slots, layer) => {
    if (slots.ffn.type !== type) reject(`ffn is ${slots.ffn.type} on layer ${layer}, not ${type}`);
  });
}

/**
 * Rejects attention other than dense causal attention scaled by 1/sqrt(head_dim): another
 * attention type, a Sparse Transformer pattern, or a changed score scale. `query_pre_attn_scalar`
 * passes only when `allowQueryPreAttnScalar` is set. Windows are left to the family.
 */
export function checkCausalAttention(config: ResolvedConfig, reject: RejectLayout, allowQueryPreAttnScalar = false): void {
  config.layers.forEach((slots, layer) => {
    const attention: SlotOptions = slots.attention;
    if (attention.type !== 'causal') reject(`attention is ${attention.type} on layer ${layer}, not causal`);
    if (attention.sparse !== undefined) reject(`layer ${layer} uses the Sparse Transformer pattern "${String(attention.sparse)}"`);
    if (attention.score_scale !== 'inv_sqrt_head_dim') reject(`attention.score_scale is "${String(attention.score_scale)}" on layer ${layer}, not "inv_sqrt_head_dim"`);
    if (!allowQueryPreAttnScalar && attention.query_pre_attn_scalar !== undefined) {
      reject(`attention.query_pre_attn_scalar is ${String(attention.query_pre_attn_scalar)} on layer ${layer}; only gemma2 scales scores by it`);
    }
  });
}

/**
 * Returns HF's single `attention_bias`, which adds biases to q, k, v and o together. Rejects
 * biases on only some of them.
 */
export function sharedAttentionBias(config: ResolvedConfig, reject: RejectLayout): boolean {
  const qkvBias = uniformOption<boolean>(config, 'attention', 'qkv_bias', reject);
  const outBias = uniformOption<boolean>(config, 'attention', 'out_bias', reject);
  if (qkvBias !== outBias) reject(`attention.qkv_bias (${qkvBias}) and attention.out_bias (${outBias}) differ, but attention_bias sets both`);
  return qkvBias;
}

/**
 * Stability plugins that every layout leaves out: z-loss is a term of the training loss only and
 * changes neither the weights nor the logits, so no config.json has a field for it.
 */
const TRAINING_ONLY_STABILITY = ['z_loss'];

/** Rejects stability plugins outside `allowed`, ignoring the training-only z-loss. */
export function checkStability(config: ResolvedConfig, allowed: readonly string[], reject: RejectLayout): void {
  const extra = config.stability.map((options) => options.type).filter((type) => !allowed.includes(type) && !TRAINING_ONLY_STABILITY.includes(type));
  if (extra.length > 0) reject(`stability lists ${extra.join(', ')}, which the layout has no field for`);
}

/** Returns the stability options of `type`, or undefined when the config does not list it. */
export function stabilityOf(config: ResolvedConfig, type: string): SlotOptions | undefined {
  return config.stability.find((options) => options.type === type);
}

/** Returns the attention-probability dropout rate, the same on every layer, or rejects per-layer differences. */
export function attentionDropoutOf(config: ResolvedConfig, reject: RejectLayout): number {
  return uniformOption<number | null>(config, 'attention', 'dropout', reject) ?? 0;
}

/** Builds the `rope_scaling` field from rope options, the inverse of `ropeOptions` in hf-rope.ts. */
export function ropeScalingOf(position: SlotOptions): HfConfig | null {
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

/**
 * Builds the config.json fields that llama, qwen2, mistral, gemma2 and olmo2 share, as `llamaBase`
 * reads them. Their only dropout field is `attention_dropout`, so the run's embedding and residual
 * dropout, which change no weights and no inference logits, are left out.
 */
export function llamaBaseFields(config: ResolvedConfig, reject: RejectLayout): HfConfig {
  const { dims, norm, position } = config;
  return {
    vocab_size: dims.vocab_size,
    hidden_size: dims.d_model,
    intermediate_size: dims.d_ff,
    num_hidden_layers: dims.n_layers,
    num_attention_heads: dims.n_heads,
    num_key_value_heads: dims.n_kv_heads,
    head_dim: dims.head_dim,
    max_position_embeddings: dims.context_length,
    rms_norm_eps: norm.eps,
    rope_theta: position.theta,
    rope_scaling: ropeScalingOf(position),
    tie_word_embeddings: config.tie_embeddings,
    attention_dropout: attentionDropoutOf(config, reject),
    torch_dtype: 'float32',
  };
}
