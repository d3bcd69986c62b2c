import { describe, expect, it } from 'vitest';
import { describeConformance, resolveOptions, testDims } from '@archzoo/testkit';
import { rmsnorm, type RmsNormOptions } from './rmsnorm.js';

const resolve = (options: Partial<RmsNormOptions>) => resolveOptions(rmsnorm, options) as RmsNormOptions;

describeConformance(rmsnorm, {
  cases: [
    { name: 'defaults' },
    { name: 'unit offset', options: { unit_offset: true } },
    { name: 'per-head width', dim: 4 },
  ],
  golden: { fixture: new URL('./__fixtures__/rmsnorm.json', import.meta.url) },
  invalid: [
    { name: 'a negative eps', options: { eps: -1e-6 }, message: 'norm.eps must be > 0' },
    { name: 'a bias option', options: { bias: true }, message: 'norm.bias is not an option of "rmsnorm"' },
  ],
});

describe('rmsnorm params', () => {
  const dims = testDims({ d_model: 8 });

  it('declares one weight without decay', () => {
    expect(rmsnorm.params(resolve({}), dims)).toEqual([
      { name: 'weight', shape: [8], init: { kind: 'ones' }, decay: false },
    ]);
  });

  it('initialises a unit-offset weight to zeros', () => {
    const [spec] = rmsnorm.params(resolve({ unit_offset: true }), dims, 4);
    expect(spec).toEqual({ name: 'weight', shape: [4], init: { kind: 'zeros' }, decay: false });
  });
});
