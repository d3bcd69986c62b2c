import { beforeAll, describe, expect, it } from 'vitest';

import { registerNativeKernels, restoreStockKernels } from './register.js';

import { addonMissing, expectSameAsStock, randn, skipReason, tf } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(addonMissing)(`Softmax native ${skipReason}`, () => {
  for (const shape of [[1], [1, 1], [3, 5, 7], [4, 1000]]) {
    it(`matches stock on [${shape}]`, () => {
      expectSameAsStock(() => tf.softmax(tf.mul(randn(shape, 1), 4)));
    });
  }

  it('matches stock with a -1e9 causal mask', () => {
    expectSameAsStock(() => {
      const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([5, 5]), -1, 0)), -1e9);
      return tf.softmax(tf.add(randn([2, 5, 5], 2), mask));
    });
  });

  it('gradient matches stock', () => {
    expectSameAsStock(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), randn([3, 4, 6], 4))))(randn([3, 4, 6], 3)));
  });
});

describe.skipIf(addonMissing)(`Transpose native ${skipReason}`, () => {
  const cases: Array<[number[], number[]]> = [
    [[1, 1], [1, 0]],
    [[3, 5], [0, 1]],
    [[3, 5], [1, 0]],
    [[3, 5, 7], [2, 0, 1]],
    [[3, 5, 7], [0, 2, 1]],
    [[2, 3, 4, 5], [0, 2, 1, 3]],
    [[2, 3, 4, 5], [3, 2, 1, 0]],
    [[2, 1, 4, 1], [1, 3, 0, 2]],
  ];
  for (const [shape, perm] of cases) {
    it(`matches stock on [${shape}] perm [${perm}]`, () => {
      expectSameAsStock(() => tf.transpose(randn(shape, 5), perm));
    });
  }
});

describe.skipIf(addonMissing)(`Transpose identity sharing ${skipReason}`, () => {
  it('shares data for the identity permutation without leaking', () => {
    registerNativeKernels(tf, 'cpu', { kernels: ['Transpose'] });
    try {
      const x = tf.tensor2d([[1, 2], [3, 4]]);
      const before = tf.memory().numTensors;
      const y = tf.transpose(x, [0, 1]);
      x.dispose();
      expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
      y.dispose();
      expect(tf.memory().numTensors).toBe(before - 1);
    } finally {
      restoreStockKernels(tf);
    }
  });
});

describe.skipIf(addonMissing)(`reductions native ${skipReason}`, () => {
  const axesCases: Array<[number[], number | number[] | undefined]> = [
    [[1], undefined],
    [[3, 5, 7], undefined],
    [[3, 5, 7], -1],
    [[3, 5, 7], 0],
    [[3, 5, 7], 1],
    [[3, 5, 7], [0, 1]],
    [[3, 5, 7], [0, 2]],
    [[3, 5, 7], [1, 2]],
    [[2, 3, 4, 5], [1, 3]],
    [[64, 300], 0],
  ];
  for (const [shape, axis] of axesCases) {
    for (const keepDims of [false, true]) {
      it(`Sum, Mean, Max, Min on [${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`, () => {
        expectSameAsStock(() => {
          const x = randn(shape, 6);
          return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims), tf.max(x, axis, keepDims), tf.min(x, axis, keepDims)];
        });
      });
    }
  }

  it('Max and Min propagate NaN', () => {
    expectSameAsStock(() => {
      const x = tf.tensor2d([[1, NaN, 3], [4, 5, 6]]);
      return [tf.max(x, 1), tf.min(x, 0), tf.max(x, 0)];
    });
  });

  it('gradients match stock', () => {
    expectSameAsStock(() =>
      tf.grad((x: tf.Tensor) => tf.add(tf.sum(tf.mean(tf.square(x), [0, 2])), tf.sum(tf.max(x, 1))))(randn([3, 4, 5], 7)),
    );
  });
});
