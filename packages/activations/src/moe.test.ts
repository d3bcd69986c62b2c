// Legend: B batch, T sequence, D model width, F FFN width, E experts.
import { tf, type Tensor } from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, ffnDims, loadFfnFixture, toParams, toTensor } from './__fixtures__/fixtures.js';
import { moe, type MoeOptions } from './moe.js';

const fixture = loadFfnFixture();
const dims = ffnDims(fixture.dims.d_model, fixture.dims.d_ff);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('moe', () => {
  // Reference: make_ffn_fixtures.py, a per-token loop over the chosen experts in numpy float64,
  // with the aux loss of HF load_balancing_loss_func. float32 error stays below 1e-5.
  for (const name of ['moe_top2', 'moe_top1']) {
    it(`matches numpy for ${name}`, () => {
      const testCase = fixture.cases[name];
      const { y, aux } = moe.apply(toParams(testCase.params), toTensor(fixture.x), testCase.options as MoeOptions, { dims, layer: 0, training: true });
      expectClose(y, testCase.y, 1e-5, 1e-5);
      expect(aux!.shape).toEqual([]);
      expect(aux!.dataSync()[0]).toBeCloseTo(testCase.aux!, 6);
    });
  }

  it('declares a router and per-expert params', () => {
    const testCase = fixture.cases.moe_top2;
    const specs = moe.params(testCase.options as MoeOptions, dims);
    expect(Object.fromEntries(specs.map((spec) => [spec.name, spec.shape]))).toEqual(
      Object.fromEntries(Object.entries(testCase.params).map(([param, value]) => [param, value.shape])),
    );
    expect(specs.find((spec) => spec.name === 'experts.3.down_proj.weight')?.init).toEqual({ kind: 'normal', residual: true });
  });

  it('counts the router and k experts per token', () => {
    const options: MoeOptions = { type: 'moe', n_experts: 8, top_k: 2, expert: 'swiglu', aux_loss_coef: 0.02 };
    expect(moe.flopsPerToken!(options, dims, 0)).toBe(2 * 4 * 8 + 2 * 6 * 4 * 6);
  });

  it('rejects top_k above n_experts', () => {
    expect(moe.validate!({ type: 'moe', n_experts: 2, top_k: 3, expert: 'swiglu', aux_loss_coef: 0.02 }, dims)).toEqual([
      'top_k (3) must be <= n_experts (2); lower top_k or add experts',
    ]);
  });

  it('has finite-difference gradients through routing weights', () => {
    const testCase = fixture.cases.moe_top2;
    const names = Object.keys(testCase.params);
    const options = testCase.options as MoeOptions;
    const weightsRY = tf.randomNormal(testCase.y.shape, 0, 1, 'float32', 13);
    const loss = (x: Tensor, ...values: Tensor[]) => {
      const { y, aux } = moe.apply(Object.fromEntries(names.map((n, i) => [n, values[i]])), x, options, { dims, layer: 0, training: true });
      return tf.add(tf.sum(tf.mul(y, weightsRY)), tf.mul(aux!, 10));
    };
    // eps 1e-3 keeps every probe away from a change in the top-k choice.
    expectGradientsMatch(loss, [toTensor(fixture.x), ...names.map((n) => toTensor(testCase.params[n]))], 1e-3, 2e-2);
  });

  it('leaks no tensors', () => {
    const testCase = fixture.cases.moe_top2;
    const params = toParams(testCase.params);
    const x = toTensor(fixture.x);
    const run = () => {
      const { y, aux } = moe.apply(params, x, testCase.options as MoeOptions, { dims, layer: 0, training: false });
      y.dispose();
      aux?.dispose();
    };
    run();
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
  });
});
