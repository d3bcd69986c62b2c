// Legend: B batch, G key/value heads, T new positions, S cached plus new positions, K head dim.
import { tf, type LayerKVCache, type Tensor } from '@archzoo/core';

/** Keys and values a layer attends to, after appending the new ones to its cache. */
export interface AttendedKV {
  keysBGSK: Tensor;
  valuesBGSK: Tensor;
  /** Absolute position of keysBGSK[:, :, 0]. */
  keyStart: number;
}

/**
 * Appends new keys/values [B, G, T, K] at absolute position `start` to `cache` and returns all
 * keys/values the new queries may need [B, G, S, K]. The cache is updated in place: it keeps the
 * last `keep` positions (a rolling buffer for sliding windows; Infinity keeps all), the kept
 * tensors survive the caller's tidy, and the replaced cache tensors are disposed.
 */
export function appendToCache(cache: LayerKVCache, keysBGTK: Tensor, valuesBGTK: Tensor, start: number, keep: number): AttendedKV {
  const cachedLength = cache.keys?.shape[2] ?? 0;
  if (cache.keys !== undefined && cache.start + cachedLength !== start) {
    throw new RangeError(
      `KV cache contains positions ${cache.start}..${cache.start + cachedLength - 1}, but the new queries start at ${start}; decode positions in order without gaps`,
    );
  }
  const keyStart = cache.keys === undefined ? start : cache.start;
  const keysBGSK = cache.keys === undefined ? keysBGTK : tf.concat([cache.keys, keysBGTK], 2);
  const valuesBGSK = cache.values === undefined ? valuesBGTK : tf.concat([cache.values, valuesBGTK], 2);

  const total = keysBGSK.shape[2]!;
  const dropped = Math.max(0, total - keep);
  const oldKeys = cache.keys;
  const oldValues = cache.values;
  cache.keys = tf.keep(dropped === 0 ? keysBGSK : tf.slice(keysBGSK, [0, 0, dropped, 0], [-1, -1, -1, -1]));
  cache.values = tf.keep(dropped === 0 ? valuesBGSK : tf.slice(valuesBGSK, [0, 0, dropped, 0], [-1, -1, -1, -1]));
  cache.start = keyStart + dropped;
  oldKeys?.dispose();
  oldValues?.dispose();
  return { keysBGSK, valuesBGSK, keyStart };
}
