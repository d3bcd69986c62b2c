// Legend: B batch, T sequence, D model width, F FFN width.
/** Test helpers: loading the numpy fixtures and comparing tensors with them. */
import { readFileSync } from 'node:fs';
import { tf, type Dims, type Params, type Tensor } from '@archzoo/core';
import { expect } from 'vitest';

export interface TensorJson {
  shape: number[];
  data: number[];
}

export interface FfnCase {
  options: { type: string; [key: string]: unknown };
  params: Record<string, TensorJson>;
  y: TensorJson;
  aux?: number;
  chosen?: number[][];
}

export interface FfnFixture {
  dims: { d_model: number; d_ff: number };
  x: TensorJson;
  cases: Record<string, FfnCase>;
}

/** Reads ffn.json, written by make_ffn_fixtures.py in this folder. */
export function loadFfnFixture(): FfnFixture {
  return JSON.parse(readFileSync(new URL('./ffn.json', import.meta.url), 'utf8')) as FfnFixture;
}

export function toTensor(json: TensorJson): Tensor {
  return tf.tensor(json.data, json.shape, 'float32');
}

export function toParams(json: Record<string, TensorJson>): Params {
  return Object.fromEntries(Object.entries(json).map(([name, value]) => [name, toTensor(value)]));
}

/** Dims for FFN tests; only d_model and d_ff matter to an FFN. */
export function ffnDims(dModel: number, dFf: number): Dims {
  return { vocab_size: 16, d_model: dModel, n_layers: 1, n_heads: 1, n_kv_heads: 1, head_dim: dModel, d_ff: dFf, context_length: 16 };
}

/** Asserts |actual - expected| <= atol + rtol * |expected| elementwise, and equal shapes. */
export function expectClose(actual: Tensor, expected: TensorJson, atol: number, rtol = 0): void {
  expect(actual.shape).toEqual(expected.shape);
  const values = actual.dataSync();
  let worst = 0;
  let worstIndex = -1;
  expected.data.forEach((want, i) => {
    const excess = Math.abs(values[i] - want) - (atol + rtol * Math.abs(want));
    if (excess > worst) {
      worst = excess;
      worstIndex = i;
    }
  });
  const where = worstIndex < 0 ? 'none' : `index ${worstIndex}: got ${values[worstIndex]}, expected ${expected.data[worstIndex]}`;
  expect(where).toBe('none');
}

/**
 * Compares tf.grads of `loss` with central finite differences at `probes` entries of each input.
 * float32 central differences with step `eps` carry O(eps^2) truncation error plus rounding noise
 * of about 1e-7 * |loss| / eps, which `tol` must cover.
 */
export function expectGradientsMatch(loss: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], eps = 1e-2, tol = 2e-2, probes = 6): void {
  const analytic = tf.grads((...xs: Tensor[]) => loss(...xs) as tf.Scalar)(inputs);
  inputs.forEach((input, which) => {
    const base = input.dataSync().slice();
    const gradient = analytic[which].dataSync();
    const step = Math.max(1, Math.floor(base.length / probes));
    for (let i = 0; i < base.length; i += step) {
      const shifted = (delta: number): number => {
        const values = base.slice();
        values[i] += delta;
        const moved = inputs.map((other, j) => (j === which ? tf.tensor(values, input.shape) : other));
        const value = tf.tidy(() => loss(...moved).dataSync()[0]);
        moved[which].dispose();
        return value;
      };
      const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
      const error = Math.abs(numeric - gradient[i]);
      expect(error, `input ${which} entry ${i}: analytic ${gradient[i]}, numeric ${numeric}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(numeric)));
    }
  });
  analytic.forEach((g) => g.dispose());
}
