// Legend: T queries, S keys; positions are absolute token indices.
/**
 * Visibility rules of attention masks. Every pattern is causal: key position j is visible from query
 * position i only when j <= i. On top of that:
 * - window w: i - j < w, so a query attends to itself and the w - 1 keys before it (Mistral, Gemma 2).
 * - sparse 'strided' with stride l (Child et al. 2019, arXiv 1904.10509, eq. for A(1) and A(2)):
 *   i - j < l or (i - j) mod l = 0, i.e. the previous l positions plus every l-th one before them.
 * - sparse 'fixed' with block l and summary width c: j lies in the same block of l positions as i
 *   (floor(j / l) = floor(i / l)), or j is one of the last c positions of its block
 *   (j mod l >= l - c).
 * The paper splits A(1) and A(2) across heads or layers; here one head attends to their union,
 * which is the paper's "merged head" variant. A window and a sparse pattern may be combined; a key
 * must then pass both.
 */
import { tf, type Tensor } from '@archzoo/core';

/** The visibility rule of one attention layer beyond causality. */
export interface MaskSpec {
  window?: number;
  sparse?: 'strided' | 'fixed';
  /** Stride l of 'strided', block length l of 'fixed'. */
  block?: number;
  /** Summary positions per block of 'fixed'. */
  c?: number;
}

/** Additive mask value for hidden keys: finite, so that 0 * mask and bias + mask stay finite. */
export const MASKED = Math.fround(-1e30);

/** Tests whether key position `keyPos` is visible from query position `queryPos`. */
export function isVisible(queryPos: number, keyPos: number, spec: MaskSpec): boolean {
  const distance = queryPos - keyPos;
  if (distance < 0) return false;
  if (spec.window !== undefined && distance >= spec.window) return false;
  if (spec.sparse === 'strided') return distance < spec.block! || distance % spec.block! === 0;
  if (spec.sparse === 'fixed') {
    const block = spec.block!;
    return Math.floor(keyPos / block) === Math.floor(queryPos / block) || keyPos % block >= block - spec.c!;
  }
  return true;
}

function cacheKey(tQueries: number, sKeys: number, queryStart: number, keyStart: number, spec: MaskSpec): string {
  // Causal and windowed masks depend only on the offset between the first query and first key.
  const position = spec.sparse === undefined ? `${queryStart - keyStart}` : `${queryStart},${keyStart}`;
  return `${tQueries},${sKeys},${position},${spec.window},${spec.sparse},${spec.block},${spec.c}`;
}

// Mask values by shape and pattern, least recently used first. The bound of 2^22 float32
// elements (16 MiB) fits one 2048 x 2048 training mask or many small decoding masks.
const maskCache = new Map<string, { values: Float32Array; allVisible: boolean }>();
const MASK_CACHE_MAX_ELEMENTS = 1 << 22;
let maskCacheElements = 0;

function maskValues(tQueries: number, sKeys: number, queryStart: number, keyStart: number, spec: MaskSpec): { values: Float32Array; allVisible: boolean } {
  const key = cacheKey(tQueries, sKeys, queryStart, keyStart, spec);
  const hit = maskCache.get(key);
  if (hit) {
    maskCache.delete(key);
    maskCache.set(key, hit);
    return hit;
  }
  const values = new Float32Array(tQueries * sKeys);
  let allVisible = true;
  for (let i = 0; i < tQueries; i++) {
    for (let j = 0; j < sKeys; j++) {
      if (!isVisible(queryStart + i, keyStart + j, spec)) {
        values[i * sKeys + j] = MASKED;
        allVisible = false;
      }
    }
  }
  const entry = { values, allVisible };
  if (values.length <= MASK_CACHE_MAX_ELEMENTS) {
    maskCache.set(key, entry);
    maskCacheElements += values.length;
    for (const [oldKey, old] of maskCache) {
      if (maskCacheElements <= MASK_CACHE_MAX_ELEMENTS) break;
      maskCache.delete(oldKey);
      maskCacheElements -= old.values.length;
    }
  }
  return entry;
}

/**
 * Builds the additive mask [T, S] (0 where visible, MASKED where hidden) for queries at
 * `queryStart`.. and keys at `keyStart`..; returns null when every key is visible, so the caller
 * can skip the add. The values are cached by shape and pattern; the tensor is new on each call.
 */
export function additiveMask(tQueries: number, sKeys: number, queryStart: number, keyStart: number, spec: MaskSpec): Tensor | null {
  const { values, allVisible } = maskValues(tQueries, sKeys, queryStart, keyStart, spec);
  return allVisible ? null : tf.tensor2d(values, [tQueries, sKeys]);
}

/** Counts the keys in [max(0, i - w + 1), i] visible to query i, in O(1). */
function visibleCount(queryPos: number, spec: MaskSpec): number {
  const first = spec.window === undefined ? 0 : Math.max(0, queryPos - spec.window + 1);
  const maxDistance = queryPos - first;
  if (spec.sparse === 'strided') {
    const stride = spec.block!;
    return Math.min(maxDistance + 1, stride) + Math.floor(maxDistance / stride);
  }
  if (spec.sparse === 'fixed') {
    const block = spec.block!;
    const summary = spec.c!;
    const blockStart = Math.max(first, Math.floor(queryPos / block) * block);
    // Summary positions in [0, n): c per whole block plus those in the partial last block.
    const summaryBelow = (n: number) => Math.floor(n / block) * summary + Math.max(0, (n % block) - (block - summary));
    return queryPos - blockStart + 1 + Math.max(0, summaryBelow(blockStart) - summaryBelow(first));
  }
  return maxDistance + 1;
}

/** Computes the mean number of keys a query attends to over `t` tokens starting at position 0. */
export function meanAttended(spec: MaskSpec, t: number): number {
  let total = 0;
  for (let i = 0; i < t; i++) total += visibleCount(i, spec);
  return t === 0 ? 0 : total / t;
}
