// Legend: B batch, T sequence, D model width.
import { describe, expect, it } from 'vitest';
import { tf } from '@archzoo/core';
import { describeConformance, makeContext, resolveOptions, testDims, useCpuBackend } from '@archzoo/testkit';
import { embeddingScale, type EmbeddingScaleOptions } from './embedding-scale.js';

describeConformance(embeddingScale, {
  cases: [{ name: 'default sqrt(d_model)' }, { name: 'explicit scale 10', options: { scale: 10 } }, { name: 'd_model 64', dims: { d_model: 64 } }],
  golden: { fixture: new URL('./__fixtures__/embedding_scale.json', import.meta.url) },
  invalid: [
    { name: 'scale 0', options: { scale: 0 }, message: 'stability.scale must be > 0' },
    { name: 'a string scale', options: { scale: 'sqrt' }, message: 'stability.scale must be a finite number' },
  ],
});

describe('embedding_scale', () => {
  useCpuBackend();

  it('reads d_model from the context', () => {
    const options = resolveOptions(embeddingScale, {}) as EmbeddingScaleOptions;
    const xBTD = tf.ones([1, 1, 64]);
    const out = embeddingScale.embedding!(xBTD, options, makeContext(testDims({ d_model: 64, n_heads: 4 })));
    expect(Array.from(out.dataSync())).toEqual(new Array(64).fill(8));
    tf.dispose([xBTD, out]);
  });

  it('declares no parameters', () => {
    expect(embeddingScale.params(resolveOptions(embeddingScale, {}) as EmbeddingScaleOptions, testDims())).toEqual([]);
  });
});
