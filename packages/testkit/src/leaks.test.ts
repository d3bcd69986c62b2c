import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@archzoo/core';
import { useCpuBackend } from './backend.js';
import { expectNoLeaks } from './leaks.js';

describe('expectNoLeaks', () => {
  useCpuBackend();

  it('passes a tidy call and frees its outputs', () => {
    const x = tf.ones([3]);
    const before = tf.memory().numTensors;
    expectNoLeaks(() => tf.tidy(() => tf.add(tf.mul(x, 2), 1)));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('reports a leaked intermediate', () => {
    const x = tf.ones([3]);
    const kept: Tensor[] = [];
    expect(() =>
      expectNoLeaks(
        () => {
          const doubled = tf.mul(x, 2);
          kept.push(doubled);
          return tf.add(doubled, 1);
        },
        { label: 'leaky' },
      ),
    ).toThrow(/leaky leaked 1 tensor/);
    tf.dispose([x, ...kept]);
  });

  it('ignores a cache filled during warm-up', () => {
    const cache = new Map<number, Tensor>();
    const cached = (size: number) => {
      if (!cache.has(size)) cache.set(size, tf.keep(tf.range(0, size)));
      return cache.get(size)!;
    };
    const x = tf.ones([4]);
    expectNoLeaks(() => tf.tidy(() => tf.add(x, cached(4))), { keep: [x] });
    tf.dispose([x, ...cache.values()]);
  });

  it('never disposes kept tensors returned as outputs', () => {
    const x = tf.ones([2]);
    expectNoLeaks(() => [x, tf.neg(x)], { keep: [x] });
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });
});
