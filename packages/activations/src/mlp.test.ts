// Legend: B batch, T sequence, D model width, F FFN width.
import { tf, type Tensor } from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, ffnDims, loadFfnFixture, toParams, toTensor } from './__fixtures__/fixtures.js';
import { mlp, type MlpOptions } from './mlp.js';

const fixture = loadFfnFixture();
const dims = ffnDims(fixture.dims.d_model, fixture.dims.d_ff);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('mlp', () => {
  // Reference: make_ffn_fixtures.py (numpy float64). float32 sums of 4-6 products and tfjs's
  // erf approximation (absolute error below 1.5e-7) stay well inside 1e-5.
  for (const name of ['mlp_gelu', 'mlp_gelu_tanh', 'mlp_relu', 'mlp_relu2', 'mlp_silu', 'mlp_gelu_no_bias']) {
    it(`matches numpy for ${name}`, () => {
      const testCase = fixture.cases[name];
      const params = toParams(testCase.params);
      const options = testCase.options as MlpOptions;
      const { y, aux } = mlp.apply(params, toTensor(fixture.x), options, { dims, layer: 0, training: false });
      expectClose(y, testCase.y, 1e-5, 1e-5);
      expect(aux).toBeUndefined();
    });
  }

  it('declares params matching the fixture', () => {
    const withBias = mlp.params({ type: 'mlp', activation: 'gelu', bias: true }, dims);
    const shapes = Object.fromEntries(withBias.map((spec) => [spec.name, spec.shape]));
    const fixtureShapes = Object.fromEntries(Object.entries(fixture.cases.mlp_gelu.params).map(([name, value]) => [name, value.shape]));
    expect(shapes).toEqual(fixtureShapes);
    expect(withBias.find((spec) => spec.name === 'fc_out.weight')?.init).toEqual({ kind: 'normal', residual: true });
    expect(withBias.filter((spec) => spec.name.endsWith('.bias')).every((spec) => !spec.decay && spec.init.kind === 'zeros')).toBe(true);
    expect(mlp.params({ type: 'mlp', activation: 'gelu', bias: false }, dims).map((spec) => spec.name)).toEqual(['fc_in.weight', 'fc_out.weight']);
  });

  it('counts four D x F FLOPs per token', () => {
    expect(mlp.flopsPerToken!({ type: 'mlp', activation: 'relu', bias: true }, dims, 0)).toBe(4 * 4 * 6);
  });

  for (const activation of ['gelu', 'gelu_tanh', 'relu2', 'silu'] as const) {
    it(`has finite-difference gradients with ${activation}`, () => {
      const testCase = fixture.cases[`mlp_${activation}`];
      const names = Object.keys(testCase.params);
      const options: MlpOptions = { type: 'mlp', activation, bias: true };
      const weightsRY = tf.randomNormal(testCase.y.shape, 0, 1, 'float32', 7);
      const loss = (x: Tensor, ...values: Tensor[]) =>
        tf.sum(tf.mul(mlp.apply(Object.fromEntries(names.map((n, i) => [n, values[i]])), x, options, { dims, layer: 0, training: true }).y, weightsRY));
      expectGradientsMatch(loss, [toTensor(fixture.x), ...names.map((n) => toTensor(testCase.params[n]))]);
    });
  }

  it('leaks no tensors', () => {
    const params = toParams(fixture.cases.mlp_gelu.params);
    const x = toTensor(fixture.x);
    const options: MlpOptions = { type: 'mlp', activation: 'gelu', bias: true };
    mlp.apply(params, x, options, { dims, layer: 0, training: false }).y.dispose();
    const before = tf.memory().numTensors;
    mlp.apply(params, x, options, { dims, layer: 0, training: false }).y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
