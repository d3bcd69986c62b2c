/**
 * Tiny scales of the zoo's specs. A tiny config keeps every architectural choice of the published
 * one: norm type and placement, layout, positions, activation, query/key-value head ratio,
 * windows, per-layer pattern, stability tricks, tying and biases. Only the sizes shrink.
 */
import { dFfFromRule, type LayerOverride, type ModelConfig, type SlotKind, type SlotOptions } from '@archzoo/core';
import type { ZooSpec } from './spec.js';

const TINY_D_MODEL = 64;
const TINY_HEAD_DIM = 16;
const TINY_VOCAB = 256;
const TINY_CONTEXT = 32;
/** Sliding windows shrink to a quarter of the tiny context so that they still mask something. */
const TINY_WINDOW = 8;

/** Query and key/value head counts that keep MHA, MQA, or the exact GQA group size. */
function tinyHeads(nHeads: number, nKvHeads: number): { n_heads: number; n_kv_heads: number } {
  if (nKvHeads === nHeads) return { n_heads: 4, n_kv_heads: 4 };
  if (nKvHeads === 1) return { n_heads: 4, n_kv_heads: 1 };
  const group = nHeads / nKvHeads;
  // Two key/value heads keep it grouped-query attention rather than MQA.
  return { n_heads: 2 * group, n_kv_heads: 2 };
}

function tinyAttention(attention: Partial<SlotOptions>, publishedHeadDim: number): Partial<SlotOptions> {
  const out: Partial<SlotOptions> = { ...attention };
  if (typeof attention.window === 'number') out.window = TINY_WINDOW;
  if (typeof attention.query_pre_attn_scalar === 'number') {
    // Keep the published ratio of the score scalar to the head width (Gemma 2 27B: 144 / 128).
    out.query_pre_attn_scalar = (TINY_HEAD_DIM * attention.query_pre_attn_scalar) / publishedHeadDim;
  }
  return out;
}

function tinyOverride(entry: LayerOverride, publishedHeadDim: number): LayerOverride {
  const out: LayerOverride = { ...entry };
  if (entry.attention) out.attention = tinyAttention(entry.attention, publishedHeadDim);
  return out;
}

/**
 * Returns the tiny config of `spec`, or null when the spec has no config. The tiny config has
 * d_model 64, heads of 16, vocabulary 256, context 32, the published d_ff / d_model ratio, and 2
 * layers (or one period of the layer pattern when it is longer).
 */
export function tinyOf(spec: ZooSpec): ModelConfig | null {
  const config = spec.config;
  if (config === null) return null;
  const nKvHeads = config.n_kv_heads ?? config.n_heads;
  const publishedHeadDim = config.head_dim ?? config.d_model / config.n_heads;
  const pattern = config.layer_pattern ?? [];
  const dFf = typeof config.d_ff === 'number' ? config.d_ff : dFfFromRule(config.d_ff, config.d_model);
  const ffRatio = dFf / config.d_model;
  const tiny: ModelConfig = {
    ...config,
    vocab_size: TINY_VOCAB,
    d_model: TINY_D_MODEL,
    n_layers: Math.max(2, pattern.length),
    ...tinyHeads(config.n_heads, nKvHeads),
    head_dim: TINY_HEAD_DIM,
    d_ff: Math.max(8, 8 * Math.round((TINY_D_MODEL * ffRatio) / 8)),
    context_length: TINY_CONTEXT,
    attention: tinyAttention(config.attention, publishedHeadDim) as SlotOptions,
  };
  if (pattern.length > 0) tiny.layer_pattern = pattern.map((entry) => tinyOverride(entry, publishedHeadDim));
  return tiny;
}

/** Lists the plugin ids a config names, per slot kind (base slots, per-layer overrides and stability). */
export function pluginIdsOf(config: ModelConfig): { kind: SlotKind; id: string }[] {
  const ids: { kind: SlotKind; id: string }[] = [
    { kind: 'norm', id: config.norm.type },
    { kind: 'position', id: config.position.type },
    { kind: 'attention', id: config.attention.type },
    { kind: 'ffn', id: config.ffn.type },
    ...(config.stability ?? []).map((options) => ({ kind: 'stability' as const, id: options.type })),
  ];
  for (const entry of config.layer_pattern ?? []) {
    if (typeof entry.position?.type === 'string') ids.push({ kind: 'position', id: entry.position.type });
    if (typeof entry.attention?.type === 'string') ids.push({ kind: 'attention', id: entry.attention.type });
    if (typeof entry.ffn?.type === 'string') ids.push({ kind: 'ffn', id: entry.ffn.type });
  }
  return ids.filter((entry, i) => ids.findIndex((other) => other.kind === entry.kind && other.id === entry.id) === i);
}
