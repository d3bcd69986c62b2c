// Legend: B batch, T sequence, D model width, F FFN width.
import { testDims } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { gatedParams } from './gated.js';
import { swiglu } from './swiglu.js';

describe('gatedParams', () => {
  const dims = testDims({ d_model: 4, d_ff: 6 });

  it('names Llama-style projections', () => {
    expect(Object.fromEntries(gatedParams(4, 6, true).map((spec) => [spec.name, spec.shape]))).toEqual({
      'gate_proj.weight': [4, 6],
      'up_proj.weight': [4, 6],
      'down_proj.weight': [6, 4],
      'gate_proj.bias': [6],
      'up_proj.bias': [6],
      'down_proj.bias': [4],
    });
  });

  it('prefixes names for experts', () => {
    expect(gatedParams(4, 6, false, 'experts.1.').map((spec) => spec.name)).toEqual([
      'experts.1.gate_proj.weight',
      'experts.1.up_proj.weight',
      'experts.1.down_proj.weight',
    ]);
  });

  it('initialises down_proj as a residual projection', () => {
    expect(gatedParams(4, 6, false).find((spec) => spec.name === 'down_proj.weight')?.init).toEqual({ kind: 'normal', residual: true });
  });

  it('excludes biases from decay', () => {
    expect(gatedParams(4, 6, true).filter((spec) => spec.name.endsWith('.bias')).map((spec) => spec.decay)).toEqual([false, false, false]);
  });

  it('counts three D x F products per token', () => {
    expect(swiglu.flopsPerToken!({ type: 'swiglu', bias: false }, dims, 0)).toBe(3 * 2 * 4 * 6);
  });
});
