import { describe, expect, it } from 'vitest';
import { describeConformance, resolveOptions, testDims } from '@archzoo/testkit';
import { dyt, type DytOptions } from './dyt.js';

const resolve = (options: Partial<DytOptions>) => resolveOptions(dyt, options) as DytOptions;

// Golden values: __fixtures__/gen_dyt.py (PyTorch, float64).
describeConformance(dyt, {
  cases: [
    { name: 'defaults' },
    { name: 'alpha_init 0.8', options: { alpha_init: 0.8 } },
    { name: 'per-head width', dim: 4 },
  ],
  golden: { fixture: new URL('./__fixtures__/dyt.json', import.meta.url) },
  invalid: [
    { name: 'a zero alpha_init', options: { alpha_init: 0 }, message: 'norm.alpha_init must be > 0' },
    { name: 'an eps option', options: { eps: 1e-6 }, message: 'norm.eps is not an option of "dyt"' },
  ],
});

describe('dyt params', () => {
  const dims = testDims({ d_model: 8 });

  it('declares alpha, weight and bias without decay', () => {
    expect(dyt.params(resolve({}), dims)).toEqual([
      { name: 'alpha', shape: [1], init: { kind: 'constant', value: 0.5 }, decay: false },
      { name: 'weight', shape: [8], init: { kind: 'ones' }, decay: false },
      { name: 'bias', shape: [8], init: { kind: 'zeros' }, decay: false },
    ]);
  });

  it('initialises alpha to alpha_init', () => {
    const [alpha] = dyt.params(resolve({ alpha_init: 0.2 }), dims);
    expect(alpha.init).toEqual({ kind: 'constant', value: 0.2 });
  });

  it('sizes weight and bias by dim', () => {
    const shapes = dyt.params(resolve({}), dims, 4).map((spec) => spec.shape);
    expect(shapes).toEqual([[1], [4], [4]]);
  });
});
