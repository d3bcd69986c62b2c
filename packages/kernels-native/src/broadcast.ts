/**
 * Numpy-style broadcasting, as tfjs `broadcast_util.assertAndGetBroadcastShape` defines it:
 * shapes align on the right, and each pair of dimensions must be equal or contain a 1.
 */

/** Returns the broadcast shape of `a` and `b`, or null when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Element strides of a row-major tensor of `inShape` read along `outShape`, one per output
 * dimension, with 0 where the input is broadcast (missing or size-1 dimensions).
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const strides = new Int32Array(outShape.length);
  let stride = 1;
  for (let i = outShape.length - 1, j = inShape.length - 1; i >= 0; i--, j--) {
    const dim = j >= 0 ? inShape[j]! : 1;
    strides[i] = dim === 1 ? 0 : stride;
    stride *= dim;
  }
  return strides;
}

/**
 * For each flat index over the broadcast batch shape `outShape`, the flat batch index of an
 * operand with batch shape `inShape`.
 */
export function broadcastBatchIndices(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const strides = broadcastStrides(inShape, outShape);
  let count = 1;
  for (const dim of outShape) count *= dim;
  const indices = new Int32Array(count);
  const position = new Array<number>(outShape.length).fill(0);
  let offset = 0;
  for (let flat = 0; flat < count; flat++) {
    indices[flat] = offset;
    for (let d = outShape.length - 1; d >= 0; d--) {
      position[d]!++;
      offset += strides[d]!;
      if (position[d]! < outShape[d]!) break;
      offset -= position[d]! * strides[d]!;
      position[d] = 0;
    }
  }
  return indices;
}
