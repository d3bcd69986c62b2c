/**
 * Shared test set-up: runs the same tfjs computation with the stock cpu kernels and with the
 * native ones, and compares the values.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

import { setOutputPoisoning } from '../alloc.js';
import { loadNativeAddon } from '../load-addon.js';
import { registerNativeKernels, restoreStockKernels } from '../register.js';

export { tf };

const status = loadNativeAddon();
// Kernels must write every element of an uninitialised output: NaN poisoning makes a missed one fail.
setOutputPoisoning(true);

/** Empty when the addon loaded; otherwise the reason, shown in the skipped suite's name. */
export const skipReason = status.ok ? '' : `native addon unavailable: ${status.reason}`;
export const addonMissing = !status.ok;

export interface Computed {
  shape: number[];
  values: Float32Array;
}

function collect(result: tf.Tensor | tf.Tensor[]): Computed[] {
  const list = Array.isArray(result) ? result : [result];
  const computed = list.map((t) => ({ shape: t.shape.slice(), values: Float32Array.from(t.dataSync()) }));
  list.forEach((t) => t.dispose());
  return computed;
}

/** Runs `fn` with the stock kernels. */
export function runStock(fn: () => tf.Tensor | tf.Tensor[]): Computed[] {
  restoreStockKernels(tf);
  return collect(tf.tidy(fn));
}

/** Runs `fn` with the native kernels registered (all of them, or only `kernels`). */
export function runNative(fn: () => tf.Tensor | tf.Tensor[], kernels?: readonly string[]): Computed[] {
  const { registered } = registerNativeKernels(tf, 'cpu', kernels ? { kernels } : {});
  expect(registered.length, 'no native kernel was registered').toBeGreaterThan(0);
  try {
    return collect(tf.tidy(fn));
  } finally {
    restoreStockKernels(tf);
  }
}

/** Runs `fn` once with the stock kernels and once with the native kernels registered. */
export function runBoth(fn: () => tf.Tensor | tf.Tensor[], kernels?: readonly string[]): { stock: Computed[]; native: Computed[] } {
  const stock = runStock(fn);
  return { stock, native: runNative(fn, kernels) };
}

/**
 * Asserts |actual - expected| <= rtol * (|expected| + mean |expected|) elementwise. The mean
 * term keeps near-zero results of cancelling sums (matmul, reductions, gradients) from
 * failing on rounding that differs only in summation order.
 */
export function expectClose(actual: Computed, expected: Computed, rtol = 1e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.values.length).toBe(expected.values.length);
  let meanAbs = 0;
  for (const v of expected.values) meanAbs += Math.abs(v);
  meanAbs /= Math.max(1, expected.values.length);
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < expected.values.length; i++) {
    const e = expected.values[i]!;
    const a = actual.values[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      expect(Number.isNaN(a), `NaN mismatch at ${i}: native ${a}, stock ${e}`).toBe(Number.isNaN(e));
      continue;
    }
    if (e === a) continue;
    const excess = Math.abs(a - e) / (Math.abs(e) + meanAbs + Number.MIN_VALUE);
    if (excess > worst) {
      worst = excess;
      worstIndex = i;
    }
  }
  expect(worst, `worst relative error at index ${worstIndex}: native ${actual.values[worstIndex]}, stock ${expected.values[worstIndex]}`).toBeLessThanOrEqual(rtol);
}

/** Compares every output of `fn` between stock and native kernels. */
export function expectSameAsStock(fn: () => tf.Tensor | tf.Tensor[], rtol = 1e-5, kernels?: readonly string[]): void {
  const { stock, native } = runBoth(fn, kernels);
  expect(native.length).toBe(stock.length);
  native.forEach((result, i) => expectClose(result, stock[i]!, rtol));
}

/** Creates a seeded standard normal tensor. */
export function randn(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}
