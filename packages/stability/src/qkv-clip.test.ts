// Legend: B batch, T sequence, H query heads, G key/value heads, K head dim.
import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@archzoo/core';
import { describeConformance, makeContext, resolveOptions, testDims, useCpuBackend } from '@archzoo/testkit';
import { qkvClip, type QkvClipOptions } from './qkv-clip.js';

describeConformance(qkvClip, {
  cases: [
    { name: 'OLMo 1.7 clip 8' },
    // With clip 1.5 about 13% of the N(0, 1) inputs are clipped, so the zero gradient there is checked too.
    { name: 'clip 1.5', options: { clip: 1.5 } },
  ],
  golden: { fixture: new URL('./__fixtures__/qkv_clip.json', import.meta.url) },
  invalid: [
    { name: 'clip 0', options: { clip: 0 }, message: 'stability.clip must be > 0' },
    { name: 'a list clip', options: { clip: [8] }, message: 'stability.clip must be a finite number' },
  ],
});

describe('qkv_clip', () => {
  useCpuBackend();
  const options = resolveOptions(qkvClip, {}) as QkvClipOptions;
  const ctx = makeContext(testDims({ d_model: 4, n_heads: 2, n_kv_heads: 1, head_dim: 2 }));

  it('bounds q, k and v by the clip', () => {
    const q = tf.tensor3d([[[-1e9, -8.5, 7.9, 1e9]]]);
    const k = tf.tensor3d([[[-9, 9]]]);
    const v = tf.tensor3d([[[0.25, -100]]]);
    const outputs = qkvClip.projections!({}, q, k, v, options, ctx);
    expect(Array.from(outputs[0].dataSync())).toEqual([-8, -8, Math.fround(7.9), 8]);
    expect(Array.from(outputs[1].dataSync())).toEqual([-8, 8]);
    expect(Array.from(outputs[2].dataSync())).toEqual([0.25, -8]);
    tf.dispose([q, k, v, ...outputs]);
  });

  it('passes gradient only inside the clip', () => {
    const q = tf.tensor3d([[[-20, -3, 3, 20]]]);
    const k = tf.tensor3d([[[-9, 1]]]);
    const v = tf.tensor3d([[[0, 12]]]);
    const sumOfOutputs = (...inputs: Tensor[]) => tf.addN(qkvClip.projections!({}, inputs[0], inputs[1], inputs[2], options, ctx).map((out) => tf.sum(out)));
    const gradients = tf.grads(sumOfOutputs)([q, k, v]);
    expect(Array.from(gradients[0].dataSync())).toEqual([0, 1, 1, 0]);
    expect(Array.from(gradients[1].dataSync())).toEqual([0, 1]);
    expect(Array.from(gradients[2].dataSync())).toEqual([1, 0]);
    tf.dispose([q, k, v, ...gradients]);
  });
});
