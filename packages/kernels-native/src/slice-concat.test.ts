import { beforeAll, describe, it } from 'vitest';

import { addonMissing, expectSameAsStock, randn, skipReason, tf } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(addonMissing)(`Slice, PadV2, SplitV and Concat native ${skipReason}`, () => {
  it('Slice matches stock with explicit, -1 and short begin/size', () => {
    expectSameAsStock(() => {
      const x = randn([2, 3, 4, 5], 1);
      return [
        tf.slice(x, [0, 1, 0, 2], [2, 2, 4, 3]),
        tf.slice(x, [1, 0, 1, 0], [-1, -1, 2, -1]),
        tf.slice(x, [1], [1]),
        tf.slice(randn([1], 2), [0], [1]),
        tf.slice(x, [0, 0, 0, 5], [2, 3, 4, 0]),
      ];
    });
  });

  it('PadV2 matches stock with a constant', () => {
    expectSameAsStock(() => [
      tf.pad(randn([3, 5, 7], 3), [[1, 0], [0, 2], [3, 1]], 1.5),
      tf.pad(randn([1, 1], 4), [[0, 0], [1, 1]]),
    ]);
  });

  it('SplitV matches stock for counts and sizes', () => {
    expectSameAsStock(() => [
      ...tf.split(randn([4, 6, 3], 5), 3, 1),
      ...tf.split(randn([4, 6, 3], 6), [1, -1, 2], 0),
      ...tf.split(randn([5], 7), [5], 0),
    ]);
  });

  it('Concat matches stock on every axis', () => {
    expectSameAsStock(() => {
      const a = randn([2, 3, 4], 8);
      return [
        tf.concat([a, randn([1, 3, 4], 9)], 0),
        tf.concat([a, randn([2, 1, 4], 10), randn([2, 2, 4], 11)], 1),
        tf.concat([a, randn([2, 3, 5], 12)], -1),
      ];
    });
  });

  it('RoPE-style slice and concat gradient matches stock', () => {
    expectSameAsStock(() =>
      tf.grad((x: tf.Tensor) => {
        const x1 = tf.slice(x, [0, 0, 0], [2, 3, 2]);
        const x2 = tf.slice(x, [0, 0, 2], [2, 3, 2]);
        const rotated = tf.concat([tf.sub(tf.mul(x1, 0.6), tf.mul(x2, 0.8)), tf.add(tf.mul(x2, 0.6), tf.mul(x1, 0.8))], -1);
        return tf.sum(tf.mul(rotated, randn([2, 3, 4], 14)));
      })(randn([2, 3, 4], 13)),
    );
  });
});

describe.skipIf(addonMissing)(`comparisons and Cast native ${skipReason}`, () => {
  const pairs: Array<[number[], number[]]> = [
    [[3, 5], [3, 5]],
    [[3, 5], [3, 1]],
    [[1], [4, 2]],
  ];
  for (const [aShape, bShape] of pairs) {
    it(`comparisons match stock for [${aShape}] with [${bShape}]`, () => {
      expectSameAsStock(() => {
        // Rounding makes equal values common.
        const a = tf.round(randn(aShape, 15));
        const b = tf.round(randn(bShape, 16));
        return [tf.equal(a, b), tf.notEqual(a, b), tf.greater(a, b), tf.greaterEqual(a, b), tf.less(a, b), tf.lessEqual(a, b)].map((t) =>
          tf.cast(t, 'int32'),
        );
      });
    });
  }

  it('comparisons with NaN match stock', () => {
    expectSameAsStock(() => {
      const a = tf.tensor1d([NaN, 1, NaN]);
      const b = tf.tensor1d([NaN, NaN, 2]);
      return [tf.equal(a, b), tf.notEqual(a, b), tf.less(a, b)].map((t) => tf.cast(t, 'int32'));
    });
  });

  it('Cast of int32 and bool to float32 matches stock and feeds float kernels', () => {
    expectSameAsStock(() => {
      const ints = tf.tensor1d([3, -2, 0, 7], 'int32');
      const mask = tf.greater(ints, 0);
      return [tf.cast(ints, 'float32'), tf.mul(tf.cast(mask, 'float32'), randn([4], 17)), tf.oneHot(ints.clipByValue(0, 3), 4).toFloat()];
    });
  });
});
