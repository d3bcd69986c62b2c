import { describe, expect, it } from 'vitest';
import { tf } from '@archzoo/core';
import { describeConformance, makeContext, resolveOptions, testDims, useCpuBackend } from '@archzoo/testkit';
import { layernorm, type LayerNormOptions } from './layernorm.js';

const resolve = (options: Partial<LayerNormOptions>) => resolveOptions(layernorm, options) as LayerNormOptions;

describeConformance(layernorm, {
  cases: [
    { name: 'defaults' },
    { name: 'without bias', options: { bias: false } },
    { name: 'non-parametric', options: { affine: false } },
    { name: 'unit offset', options: { unit_offset: true } },
    { name: 'per-head width', dim: 4, options: { eps: 1e-6 } },
  ],
  golden: { fixture: new URL('./__fixtures__/layernorm.json', import.meta.url) },
  invalid: [
    { name: 'a zero eps', options: { eps: 0 }, message: 'norm.eps must be > 0, got 0' },
    { name: 'unit offset without affine', options: { affine: false, unit_offset: true }, message: 'unit_offset (true) needs affine true' },
    { name: 'an unknown option', options: { elementwise_affine: false }, message: 'norm.elementwise_affine is not an option of "layernorm"' },
  ],
});

describe('layernorm params', () => {
  const dims = testDims({ d_model: 8 });
  it('declares weight and bias without decay', () => {
    expect(layernorm.params(resolve({}), dims)).toEqual([
      { name: 'weight', shape: [8], init: { kind: 'ones' }, decay: false },
      { name: 'bias', shape: [8], init: { kind: 'zeros' }, decay: false },
    ]);
  });

  it('declares nothing without affine', () => {
    expect(layernorm.params(resolve({ affine: false }), dims)).toEqual([]);
  });

  it('initialises a unit-offset weight to zeros', () => {
    expect(layernorm.params(resolve({ unit_offset: true, bias: false }), dims)).toEqual([
      { name: 'weight', shape: [8], init: { kind: 'zeros' }, decay: false },
    ]);
  });

  it('sizes parameters by the given width', () => {
    expect(layernorm.params(resolve({}), dims, 4).map((spec) => spec.shape)).toEqual([[4], [4]]);
  });
});

describe('layernorm apply', () => {
  useCpuBackend();

  it('is the identity map at init for a unit offset', () => {
    const dims = testDims({ d_model: 4 });
    const options = resolve({ unit_offset: true });
    const x = tf.tensor3d([[[1, 2, 3, 4]]]);
    const zeros = tf.zeros([4]);
    const unitOffset = layernorm.apply({ weight: zeros, bias: zeros }, x, options, makeContext(dims));
    const plain = layernorm.apply({}, x, { ...options, affine: false, unit_offset: false }, makeContext(dims));
    expect(Array.from(unitOffset.dataSync())).toEqual(Array.from(plain.dataSync()));
    tf.dispose([x, zeros, unitOffset, plain]);
  });
});
