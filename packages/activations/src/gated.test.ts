// Legend: B batch, T sequence, D model width, F FFN width.
import { tf, type FfnManifest, type Tensor } from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, ffnDims, loadFfnFixture, toParams, toTensor } from './__fixtures__/fixtures.js';
import { geglu } from './geglu.js';
import { glu } from './glu.js';
import { gluBilinear } from './glu-bilinear.js';
import { reglu } from './reglu.js';
import { swiglu } from './swiglu.js';

const fixture = loadFfnFixture();
const dims = ffnDims(fixture.dims.d_model, fixture.dims.d_ff);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CASES: [string, FfnManifest<any>][] = [
  ['swiglu', swiglu],
  ['swiglu_bias', swiglu],
  ['geglu', geglu],
  ['geglu_tanh', geglu],
  ['reglu', reglu],
  ['glu', glu],
  ['glu_bilinear', gluBilinear],
];

describe('GLU variants', () => {
  // Reference: make_ffn_fixtures.py (numpy float64); float32 error on these sizes is below 1e-5.
  for (const [name, manifest] of CASES) {
    it(`${name} matches numpy`, () => {
      const testCase = fixture.cases[name];
      const { y } = manifest.apply(toParams(testCase.params), toTensor(fixture.x), testCase.options, { dims, layer: 0, training: false });
      expectClose(y, testCase.y, 1e-5, 1e-5);
    });

    it(`${name} declares the fixture's params`, () => {
      const testCase = fixture.cases[name];
      const specs = manifest.params({ ...manifest.defaults, ...testCase.options }, dims);
      expect(Object.fromEntries(specs.map((spec) => [spec.name, spec.shape]))).toEqual(
        Object.fromEntries(Object.entries(testCase.params).map(([param, value]) => [param, value.shape])),
      );
    });
  }

  it('initialises down_proj as a residual projection', () => {
    const specs = swiglu.params({ type: 'swiglu', bias: true }, dims);
    expect(specs.find((spec) => spec.name === 'down_proj.weight')?.init).toEqual({ kind: 'normal', residual: true });
    expect(specs.filter((spec) => spec.name.endsWith('.bias')).map((spec) => spec.decay)).toEqual([false, false, false]);
  });

  it('counts three D x F products per token', () => {
    expect(swiglu.flopsPerToken!({ type: 'swiglu', bias: false }, dims, 0)).toBe(6 * 4 * 6);
  });

  it('defaults geglu to exact GELU without biases', () => {
    expect(geglu.defaults).toEqual({ bias: false, gelu: 'exact' });
  });

  const GRADIENT_CASES: [string, FfnManifest<any>][] = [
    ['swiglu_bias', swiglu],
    ['geglu_tanh', geglu],
    ['glu', glu],
  ];
  for (const [name, manifest] of GRADIENT_CASES) {
    it(`${name} has finite-difference gradients`, () => {
      const testCase = fixture.cases[name];
      const names = Object.keys(testCase.params);
      const weightsRY = tf.randomNormal(testCase.y.shape, 0, 1, 'float32', 11);
      const loss = (x: Tensor, ...values: Tensor[]) =>
        tf.sum(tf.mul(manifest.apply(Object.fromEntries(names.map((n, i) => [n, values[i]])), x, testCase.options, { dims, layer: 0, training: true }).y, weightsRY));
      expectGradientsMatch(loss, [toTensor(fixture.x), ...names.map((n) => toTensor(testCase.params[n]))]);
    });
  }
});
