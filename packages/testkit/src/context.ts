// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * Apply contexts for calling plugins outside a model: a plain `ApplyContext`, a no-op
 * `StabilityBinding`, and a `PositionBinding` that binds a position manifest to its options and
 * parameters the way the model binds it for one layer.
 */
import type { ApplyContext, AttentionContext, Dims, Params, PositionBinding, PositionManifest, Rng, SlotOptions, StabilityBinding, Tensor } from '@archzoo/core';

/** Returns an `ApplyContext` for inference at layer 0, with `overrides` replacing any of its fields. */
export function makeContext(dims: Dims, overrides: Partial<ApplyContext> = {}): ApplyContext {
  return { dims, layer: 0, training: false, ...overrides };
}

/** A `StabilityBinding` whose hooks return their inputs unchanged (no stability plugins). */
export function identityStability(): StabilityBinding {
  return {
    projections: (q, k, v) => [q, k, v],
    queryKey: (qBHTK, kBGSK) => [qBHTK, kBGSK],
    scores: (scoresBHTS) => scoresBHTS,
  };
}

/**
 * Binds a position manifest to its resolved options and its (shared) parameters for the layer in
 * `ctx`. `manifest` null or undefined gives the empty binding of a layer without positions (NoPE).
 * Only the methods the manifest has are bound, so attention can test `binding.rotate` and
 * `binding.bias` for presence.
 */
export function bindPosition(
  manifest: PositionManifest | null | undefined,
  options: SlotOptions,
  params: Params,
  ctx: ApplyContext,
): PositionBinding {
  const binding: PositionBinding = {};
  if (!manifest) return binding;
  const rotate = manifest.rotate;
  const bias = manifest.bias;
  if (rotate) {
    /** q [B, H, T, K], k [B, G, T, K] -> the same shapes. */
    binding.rotate = (qBHTK: Tensor, kBGTK: Tensor, start: number) => rotate.call(manifest, qBHTK, kBGTK, start, options, ctx);
  }
  if (bias) {
    /** -> [H, T, S]. */
    binding.bias = (tQueries: number, sKeys: number, qStart: number) => bias.call(manifest, params, tQueries, sKeys, qStart, options, ctx);
  }
  return binding;
}

export interface AttentionContextOptions {
  position?: PositionBinding;
  stability?: StabilityBinding;
  start?: number;
  layer?: number;
  training?: boolean;
  rng?: Rng;
}

/** An `AttentionContext` with no positions and identity stability unless given. */
export function makeAttentionContext(dims: Dims, options: AttentionContextOptions = {}): AttentionContext {
  const ctx: AttentionContext = {
    dims,
    layer: options.layer ?? 0,
    training: options.training ?? false,
    position: options.position ?? {},
    stability: options.stability ?? identityStability(),
    start: options.start ?? 0,
  };
  if (options.rng) ctx.rng = options.rng;
  return ctx;
}
