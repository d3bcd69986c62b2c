// Legend: B batch, T sequence (queries), S sequence (keys), D model width, H query heads,
// G key/value heads, K head dim, F FFN width, V vocabulary.
/**
 * The plugin contract, version 1. A plugin is a manifest object for one slot kind: it declares
 * its options (schema and defaults), the parameters it needs (stable names, shapes, init), how to
 * apply them, and what it costs. Manifests are plain objects passed to a `Registry` explicitly.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { Rng } from './rng.js';
import type { OptionSchema } from './schema.js';

/** The contract version this core implements. A manifest is accepted when its major matches. */
export const CONTRACT_VERSION = '1.0';

export type SlotKind = 'norm' | 'position' | 'ffn' | 'attention' | 'stability';

/** The options of one slot: JSON data with a `type` naming the manifest id. */
export interface SlotOptions {
  type: string;
  [option: string]: unknown;
}

/** Model dimensions after defaults are resolved. */
export interface Dims {
  vocab_size: number;
  d_model: number;
  n_layers: number;
  n_heads: number;
  n_kv_heads: number;
  head_dim: number;
  d_ff: number;
  context_length: number;
}

/** How a parameter is initialised; `normal` uses the config's init std unless it gives one. */
export type ParamInit =
  | { kind: 'normal'; std?: number; residual?: boolean }
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number };

/** One parameter a plugin needs. `name` is relative to the plugin's scope (e.g. "q_proj.weight"). */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
  /** Whether AdamW applies weight decay. Norms, biases and gains set it to false. */
  decay: boolean;
}

/** Parameter tensors by relative name. */
export type Params = Readonly<Record<string, Tensor>>;

/** What every apply call can see. */
export interface ApplyContext {
  dims: Dims;
  /** Layer index, or -1 outside the layer stack. */
  layer: number;
  training: boolean;
  /** Source of dropout masks; present when training. */
  rng?: Rng;
}

/** The fields every manifest has, whatever its slot kind. */
export interface ManifestBase<K extends SlotKind, O extends SlotOptions> {
  /** Unique within its slot kind; the `type` of a slot option selects it. */
  id: string;
  kind: K;
  /** Contract version the manifest was written for, e.g. "1.0". */
  contract: string;
  /** The npm package that ships the manifest, named in duplicate-id errors. */
  package: string;
  description: string;
  schema: OptionSchema;
  /** Values for optional options; merged under the user's options before validation. */
  defaults: Partial<Omit<O, 'type'>>;
  /** Where the math comes from: papers, reference implementations. */
  references: string[];
  /** Cross-field checks that the schema cannot express; one message per problem. */
  validate?(options: O, dims: Dims): string[];
  /** Parameters this plugin needs, from the config alone. */
  params(options: O, dims: Dims): ParamSpec[];
  /**
   * Forward FLOPs per token of this plugin's matrix products, counting a multiply-add as 2.
   * `attended` is the mean number of keys visible to a query (attention only).
   */
  flopsPerToken?(options: O, dims: Dims, attended: number): number;
}

/** A normalisation over the last axis: [..., D] -> [..., D]. */
export interface NormManifest<O extends SlotOptions = SlotOptions> extends ManifestBase<'norm', O> {
  /** `dim` is the normalised width (d_model, or head_dim / n_heads*head_dim for QK-norm). */
  params(options: O, dims: Dims, dim?: number): ParamSpec[];
  apply(params: Params, x: Tensor, options: O, ctx: ApplyContext): Tensor;
}

/**
 * A position scheme. It may add to the embeddings (`embed`), rotate queries and keys (`rotate`),
 * or add a bias to attention scores (`bias`); its parameters are shared by all layers.
 */
export interface PositionManifest<O extends SlotOptions = SlotOptions> extends ManifestBase<'position', O> {
  /** [B, T, D] -> [B, T, D], positions start..start+T-1. */
  embed?(params: Params, xBTD: Tensor, start: number, options: O, ctx: ApplyContext): Tensor;
  /** q [B, H, T, K], k [B, G, T, K] -> the same shapes, positions start..start+T-1. */
  rotate?(qBHTK: Tensor, kBGTK: Tensor, start: number, options: O, ctx: ApplyContext): [Tensor, Tensor];
  /** Additive score bias [H, T, S] for queries at qStart.. and keys at 0..S-1. */
  bias?(params: Params, tQueries: number, sKeys: number, qStart: number, options: O, ctx: ApplyContext): Tensor;
}

/** A position scheme bound to its options and parameters for one layer. */
export interface PositionBinding {
  rotate?(qBHTK: Tensor, kBGTK: Tensor, start: number): [Tensor, Tensor];
  bias?(tQueries: number, sKeys: number, qStart: number): Tensor;
}

/** Stability hooks of all stability plugins of a layer, composed in config order. */
export interface StabilityBinding {
  /** Applied to the q/k/v projections [B, T, H*K] / [B, T, G*K] before heads are split. */
  projections(q: Tensor, k: Tensor, v: Tensor): [Tensor, Tensor, Tensor];
  /** Applied to q [B, H, T, K] and k [B, G, S, K] before positions and scores. */
  queryKey(qBHTK: Tensor, kBGSK: Tensor): [Tensor, Tensor];
  /** Applied to raw attention scores [B, H, T, S] after scaling, before the mask. */
  scores(scoresBHTS: Tensor): Tensor;
}

/** Keys and values of one layer for incremental decoding. */
export interface LayerKVCache {
  /** Keys [B, G, S, K] and values [B, G, S, K] seen so far (or the window of them). */
  keys?: Tensor;
  values?: Tensor;
  /** Absolute position of the first cached key. */
  start: number;
}

export interface AttentionContext extends ApplyContext {
  position: PositionBinding;
  stability: StabilityBinding;
  /** Absolute position of the first query. */
  start: number;
  /** Present during incremental decoding; the attention updates it in place. */
  cache?: LayerKVCache;
}

/** Self-attention: [B, T, D] -> [B, T, D]. Masking and head grouping live in the plugin. */
export interface AttentionManifest<O extends SlotOptions = SlotOptions> extends ManifestBase<'attention', O> {
  apply(params: Params, xBTD: Tensor, options: O, ctx: AttentionContext): Tensor;
  /** Keys each query attends to on average for a sequence of `t` tokens (for FLOPs). */
  attended?(options: O, t: number): number;
  /** Cached key/value positions kept per layer at context `t` (windowed caches keep fewer). */
  cachedPositions?(options: O, t: number): number;
}

/** Output of a feed-forward block: `y` [B, T, D] and an optional scalar auxiliary loss. */
export interface FfnOutput {
  y: Tensor;
  aux?: Tensor;
}

/** The feed-forward block: [B, T, D] -> [B, T, D]. */
export interface FfnManifest<O extends SlotOptions = SlotOptions> extends ManifestBase<'ffn', O> {
  apply(params: Params, xBTD: Tensor, options: O, ctx: ApplyContext): FfnOutput;
}

/** Inputs of a loss hook: per-row log-sum-exp of the final logits and the valid-row mask. */
export interface LossTerms {
  /** log(sum(exp(logits))) per predicted token, [N]. */
  logsumexpN: Tensor;
  /** 1 for tokens that count, 0 for padding, [N]. */
  weightN: Tensor;
  /** Number of counted tokens. */
  count: number;
}

/**
 * A stability trick. Each hook is optional; the model calls the ones present. Per-layer
 * parameters (e.g. QK-norm gains) come from `params`, scoped under the layer.
 */
export interface StabilityManifest<O extends SlotOptions = SlotOptions> extends ManifestBase<'stability', O> {
  /** [B, T, D] embeddings -> [B, T, D]. */
  embedding?(xBTD: Tensor, options: O, ctx: ApplyContext): Tensor;
  projections?(params: Params, q: Tensor, k: Tensor, v: Tensor, options: O, ctx: ApplyContext): [Tensor, Tensor, Tensor];
  queryKey?(params: Params, qBHTK: Tensor, kBGSK: Tensor, options: O, ctx: ApplyContext): [Tensor, Tensor];
  scores?(scoresBHTS: Tensor, options: O, ctx: ApplyContext): Tensor;
  /** Final logits [N, V] -> [N, V]. */
  logits?(logitsNV: Tensor, options: O, ctx: ApplyContext): Tensor;
  /** A scalar added to the training loss. */
  loss?(terms: LossTerms, options: O, ctx: ApplyContext): Tensor;
}

export type PluginManifest =
  | NormManifest<any>
  | PositionManifest<any>
  | FfnManifest<any>
  | AttentionManifest<any>
  | StabilityManifest<any>;

export type ManifestOf<K extends SlotKind> = Extract<PluginManifest, { kind: K }>;
