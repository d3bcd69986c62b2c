// Legend: B batch, T sequence, D model width, F FFN width.
import { describeConformance, testDims } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { mlp } from './mlp.js';

// Golden values: make_ffn_fixtures.py (numpy float64) with the kit's float32 tolerance; tfjs's erf
// approximation (absolute error below 1.5e-7) stays inside it.
describeConformance(mlp, {
  cases: [
    { name: 'defaults (exact GELU, biases)' },
    { name: 'tanh GELU', options: { activation: 'gelu_tanh' } },
    { name: 'squared ReLU without biases', options: { activation: 'relu2', bias: false } },
    { name: 'SiLU', options: { activation: 'silu' } },
    // ReLU's kink at 0 can sit inside a finite-difference step, so its gradient gets a wider tolerance.
    { name: 'ReLU', options: { activation: 'relu' }, gradient: { rtol: 5e-2 } },
  ],
  golden: { fixture: new URL('./__fixtures__/mlp.json', import.meta.url) },
  invalid: [{ name: 'an unknown activation', options: { activation: 'tanh' }, message: 'activation must be one of' }],
});

describe('mlp params', () => {
  const dims = testDims({ d_model: 4, d_ff: 6 });

  it('names GPT-2 style projections', () => {
    const specs = mlp.params({ type: 'mlp', activation: 'gelu', bias: true }, dims);
    expect(Object.fromEntries(specs.map((spec) => [spec.name, spec.shape]))).toEqual({
      'fc_in.weight': [4, 6],
      'fc_in.bias': [6],
      'fc_out.weight': [6, 4],
      'fc_out.bias': [4],
    });
  });

  it('marks fc_out as a residual projection', () => {
    const specs = mlp.params({ type: 'mlp', activation: 'gelu', bias: true }, dims);
    expect(specs.find((spec) => spec.name === 'fc_out.weight')?.init).toEqual({ kind: 'normal', residual: true });
  });

  it('excludes zero-initialised biases from decay', () => {
    const biases = mlp.params({ type: 'mlp', activation: 'gelu', bias: true }, dims).filter((spec) => spec.name.endsWith('.bias'));
    expect(biases.map((spec) => [spec.decay, spec.init.kind])).toEqual([
      [false, 'zeros'],
      [false, 'zeros'],
    ]);
  });

  it('drops biases when bias is false', () => {
    expect(mlp.params({ type: 'mlp', activation: 'gelu', bias: false }, dims).map((spec) => spec.name)).toEqual(['fc_in.weight', 'fc_out.weight']);
  });

  it('counts two D x F products per token', () => {
    expect(mlp.flopsPerToken!({ type: 'mlp', activation: 'relu', bias: true }, dims, 0)).toBe(2 * 2 * 4 * 6);
  });

  it('defaults to exact GELU with biases', () => {
    expect(mlp.defaults).toEqual({ activation: 'gelu', bias: true });
  });
});
