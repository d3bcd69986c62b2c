// Legend: V vocabulary (rows of the table), D width, N looked-up tokens.
import { beforeAll, describe, expect, it } from 'vitest';

import { registerNativeKernels, restoreStockKernels } from './register.js';
import { addonMissing, expectClose, expectSameAsStock, randn, runNative, runStock, skipReason, tf } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(addonMissing)(`UnsortedSegmentSum native ${skipReason}`, () => {
  it('matches stock with repeated, negative and out-of-range ids', () => {
    expectSameAsStock(() => tf.unsortedSegmentSum(randn([7, 3, 2], 1), tf.tensor1d([0, 2, 2, -1, 5, 4, 0], 'int32'), 5));
  });

  it('matches stock for 1-D data', () => {
    expectSameAsStock(() => tf.unsortedSegmentSum(randn([6], 2), tf.tensor1d([1, 1, 0, 3, 3, 3], 'int32'), 4));
  });

  it('treats 2-D segment ids like flattened ones', () => {
    // The stock kernel (tfjs-backend-cpu 4.22) fails to broadcast 2-D ids, so the reference
    // is the stock result for x flattened to [6, 4] with the ids flattened to [6].
    const native = runNative(() =>
      tf.unsortedSegmentSum(randn([2, 3, 4], 3), tf.tensor2d([[0, 1, 1], [2, 0, 2]], [2, 3], 'int32') as unknown as tf.Tensor1D, 3),
    );
    const stock = runStock(() =>
      tf.unsortedSegmentSum(tf.reshape(randn([2, 3, 4], 3), [6, 4]), tf.tensor1d([0, 1, 1, 2, 0, 2], 'int32'), 3),
    );
    expectClose(native[0]!, stock[0]!);
  });
});

describe.skipIf(addonMissing)(`GatherV2 native ${skipReason}`, () => {
  it('matches stock for an embedding lookup [V, D] with [B, T] ids', () => {
    expectSameAsStock(() => tf.gather(randn([11, 4], 4), tf.tensor2d([[3, 0, 10], [3, 3, 1]], [2, 3], 'int32')));
  });

  it('matches stock on a middle axis', () => {
    expectSameAsStock(() => tf.gather(randn([3, 5, 7], 5), tf.tensor1d([4, 0, 4, 2], 'int32'), 1));
  });

  it('matches stock with batchDims', () => {
    expectSameAsStock(() => tf.gather(randn([2, 5, 3], 6), tf.tensor2d([[1, 4], [0, 0]], [2, 2], 'int32'), 1, 1));
  });

  it('embedding gradient matches stock', () => {
    expectSameAsStock(() => {
      const ids = tf.tensor2d([[3, 0, 10], [3, 3, 1]], [2, 3], 'int32');
      const weights = randn([2, 3, 4], 8);
      return tf.grad((table: tf.Tensor) => tf.sum(tf.mul(tf.gather(table, ids), weights)))(randn([11, 4], 7));
    });
  });

  it('leaves out-of-range ids to the stock error', () => {
    registerNativeKernels(tf, 'cpu', { kernels: ['GatherV2'] });
    try {
      expect(() => tf.tidy(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([0, 3], 'int32')))).toThrow(/GatherV2: the index value 3 is not in \[0, 2\]/);
    } finally {
      restoreStockKernels(tf);
    }
  });
});
