/** Checks for NaN and Infinity in float32 data. */

/**
 * Returns the index of the first NaN, Infinity or -Infinity in `values`, or -1 when every value
 * is finite. It reads `values` once and copies nothing, so it suits multi-gigabyte weights.
 */
export function firstNonFiniteIndex(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    // x - x is 0 for every finite x, and NaN for NaN and for either infinity.
    const value = values[i]!;
    if (value - value !== 0) return i;
  }
  return -1;
}
