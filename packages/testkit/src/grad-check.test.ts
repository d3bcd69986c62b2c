import { describe, expect, it } from 'vitest';
import { Rng, tf, type Tensor } from '@archzoo/core';
import { useCpuBackend } from './backend.js';
import { gradCheck } from './grad-check.js';
import { randomTensor } from './params.js';

describe('gradCheck', () => {
  useCpuBackend();

  it('accepts correct gradients of several inputs and outputs', () => {
    const rng = new Rng(1);
    const a = randomTensor([3, 4], rng);
    const b = randomTensor([4, 2], rng);
    const entries = gradCheck((x, w) => [tf.tanh(tf.matMul(x, w)), tf.mul(x, x)], [a, b], { names: ['a', 'b'] });
    expect(entries.map((entry) => entry.name)).toEqual(['a', 'b']);
    for (const entry of entries) {
      expect(entry.relError).toBeLessThan(1e-2);
      expect(entry.analyticNorm).toBeGreaterThan(0.1);
    }
    tf.dispose([a, b]);
  });

  it('rejects a gradient with a wrong sign', () => {
    const rng = new Rng(2);
    const x = randomTensor([6], rng);
    const wrongSquare = tf.customGrad((input) => {
      const value = input as Tensor;
      return { value: tf.square(value), gradFunc: (dy: Tensor) => tf.mul(dy, tf.mul(value, -2)) };
    });
    expect(() => gradCheck((input) => wrongSquare(input), [x], { names: ['x'] })).toThrow(/x: relative error/);
    x.dispose();
  });

  it('rejects a gradient missing a term', () => {
    const rng = new Rng(3);
    const x = randomTensor([2, 5], rng);
    // d/dx (x * stopGradient-like copy) misses half of the product rule.
    const halfProduct = tf.customGrad((input) => {
      const value = input as Tensor;
      return { value: tf.mul(value, value), gradFunc: (dy: Tensor) => tf.mul(dy, value) };
    });
    expect(() => gradCheck((input) => halfProduct(input), [x])).toThrow(/input 0: relative error/);
    x.dispose();
  });

  it('probes a seeded subset of a large input', () => {
    const rng = new Rng(4);
    const x = randomTensor([40, 10], rng);
    const [entry] = gradCheck((input) => tf.sin(input), [x], { maxProbes: 7 });
    expect(entry.probes).toBe(7);
    x.dispose();
  });

  it('rejects integer inputs', () => {
    const indices = tf.tensor1d([1, 2], 'int32');
    expect(() => gradCheck((input) => input, [indices])).toThrow(/only float32/);
    indices.dispose();
  });
});
