// Legend: B batch, M rows, N columns, K shared dimension.
import { beforeAll, describe, expect, it } from 'vitest';

import { addonMissing, expectClose, expectSameAsStock, randn, runNative, runStock, skipReason, tf } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CASES: Array<{ a: number[]; b: number[]; transposeA?: boolean; transposeB?: boolean }> = [
  { a: [1, 1], b: [1, 1] },
  { a: [3, 5], b: [5, 7] },
  { a: [5, 3], b: [5, 7], transposeA: true },
  { a: [3, 5], b: [7, 5], transposeB: true },
  { a: [5, 3], b: [7, 5], transposeA: true, transposeB: true },
  { a: [3, 5, 7], b: [7, 4] },
  { a: [3, 5, 7], b: [3, 7, 4] },
  { a: [2, 3, 4, 6], b: [2, 3, 6, 5], transposeB: false },
  { a: [2, 3, 6, 4], b: [2, 3, 5, 6], transposeA: true, transposeB: true },
  { a: [4, 1], b: [1, 3] },
  { a: [33, 70], b: [70, 65] },
  // One row or one column: the matrix-vector path, in every transpose, batched and broadcast.
  { a: [1, 9], b: [9, 6] },
  { a: [9, 1], b: [9, 6], transposeA: true },
  { a: [1, 9], b: [6, 9], transposeB: true },
  { a: [9, 1], b: [6, 9], transposeA: true, transposeB: true },
  { a: [6, 9], b: [9, 1] },
  { a: [9, 6], b: [9, 1], transposeA: true },
  { a: [6, 9], b: [1, 9], transposeB: true },
  { a: [9, 6], b: [1, 9], transposeA: true, transposeB: true },
  { a: [2, 3, 1, 8], b: [2, 3, 11, 8], transposeB: true },
  { a: [2, 3, 1, 11], b: [3, 11, 8] },
  { a: [4, 1, 7], b: [7, 5] },
  // Above 262,144 multiply-adds the matrix-vector path uses every GEMM thread.
  { a: [1, 300], b: [300, 1001] },
  { a: [300, 1], b: [1001, 300], transposeA: true, transposeB: true },
  { a: [1001, 300], b: [300, 1] },
  { a: [300, 1001], b: [1, 300], transposeA: true, transposeB: true },
];

describe.skipIf(addonMissing)(`BatchMatMul native ${skipReason}`, () => {
  for (const { a, b, transposeA = false, transposeB = false } of CASES) {
    it(`matches stock for [${a}] x [${b}] tA=${transposeA} tB=${transposeB}`, () => {
      expectSameAsStock(() => tf.matMul(randn(a, 1), randn(b, 2), transposeA, transposeB));
    });
  }

  it('broadcasts batch dims on both sides', () => {
    // Reference: tile both operands to the full batch shape first, which the stock kernel handles.
    const native = runNative(() => tf.matMul(randn([2, 1, 3, 4], 3), randn([1, 3, 4, 5], 4)));
    const stock = runStock(() =>
      tf.matMul(tf.tile(randn([2, 1, 3, 4], 3), [1, 3, 1, 1]), tf.tile(randn([1, 3, 4, 5], 4), [2, 1, 1, 1])),
    );
    expect(native[0]!.shape).toEqual([2, 3, 3, 5]);
    expectClose(native[0]!, stock[0]!);
  });

  it('broadcasts a lower-rank batch', () => {
    expectSameAsStock(() => tf.matMul(randn([2, 3, 4, 5], 5), randn([3, 5, 2], 6)));
  });

  it('gradients match stock', () => {
    expectSameAsStock(() => {
      const a = randn([2, 3, 4], 7);
      const b = randn([2, 4, 5], 8);
      const weights = randn([2, 3, 5], 9);
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), weights)));
      return grads([a, b]);
    });
  });

  it('gradients through a shared weight match stock', () => {
    // The tfjs-core 4.22 BatchMatMul gradient does not sum over broadcast batch dimensions,
    // so [2, 3, 4] x [4, 5] is written the way models do it: reshaped to [6, 4] x [4, 5].
    expectSameAsStock(() => {
      const x = randn([2, 3, 4], 13);
      const w = randn([4, 5], 14);
      const weights = randn([2, 3, 5], 15);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.reshape(tf.matMul(tf.reshape(a, [6, 4]), b), [2, 3, 5]), weights)),
      );
      return grads([x, w]);
    });
  });

  it('transposed gradients match stock', () => {
    expectSameAsStock(() => {
      const a = randn([4, 3], 10);
      const b = randn([5, 4], 11);
      const weights = randn([3, 5], 12);
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, true, true), weights)));
      return grads([a, b]);
    });
  });
});

describe.skipIf(addonMissing)(`_FusedMatMul native ${skipReason}`, () => {
  const activations = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
  for (const activation of activations) {
    it(`matches stock with bias and ${activation}`, () => {
      expectSameAsStock(() =>
        tf.fused.matMul({
          a: randn([6, 5], 20),
          b: randn([5, 7], 21),
          bias: randn([7], 22),
          activation,
          preluActivationWeights: activation === 'prelu' ? randn([7], 23) : undefined,
          leakyreluAlpha: 0.1,
        }),
      );
    });
  }

  it('matches stock batched, transposed, with a broadcast bias', () => {
    expectSameAsStock(() =>
      tf.fused.matMul({
        a: randn([2, 5, 3], 24),
        b: randn([2, 4, 5], 25),
        transposeA: true,
        transposeB: true,
        bias: randn([3, 1], 26),
        activation: 'relu',
      }),
    );
  });

  it('gradients match stock', () => {
    expectSameAsStock(() => {
      const a = randn([6, 5], 27);
      const b = randn([5, 7], 28);
      const bias = randn([7], 29);
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
        tf.sum(tf.square(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias: z, activation: 'relu' }))),
      );
      return grads([a, b, bias]);
    });
  });
});
