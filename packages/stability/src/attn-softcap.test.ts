// Legend: B batch, T sequence (queries), S sequence (keys), H query heads.
import { describe, expect, it } from 'vitest';
import { tf } from '@archzoo/core';
import { describeConformance, makeContext, resolveOptions, testDims, useCpuBackend } from '@archzoo/testkit';
import { attnSoftcap, type AttnSoftcapOptions } from './attn-softcap.js';

describeConformance(attnSoftcap, {
  cases: [{ name: 'Gemma 2 cap 50' }, { name: 'cap 2', options: { cap: 2 } }, { name: 'one query against 7 keys', seq: 1, keys: 7 }],
  golden: { fixture: new URL('./__fixtures__/attn_softcap.json', import.meta.url) },
  invalid: [
    { name: 'cap 0', options: { cap: 0 }, message: 'stability.cap must be > 0' },
    { name: 'a negative cap', options: { cap: -50 }, message: 'stability.cap must be > 0' },
  ],
});

describe('attn_softcap bounds', () => {
  useCpuBackend();
  const options = resolveOptions(attnSoftcap, {}) as AttnSoftcapOptions;
  const ctx = makeContext(testDims());
  const capped = (values: number[]): number[] => {
    const scoresBHTS = tf.tensor4d(values, [1, 1, 1, values.length]);
    const out = attnSoftcap.scores!(scoresBHTS, options, ctx);
    const result = Array.from(out.dataSync());
    tf.dispose([scoresBHTS, out]);
    return result;
  };

  it('never exceeds the cap for huge scores', () => {
    const huge = [1e4, -1e4, 1e6, -1e6, 3e38, -3e38];
    for (const value of capped(huge)) {
      expect(Number.isFinite(value)).toBe(true);
      expect(Math.abs(value)).toBeLessThanOrEqual(50);
      expect(Math.abs(value)).toBeGreaterThan(49.99);
    }
  });

  it('stays below the cap at twice the cap', () => {
    const [plus, minus] = capped([100, -100]);
    expect(plus).toBeLessThan(50);
    expect(plus).toBeCloseTo(50 * Math.tanh(2), 4);
    expect(minus).toBeCloseTo(-50 * Math.tanh(2), 4);
  });

  it('is nearly the identity for small scores', () => {
    // cap * tanh(x / cap) = x - x^3 / (3 cap^2) + ..., so the relative change is at most x^2 / (3 cap^2),
    // plus 5e-7 for the float32 roundings of the divide, tanh and multiply.
    const small = [0.5, -0.25, 0.1, -0.01, 0];
    capped(small).forEach((value, i) => expect(Math.abs(value - small[i])).toBeLessThanOrEqual(Math.abs(small[i]) * (small[i] ** 2 / (3 * 50 ** 2) + 5e-7)));
  });

  it('keeps the order of scores', () => {
    const values = capped([-500, -60, -1, 0, 1, 60, 500]);
    values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i]));
  });

  it('has gradient 1 - tanh^2 of the scaled score', () => {
    const scoresBHTS = tf.tensor4d([0, 25, 100, 1e4], [1, 1, 1, 4]);
    const gradient = tf.grad((scores: tf.Tensor) => attnSoftcap.scores!(scores, options, ctx))(scoresBHTS);
    const expected = [0, 25, 100, 1e4].map((x) => 1 - Math.tanh(x / 50) ** 2);
    Array.from(gradient.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
    tf.dispose([scoresBHTS, gradient]);
  });
});
