// Legend: N predicted tokens (B*T), V vocabulary.
import { describe, expect, it } from 'vitest';
import { tf } from '@archzoo/core';
import { describeConformance, makeContext, resolveOptions, testDims, useCpuBackend } from '@archzoo/testkit';
import { finalSoftcap, type FinalSoftcapOptions } from './final-softcap.js';

describeConformance(finalSoftcap, {
  cases: [{ name: 'Gemma 2 cap 30' }, { name: 'cap 3', options: { cap: 3 } }],
  golden: { fixture: new URL('./__fixtures__/final_softcap.json', import.meta.url) },
  invalid: [
    { name: 'cap 0', options: { cap: 0 }, message: 'stability.cap must be > 0' },
    { name: 'a string cap', options: { cap: '30' }, message: 'stability.cap must be a finite number' },
  ],
});

describe('final_softcap bounds', () => {
  useCpuBackend();
  const options = resolveOptions(finalSoftcap, {}) as FinalSoftcapOptions;
  const ctx = makeContext(testDims());
  const capped = (values: number[]): number[] => {
    const logitsNV = tf.tensor2d(values, [1, values.length]);
    const out = finalSoftcap.logits!(logitsNV, options, ctx);
    const result = Array.from(out.dataSync());
    tf.dispose([logitsNV, out]);
    return result;
  };

  it('never exceeds the cap for huge logits', () => {
    for (const value of capped([1e3, -1e3, 1e8, -1e8, 3e38, -3e38])) {
      expect(Number.isFinite(value)).toBe(true);
      expect(Math.abs(value)).toBeLessThanOrEqual(30);
      expect(Math.abs(value)).toBeGreaterThan(29.99);
    }
  });

  it('maps the cap to cap * tanh(1)', () => {
    const [plus, minus] = capped([30, -30]);
    expect(plus).toBeCloseTo(30 * Math.tanh(1), 4);
    expect(minus).toBeCloseTo(-30 * Math.tanh(1), 4);
  });

  it('is nearly the identity for small logits', () => {
    // cap * tanh(x / cap) = x - x^3 / (3 cap^2) + ..., so the relative change is at most x^2 / (3 cap^2),
    // plus 5e-7 for the float32 roundings of the divide, tanh and multiply.
    const small = [0.3, -0.2, 0.05, 0];
    capped(small).forEach((value, i) => expect(Math.abs(value - small[i])).toBeLessThanOrEqual(Math.abs(small[i]) * (small[i] ** 2 / (3 * 30 ** 2) + 5e-7)));
  });
});
