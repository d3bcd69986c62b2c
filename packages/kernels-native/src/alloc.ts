/**
 * Output buffers for kernels that write every element. `new Float32Array(n)` zero-fills, and a
 * large zeroed block usually comes fresh from the kernel, so each of its pages faults on first
 * write. Large outputs instead take a disposed output's buffer from the pool (pool.ts) or a new
 * one from `Buffer.allocUnsafeSlow`, which skips the zeroing and reuses memory that malloc has
 * already mapped (see `tuneMalloc` in native/addon.cc). Small outputs keep `new Float32Array`.
 */
import { takeBuffer } from './pool.js';


/** Outputs below this many elements (64 KiB) are zero-filled, which costs less than a Buffer. */
const UNSAFE_MIN_ELEMENTS = 16_384;

let poison = false;

/**
 * Fills every new uninitialised output with NaN, so that a kernel which leaves an element
 * unwritten fails its value checks instead of passing on memory that happened to be zero.
 */
export function setOutputPoisoning(on: boolean): void {
  poison = on;
}

/** Returns a Float32Array of `length` elements whose contents are unspecified: the kernel must write every element. */
export function uninitializedFloat32(length: number): Float32Array {
  if (length < UNSAFE_MIN_ELEMENTS) return poison ? new Float32Array(length).fill(Number.NaN) : new Float32Array(length);
  const values = new Float32Array(takeBuffer(length * 4), 0, length);
  if (poison) values.fill(Number.NaN);
  return values;
}
