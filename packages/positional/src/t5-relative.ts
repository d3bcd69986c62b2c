// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * T5 relative position bias (Raffel et al. 2020, arXiv 1910.10683), causal form: a learned scalar
 * per (bucket, head) added to the attention scores. Distances below num_buckets / 2 get a bucket
 * each, and longer ones share log-spaced buckets up to max_distance. One table serves all layers.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type ParamSpec, type Params, type PositionManifest, type SlotOptions, type Tensor } from '@archzoo/core';

export interface T5RelativeOptions extends SlotOptions {
  type: 't5_relative';
  num_buckets: number;
  /** Distances at or beyond this share the last bucket. */
  max_distance: number;
}

/**
 * Returns the bucket of a query that is `distance` >= 0 positions after its key, as HF T5's
 * `_relative_position_bucket` with bidirectional=False.
 */
export function t5RelativeBucket(distance: number, numBuckets: number, maxDistance: number): number {
  const maxExact = Math.floor(numBuckets / 2);
  if (distance < maxExact) return distance;
  // NOTE: computed in float64; HF computes this in float32, so a distance that lands exactly on a
  // bucket boundary may round differently there.
  const large = maxExact + Math.trunc((Math.log(distance / maxExact) / Math.log(maxDistance / maxExact)) * (numBuckets - maxExact));
  return Math.min(large, numBuckets - 1);
}

/** Buckets [T * S] as an Int32Array for queries at qStart.. and keys at 0..S-1; future keys get bucket 0. */
export function t5RelativeBuckets(seq: number, keys: number, qStart: number, numBuckets: number, maxDistance: number): Int32Array {
  const buckets = new Int32Array(seq * keys);
  for (let t = 0; t < seq; t++) {
    for (let key = 0; key < keys; key++) {
      buckets[t * keys + key] = t5RelativeBucket(Math.max(qStart + t - key, 0), numBuckets, maxDistance);
    }
  }
  return buckets;
}

export const t5Relative: PositionManifest<T5RelativeOptions> = {
  id: 't5_relative',
  kind: 'position',
  contract: CONTRACT_VERSION,
  package: '@archzoo/positional',
  description: 'T5 relative position bias, causal: a learned [num_buckets, n_heads] table indexed by log-spaced distance buckets',
  schema: {
    num_buckets: { type: 'number', integer: true, min: 2, description: 'number of distance buckets' },
    max_distance: { type: 'number', integer: true, min: 2, description: 'distance from which all queries share the last bucket' },
  },
  defaults: { num_buckets: 32, max_distance: 128 },
  references: [
    'Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer", arXiv 1910.10683, section 2.1',
    'huggingface/transformers src/transformers/models/t5/modeling_t5.py, T5Attention._relative_position_bucket (bidirectional=False)',
  ],
  validate(options: T5RelativeOptions): string[] {
    const maxExact = Math.floor(options.num_buckets / 2);
    if (options.max_distance <= maxExact) {
      return [`t5_relative: max_distance (${options.max_distance}) must exceed num_buckets / 2 (${maxExact}), the distances that get a bucket each; T5 uses 32 buckets and max_distance 128`];
    }
    return [];
  },
  params(options: T5RelativeOptions, dims: Dims): ParamSpec[] {
    return [{ name: 'weight', shape: [options.num_buckets, dims.n_heads], init: { kind: 'normal' }, decay: false }];
  },
  /** -> [H, T, S] for queries at qStart..qStart+T-1 and keys at 0..S-1. */
  bias(params: Params, tQueries: number, sKeys: number, qStart: number, options: T5RelativeOptions, _ctx: ApplyContext): Tensor {
    const buckets = t5RelativeBuckets(tQueries, sKeys, qStart, options.num_buckets, options.max_distance);
    return tf.tidy(() => {
      const perPairNH = tf.gather(params.weight, tf.tensor1d(buckets, 'int32'));
      return tf.reshape(tf.transpose(perPairNH), [-1, tQueries, sKeys]);
    });
  },
};
