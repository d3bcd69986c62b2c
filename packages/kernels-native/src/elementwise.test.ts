import { beforeAll, describe, it } from 'vitest';

import { addonMissing, expectSameAsStock, randn, skipReason, tf } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type BinaryFn = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

const BINARY: Record<string, BinaryFn> = {
  Add: tf.add,
  Sub: tf.sub,
  Multiply: tf.mul,
  RealDiv: tf.div,
  Maximum: tf.maximum,
  Minimum: tf.minimum,
  SquaredDifference: tf.squaredDifference,
};

const BROADCAST_SHAPES: Array<[number[], number[]]> = [
  [[1], [1]],
  [[3, 5, 7], [3, 5, 7]],
  [[3, 5, 7], [7]],
  [[7], [3, 5, 7]],
  [[3, 5, 7], [3, 1, 7]],
  [[3, 1, 7], [1, 5, 1]],
  [[2, 3, 4, 5], [3, 1, 1]],
  [[3, 5, 7], []],
  [[], [4, 2]],
];

describe.skipIf(addonMissing)(`binary kernels native ${skipReason}`, () => {
  for (const [name, fn] of Object.entries(BINARY)) {
    for (const [aShape, bShape] of BROADCAST_SHAPES) {
      it(`${name} [${aShape}] with [${bShape}]`, () => {
        expectSameAsStock(() => fn(randn(aShape, 1), randn(bShape, 2)));
      });
    }
  }

  it('Maximum and Minimum propagate NaN', () => {
    const a = () => tf.tensor1d([1, NaN, 3, -1]);
    const b = () => tf.tensor1d([NaN, 2, 1, -2]);
    expectSameAsStock(() => [tf.maximum(a(), b()), tf.minimum(a(), b())]);
  });

  it('RealDiv by zero gives infinities', () => {
    expectSameAsStock(() => tf.div(tf.tensor1d([1, -1, 0]), tf.tensor1d([0, 0, 0])));
  });

  it('broadcast gradients match stock', () => {
    expectSameAsStock(() => {
      // The stock SquaredDifference gradient (tfjs-core 4.22) does not reduce broadcast
      // dimensions, so it gets operands of equal shape here.
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.add(tf.mul(tf.squaredDifference(a, tf.add(a, b)), a), tf.div(a, tf.add(tf.square(b), 1)))),
      );
      return grads([randn([3, 4, 5], 3), randn([4, 1], 4)]);
    });
  });

  it('AddN matches stock for two and four tensors', () => {
    expectSameAsStock(() => [
      tf.addN([randn([3, 5], 9), randn([3, 5], 10)]),
      tf.addN([randn([2, 3, 4], 11), randn([2, 3, 4], 12), randn([2, 3, 4], 13), randn([2, 3, 4], 14)]),
    ]);
  });

  it('int32 inputs fall back to the stock kernel', () => {
    expectSameAsStock(() => tf.add(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([4, 5, 6], 'int32')));
  });
});

const UNARY: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  Exp: tf.exp,
  Log: (x) => tf.log(tf.abs(x)),
  Neg: tf.neg,
  Sqrt: (x) => tf.sqrt(tf.abs(x)),
  Rsqrt: (x) => tf.rsqrt(tf.add(tf.abs(x), 0.1)),
  Square: tf.square,
  Tanh: tf.tanh,
  Sigmoid: tf.sigmoid,
  Erf: tf.erf,
  Relu: tf.relu,
  Relu6: (x) => tf.relu6(tf.mul(x, 5)),
  Elu: tf.elu,
  LeakyRelu: (x) => tf.leakyRelu(x, 0.3),
  Abs: tf.abs,
  Reciprocal: tf.reciprocal,
  ClipByValue: (x) => tf.clipByValue(x, -0.7, 0.3),
};

describe.skipIf(addonMissing)(`unary kernels native ${skipReason}`, () => {
  for (const [name, fn] of Object.entries(UNARY)) {
    it(`${name} matches stock on [1] and [3, 5, 7]`, () => {
      expectSameAsStock(() => [fn(randn([1], 5)), fn(tf.mul(randn([3, 5, 7], 6), 3))]);
    });
    it(`${name} gradient matches stock`, () => {
      expectSameAsStock(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(fn(x), randn([4, 6], 8))))(tf.mul(randn([4, 6], 7), 2)));
    });
  }

  it('Exp covers underflow, overflow and special values', () => {
    expectSameAsStock(() => tf.exp(tf.tensor1d([-1e9, -104, -87.5, -87, -20, 0, 1e-8, 20, 88, 88.8, 1e9, NaN, -Infinity, Infinity])));
  });

  it('Erf, Sigmoid and Relu handle zero, NaN and infinities', () => {
    const special = () => tf.tensor1d([0, -0, NaN, Infinity, -Infinity, 1e-30]);
    expectSameAsStock(() => [tf.erf(special()), tf.sigmoid(special()), tf.relu(special())]);
  });
});
