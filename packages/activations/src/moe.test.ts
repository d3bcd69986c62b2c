// Legend: B batch, T sequence, D model width, F FFN width, E experts.
import { tf } from '@archzoo/core';
import { describeConformance, gradCheck, loadFixture, makeContext, tensorFromData, testDims, useCpuBackend } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { moe, type MoeOptions } from './moe.js';

// Golden values: make_ffn_fixtures.py, a per-token loop over the chosen experts in numpy float64,
// with the aux loss of HF load_balancing_loss_func.
describeConformance(moe, {
  cases: [
    // With the kit's small random router, probabilities of different experts lie within a
    // finite-difference step of each other, so a probe can change the top-k choice. The gradient
    // is checked below on the golden parameters, whose router separates the experts.
    { name: 'defaults (8 experts, top-2; gradient checked below)', gradient: false },
    { name: 'top-1 over 3 GEGLU experts (gradient checked below)', options: { n_experts: 3, top_k: 1, expert: 'geglu' }, gradient: false },
  ],
  golden: { fixture: new URL('./__fixtures__/moe.json', import.meta.url) },
  invalid: [
    { name: 'top_k above n_experts', options: { n_experts: 2, top_k: 3 }, message: 'top_k (3) must be <= n_experts (2)' },
    { name: 'a negative aux_loss_coef', options: { aux_loss_coef: -1 }, message: 'aux_loss_coef must be >= 0' },
  ],
});

describe('moe routing', () => {
  useCpuBackend();
  const dims = testDims({ d_model: 4, d_ff: 6 });
  const options: MoeOptions = { type: 'moe', n_experts: 4, top_k: 2, expert: 'swiglu', aux_loss_coef: 1 };

  it('declares a router and per-expert params', () => {
    const names = moe.params(options, dims).map((spec) => spec.name);
    expect(names.slice(0, 4)).toEqual(['router.weight', 'experts.0.gate_proj.weight', 'experts.0.up_proj.weight', 'experts.0.down_proj.weight']);
    expect(names).toHaveLength(1 + 4 * 3);
  });

  it('counts the router and k experts per token', () => {
    expect(moe.flopsPerToken!(options, dims, 0)).toBe(2 * 4 * 4 + 2 * 3 * 2 * 4 * 6);
  });

  it('has finite-difference gradients with a separating router', () => {
    // The golden router weights have std 1, so the gap between the k-th and (k+1)-th probability
    // of every token is far above eps 1e-3 and no probe changes the routing.
    for (const testCase of loadFixture(new URL('./__fixtures__/moe.json', import.meta.url)).cases) {
      const caseOptions = { ...moe.defaults, ...testCase.options, type: 'moe' } as MoeOptions;
      const names = Object.keys(testCase.params!);
      const inputs = [tensorFromData(testCase.inputs!.x), ...names.map((name) => tensorFromData(testCase.params![name]))];
      const forward = (x: tf.Tensor, ...values: tf.Tensor[]) => {
        const params = Object.fromEntries(names.map((name, i) => [name, values[i]]));
        const { y, aux } = moe.apply(params, x, caseOptions, makeContext(dims, { training: true }));
        return [y, aux!];
      };
      gradCheck(forward, inputs, { eps: 1e-3, rtol: 2e-2, names: ['x', ...names] });
    }
  });

  it('gives aux = top_k under uniform routing', () => {
    // A zero router makes every probability 1/E; ties pick experts 0 and 1, so f = (1, 1, 0, 0)
    // and aux = E * sum_e f_e / E = 2.
    const params = Object.fromEntries(moe.params(options, dims).map((spec) => [spec.name, tf.zeros(spec.shape)]));
    const { aux } = moe.apply(params, tf.ones([1, 3, 4]), options, makeContext(dims));
    expect(aux!.dataSync()[0]).toBeCloseTo(2, 6);
  });

  it('gives zero gradients to an unchosen expert', () => {
    // With a zero router, ties send every token to experts 0 and 1; tf.grads must still return
    // a gradient for expert 3 rather than throw.
    const specs = moe.params(options, dims);
    const names = specs.map((spec) => spec.name);
    const values = specs.map((spec) => (spec.name === 'router.weight' ? tf.zeros(spec.shape) : tf.randomNormal(spec.shape, 0, 0.5, 'float32', 3)));
    const loss = (...tensors: tf.Tensor[]) => {
      const params = Object.fromEntries(names.map((name, i) => [name, tensors[i]]));
      return tf.sum(moe.apply(params, tf.ones([1, 3, 4]), options, makeContext(dims, { training: true })).y) as tf.Scalar;
    };
    const grads = tf.grads(loss)(values);
    const unused = grads[names.indexOf('experts.3.up_proj.weight')];
    const used = grads[names.indexOf('experts.0.up_proj.weight')];
    expect(tf.max(tf.abs(unused)).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(used)).dataSync()[0]).toBeGreaterThan(0);
  });

  it('mixes a single expert with weight 1 when top_k is 1', () => {
    // The router prefers expert 1 for every token, with probability below 1. Expert 1 computes
    // gate = 20 and up = 1 on every hidden unit, so y = 6 * silu(20) in every output; the
    // renormalised mixing weight must be exactly 1.
    const top1: MoeOptions = { ...options, top_k: 1 };
    const params: Record<string, tf.Tensor> = {};
    for (const spec of moe.params(top1, dims)) params[spec.name] = tf.zeros(spec.shape);
    params['router.weight'] = tf.tensor2d([0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0], [4, 4]);
    params['experts.1.gate_proj.weight'] = tf.fill([4, 6], 5);
    params['experts.1.up_proj.weight'] = tf.fill([4, 6], 0.25);
    params['experts.1.down_proj.weight'] = tf.fill([6, 4], 1);
    const { y } = moe.apply(params, tf.ones([1, 2, 4]), top1, makeContext(dims));
    const expected = 6 * (20 / (1 + Math.exp(-20)));
    expect(Array.from(y.dataSync()).map((value) => value.toFixed(3))).toEqual(Array(8).fill(expected.toFixed(3)));
  });
});
