// Legend: B batch, T queries, D model width.
import { Rng, tf } from '@archzoo/core';
import { buildParams, makeAttentionContext, randomTensor, testDims, useCpuBackend } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { causal, type CausalOptions } from './causal.js';

useCpuBackend();

describe('attention dropout', () => {
  const dims = testDims();
  const setupRng = new Rng(1);
  const options = { ...causal.defaults, dropout: 0.5, type: 'causal' } as CausalOptions;
  const params = buildParams(causal.params(options, dims), setupRng, { jitter: 0.1 });
  const xBTD = randomTensor([2, 5, dims.d_model], setupRng);
  const run = (training: boolean, seed?: number) =>
    causal.apply(params, xBTD, options, makeAttentionContext(dims, { training, rng: seed === undefined ? undefined : new Rng(seed) }));

  it('is off outside training', () => {
    const evalOut = run(false);
    const noDropout = causal.apply(params, xBTD, { ...options, dropout: 0 }, makeAttentionContext(dims, { training: true, rng: new Rng(3) }));
    expect(Array.from(evalOut.dataSync())).toEqual(Array.from(noDropout.dataSync()));
  });

  it('repeats with the same seed', () => {
    expect(Array.from(run(true, 3).dataSync())).toEqual(Array.from(run(true, 3).dataSync()));
  });

  it('changes the output while training', () => {
    const difference = tf.max(tf.abs(tf.sub(run(true, 3), run(false)))).dataSync()[0];
    expect(difference).toBeGreaterThan(1e-3);
  });

  it('needs an rng while training', () => {
    expect(() => run(true)).toThrow('attention dropout requires ctx.rng while training');
  });
});
