// Legend: M rows of op(a), N columns of op(b), K shared dimension.
import { describe, expect, it } from 'vitest';

import { loadNativeAddon } from './load-addon.js';
import { addonMissing, skipReason } from './testing/harness.js';

/** Deterministic values in [-1, 1) from a linear congruential generator. */
function filled(length: number, seed: number): Float32Array {
  const values = new Float32Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

/** op(A) x op(B) in double precision, the reference for both GEMMs. */
function referenceGemm(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const aIndex = transA ? p * m + i : i * k + p;
        const bIndex = transB ? j * k + p : p * n + j;
        sum += a[aIndex]! * b[bIndex]!;
      }
      out[i * n + j] = sum;
    }
  }
  return out;
}

// Shapes cross the builtin GEMM's block edges (6-row and 16-column tiles, 256-deep panels).
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 5, 7],
  [7, 17, 3],
  [13, 33, 300],
  [97, 20, 5],
  [4, 3, 0],
];

describe.skipIf(addonMissing)(`GEMM ${skipReason}`, () => {
  const status = loadNativeAddon();
  for (const [m, n, k] of SHAPES) {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`builtin and linked GEMM match a double reference for ${m}x${n}x${k} tA=${transA} tB=${transB}`, () => {
        if (!status.ok) throw new Error(status.reason);
        const a = filled(m * k, 1);
        const b = filled(k * n, 2);
        const expected = referenceGemm(a, b, m, n, k, transA, transB);
        const builtin = new Float32Array(m * n).fill(NaN);
        status.addon.gemmBuiltin(a, b, builtin, m, n, k, transA, transB);
        const linked = new Float32Array(m * n).fill(NaN);
        const zero = new Int32Array(1);
        status.addon.batchMatMul(a, b, linked, m, n, k, transA, transB, zero, zero);
        // float32 accumulation over k terms of magnitude <= 1: error bound about k * 2^-24.
        const tolerance = Math.max(1, k) * 1.2e-7 * 4;
        for (let i = 0; i < m * n; i++) {
          expect(Math.abs(builtin[i]! - expected[i]!), `builtin at ${i}`).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(linked[i]! - expected[i]!), `linked at ${i}`).toBeLessThanOrEqual(tolerance);
        }
      });
    }
  }
});
