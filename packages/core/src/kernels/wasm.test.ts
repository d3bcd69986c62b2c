// Legend: M rows, N columns, K shared dimension.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backend.js';
import { tf } from '../tf.js';
import { registerWasmKernels } from './wasm.js';

beforeAll(async () => {
  await selectBackend('wasm', {});
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Returns `count` seeded uniform values in [-1, 1). */
function values(count: number, seed: number): Float32Array {
  const tensor = tf.randomUniform([count], -1, 1, 'float32', seed);
  const data = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return data;
}

function sizeOf(shape: number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * Computes op(a) x op(b) in float64 with numpy broadcasting of the batch dims, and for each
 * element the bound k * 2^-23 * sum |a_ip * b_pj|: twice the float32 error bound of a k-term
 * dot product, whatever order the kernel sums in.
 */
function reference(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], transposeA: boolean, transposeB: boolean) {
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const pad = (batch: number[]) => [...Array<number>(rank - batch.length).fill(1), ...batch];
  const aDims = pad(aBatch);
  const bDims = pad(bBatch);
  const outBatch = aDims.map((dim, axis) => Math.max(dim, bDims[axis]!));
  const [aRows, aCols] = aShape.slice(-2) as [number, number];
  const [bRows, bCols] = bShape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;

  const batches = sizeOf(outBatch);
  const out = new Float64Array(batches * m * n);
  const bound = new Float64Array(batches * m * n);

  const index = (dims: number[], coordinates: number[]) => dims.reduce((flat, dim, axis) => flat * dim + (dim === 1 ? 0 : coordinates[axis]!), 0);
  for (let batch = 0; batch < batches; batch++) {
    const coordinates: number[] = [];
    let rest = batch;
    for (let axis = rank - 1; axis >= 0; axis--) {
      coordinates[axis] = rest % outBatch[axis]!;
      rest = Math.floor(rest / outBatch[axis]!);
    }

    const aBase = index(aDims, coordinates) * aRows * aCols;
    const bBase = index(bDims, coordinates) * bRows * bCols;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let magnitude = 0;
        for (let p = 0; p < k; p++) {
          const x = a[aBase + (transposeA ? p * aCols + i : i * aCols + p)]!;
          const y = b[bBase + (transposeB ? j * bCols + p : p * bCols + j)]!;
          sum += x * y;
          magnitude += Math.abs(x * y);
        }
        out[(batch * m + i) * n + j] = sum;
        bound[(batch * m + i) * n + j] = k * 2 ** -23 * magnitude;
      }
    }
  }
  return { shape: [...outBatch, m, n], out, bound };
}

const CASES: Array<{ a: number[]; b: number[]; transposeA?: boolean; transposeB?: boolean }> = [
  { a: [3, 5], b: [5, 7] },
  { a: [5, 3], b: [5, 7], transposeA: true },
  { a: [3, 5], b: [7, 5], transposeB: true },
  { a: [5, 3], b: [7, 5], transposeA: true, transposeB: true },
  { a: [1, 9], b: [6, 9], transposeB: true },
  { a: [9, 1], b: [9, 6], transposeA: true },
  { a: [3, 5, 7], b: [7, 4] },
  { a: [3, 7, 5], b: [4, 7], transposeA: true, transposeB: true },
  { a: [3, 5, 7], b: [3, 7, 4] },
  { a: [2, 3, 6, 4], b: [2, 3, 5, 6], transposeA: true, transposeB: true },
  { a: [5, 7], b: [3, 7, 4] },
  { a: [2, 1, 3, 4], b: [1, 3, 4, 5] },
  { a: [2, 3, 4, 5], b: [3, 5, 2] },
  // Batches of at least 8,192 multiply-adds, which run one XNNPACK product per batch.
  { a: [3, 20, 30], b: [3, 30, 25] },
  { a: [2, 3, 30, 20], b: [2, 3, 25, 30], transposeA: true, transposeB: true },
  { a: [20, 30], b: [3, 30, 25] },
  { a: [2, 1, 20, 30], b: [1, 3, 30, 25] },
  { a: [2, 1, 20, 30], b: [3, 25, 30], transposeB: true },
  { a: [8, 128, 32], b: [8, 128, 32], transposeB: true },
  { a: [256, 70], b: [256, 300], transposeA: true },
];

describe('wasm BatchMatMul', () => {
  for (const { a: aShape, b: bShape, transposeA = false, transposeB = false } of CASES) {
    it(`matches a float64 product for [${aShape}] x [${bShape}] tA=${transposeA} tB=${transposeB}`, () => {
      const a = values(sizeOf(aShape), 1);
      const b = values(sizeOf(bShape), 2);
      const expected = reference(a, aShape, b, bShape, transposeA, transposeB);
      const product = tf.tidy(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB));
      expect(product.shape).toEqual(expected.shape);
      const actual = product.dataSync();
      product.dispose();
      let worst = 0;
      for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected.out[i]!) - expected.bound[i]!);
      expect(worst).toBeLessThanOrEqual(0);
    });
  }

  it('returns zeros for an empty shared dimension', () => {
    for (const [aShape, bShape] of [
      [[3, 0], [0, 4]],
      [[2, 3, 0], [2, 0, 4]],
    ]) {
      const product = tf.tidy(() => tf.matMul(tf.zeros(aShape!), tf.zeros(bShape!)));
      expect(product.shape).toEqual([...aShape!.slice(0, -1), bShape!.at(-1)!]);
      expect(Array.from(product.dataSync()).every((value) => value === 0)).toBe(true);
      product.dispose();
    }
  });

  it('returns an empty batch', () => {
    const before = tf.engine().backend.numDataIds();
    const product = tf.tidy(() => tf.matMul(tf.zeros([0, 3, 4]), tf.zeros([3, 5]), true, false));
    expect(product.shape).toEqual([0, 4, 5]);
    product.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('rejects mismatched inner dimensions', () => {
    const a = tf.zeros([2, 3, 4]);
    const b = tf.zeros([2, 5, 6]);
    expect(() => tf.matMul(a, b)).toThrow('inner shapes (4) and (5) of Tensors with shapes 2,3,4 and 2,5,6');
    expect(() => tf.matMul(tf.zeros([2, 4, 3]), tf.zeros([5, 6]), true, false)).toThrow('inner shapes (4) and (5)');
    // Batches large enough for the per-batch XNNPACK products.
    const large = tf.zeros([2, 20, 30]);
    const other = tf.zeros([2, 31, 25]);
    expect(() => tf.matMul(large, other)).toThrow('inner shapes (30) and (31)');
    tf.dispose([a, b, large, other]);
  });

  it('leaves no data behind', () => {
    // A kept reshape of an input would hold its data after the input is disposed.
    const before = tf.engine().backend.numDataIds();
    const a = tf.tensor(values(2 * 3 * 6 * 4, 3), [2, 3, 6, 4]);
    const b = tf.tensor(values(3 * 5 * 6, 4), [3, 5, 6]);
    const flat = tf.reshape(a, [6, 6, 4]);
    const weight = tf.zeros([4, 7]);
    tf.matMul(a, b, true, true).dispose();
    tf.matMul(flat, weight).dispose();
    tf.dispose([a, b, flat, weight]);
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('frees its output when a batch fails', () => {
    const backend = tf.engine().backend as unknown as { makeOutput: (...args: unknown[]) => unknown };
    const makeOutput = backend.makeOutput;
    const a = tf.tensor(values(2 * 20 * 30, 8), [2, 20, 30]);
    const b = tf.tensor(values(2 * 30 * 25, 9), [2, 30, 25]);
    const before = tf.engine().backend.numDataIds();
    let calls = 0;
    // The output is the first allocation, the first batch's slice of a the second.
    backend.makeOutput = function (this: unknown, ...args: unknown[]) {
      if (++calls === 2) throw new Error('simulated allocation failure');
      return makeOutput.apply(this, args);
    };
    try {
      expect(() => tf.matMul(a, b)).toThrow('simulated allocation failure');
    } finally {
      backend.makeOutput = makeOutput;
    }
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([a, b]);
  });

  it('gives the cpu backend gradients', async () => {
    const aValues = values(2 * 4 * 3, 5);
    const bValues = values(2 * 5 * 4, 6);
    const weights = values(2 * 3 * 5, 7);
    const gradients = () =>
      tf.tidy(() => {
        const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, true, true), tf.tensor(weights, [2, 3, 5])));
        return tf.grads(loss)([tf.tensor(aValues, [2, 4, 3]), tf.tensor(bValues, [2, 5, 4])]).map((grad) => Array.from(grad.dataSync()));
      });
    const wasm = gradients();
    await tf.setBackend('cpu');
    const cpu = gradients();
    await tf.setBackend('wasm');
    for (const [index, grad] of wasm.entries()) {
      // Each gradient element sums at most 5 products of values below 1 in magnitude.
      for (const [i, value] of grad.entries()) expect(Math.abs(value - cpu[index]![i]!)).toBeLessThan(1e-5);
    }
  });

  it('registers once', () => {
    const first = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
    expect(registerWasmKernels()).toEqual(['UnsortedSegmentSum', 'BatchMatMul']);
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(first);
  });
});
