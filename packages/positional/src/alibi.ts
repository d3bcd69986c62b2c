// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * ALiBi (Press et al. 2022, arXiv 2108.12409): no position embeddings. Each head h adds
 * -slope_h * (i - j) to the score of query position i for key position j, with a geometric
 * sequence of slopes per head.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type ParamSpec, type Params, type PositionManifest, type SlotOptions, type Tensor } from '@archzoo/core';

export interface AlibiOptions extends SlotOptions {
  type: 'alibi';
}

function powerOfTwoSlopes(heads: number): number[] {
  // Geometric sequence starting at and multiplied by 2^(-8 / heads).
  const ratio = Math.pow(2, -8 / heads);
  return Array.from({ length: heads }, (_, h) => Math.pow(ratio, h + 1));
}

/**
 * Returns the slope of each of `heads` heads. For a power of two n: 2^(-8/n), 2^(-16/n), ..., 2^(-8).
 * Otherwise, the slopes of the closest smaller power of two c, followed by every other slope
 * (the 1st, 3rd, ...) of 2c, up to `heads` in all, as the ALiBi reference code and HF BLOOM's
 * build_alibi_tensor do.
 */
export function alibiSlopes(heads: number): number[] {
  const closest = 2 ** Math.floor(Math.log2(heads));
  const slopes = powerOfTwoSlopes(closest);
  if (closest === heads) return slopes;
  const extra = powerOfTwoSlopes(2 * closest).filter((_, i) => i % 2 === 0);
  return [...slopes, ...extra.slice(0, heads - closest)];
}

const MAX_CACHED_BIASES = 64;
const biasCache = new Map<string, Float32Array>();

/**
 * Returns bias values [H, T, S] as a Float32Array: -slope_h * (i - j) for key j <= query i, where
 * i = qStart + t. Keys after the query get 0, because the causal mask removes them. Every layer
 * uses the same bias, so the 64 most recently used arrays are cached; callers must not write to them.
 */
export function alibiBias(heads: number, seq: number, keys: number, qStart: number): Float32Array {
  const key = `${heads}|${seq}|${keys}|${qStart}`;
  const cached = biasCache.get(key);
  if (cached) {
    biasCache.delete(key);
    biasCache.set(key, cached);
    return cached;
  }
  const slopes = alibiSlopes(heads);
  const bias = new Float32Array(heads * seq * keys);
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < seq; t++) {
      const query = qStart + t;
      for (let key = 0; key < keys; key++) {
        const distance = query - key;
        bias[(h * seq + t) * keys + key] = distance > 0 ? -slopes[h] * distance : 0;
      }
    }
  }
  biasCache.set(key, bias);
  if (biasCache.size > MAX_CACHED_BIASES) biasCache.delete(biasCache.keys().next().value as string);
  return bias;
}

export const alibi: PositionManifest<AlibiOptions> = {
  id: 'alibi',
  kind: 'position',
  contract: CONTRACT_VERSION,
  package: '@archzoo/positional',
  description: 'ALiBi: a per-head linear penalty -slope * distance added to the attention scores',
  schema: {},
  defaults: {},
  references: [
    'Press, Smith, Lewis 2022, "Train Short, Test Long: Attention with Linear Biases Enables Input Length Extrapolation", arXiv 2108.12409',
    'huggingface/transformers src/transformers/models/bloom/modeling_bloom.py, build_alibi_tensor (slopes for head counts that are not a power of two)',
  ],
  params(): ParamSpec[] {
    return [];
  },
  /** -> [H, T, S] for queries at qStart..qStart+T-1 and keys at 0..S-1. */
  bias(_params: Params, tQueries: number, sKeys: number, qStart: number, _options: AlibiOptions, ctx: ApplyContext): Tensor {
    const heads = ctx.dims.n_heads;
    return tf.tensor3d(alibiBias(heads, tQueries, sKeys, qStart), [heads, tQueries, sKeys]);
  },
};
