// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
// Small manifests defined here run the full suite, so a change that breaks one check of the kit
// for a correct plugin fails here first.
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, tf, type FfnManifest, type NormManifest, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';
import { describeConformance, optionProblems, resolveOptions } from './conformance.js';
import type { GoldenFixture } from './golden.js';
import { testDims } from './params.js';

interface ScaleOptions extends SlotOptions {
  offset: number;
}

/** y = x * w + offset over the last axis: [..., D] -> [..., D]. */
const scaleNorm: NormManifest<ScaleOptions> = {
  id: 'scale',
  kind: 'norm',
  contract: CONTRACT_VERSION,
  package: '@archzoo/testkit',
  description: 'Elementwise scale plus a constant offset (a test double)',
  schema: { offset: { type: 'number', description: 'constant added to the output' } },
  defaults: { offset: 0 },
  references: ['test double defined in this file'],
  validate: (options) => (options.offset > 10 ? [`offset (${options.offset}) must be at most 10`] : []),
  params: (_options, dims, dim) => [{ name: 'weight', shape: [dim ?? dims.d_model], init: { kind: 'ones' }, decay: false }],
  apply: (params, x, options) => tf.tidy(() => tf.add(tf.mul(x, params.weight), options.offset)),
};

/** Squared-ReLU MLP with an auxiliary mean-square loss: [B, T, D] -> [B, T, D]. */
const squaredReluFfn: FfnManifest = {
  id: 'squared_relu_aux',
  kind: 'ffn',
  contract: CONTRACT_VERSION,
  package: '@archzoo/testkit',
  description: 'Squared-ReLU MLP whose auxiliary loss is the mean square of its hidden units (a test double)',
  schema: {},
  defaults: {},
  references: ['test double defined in this file'],
  params: (_options, dims) => [
    { name: 'up.weight', shape: [dims.d_model, dims.d_ff], init: { kind: 'normal', std: 0.5 }, decay: true },
    { name: 'down.weight', shape: [dims.d_ff, dims.d_model], init: { kind: 'normal', std: 0.5, residual: true }, decay: true },
  ],
  apply: (params, xBTD) => {
    const [y, aux] = tf.tidy(() => {
      const [b, t, d] = xBTD.shape;
      const hiddenNF = tf.square(tf.relu(tf.matMul(tf.reshape(xBTD, [b * t, d]), params['up.weight'])));
      const yBTD = tf.reshape(tf.matMul(hiddenNF, params['down.weight']), [b, t, d]);
      return [yBTD, tf.mean(tf.square(hiddenNF))];
    });
    return { y, aux };
  },
};

/** Logit soft-capping c * tanh(x / c) and a weighted z-loss on log-sum-exp. */
const capStability: StabilityManifest<SlotOptions & { cap: number }> = {
  id: 'cap_and_z',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '@archzoo/testkit',
  description: 'Soft-capped logits and a z-loss (a test double)',
  schema: { cap: { type: 'number', min: 0, exclusiveMin: true, description: 'soft cap' } },
  defaults: { cap: 3 },
  references: ['test double defined in this file'],
  params: () => [],
  logits: (logitsNV, options) => tf.tidy(() => tf.mul(tf.tanh(tf.div(logitsNV, options.cap)), options.cap)),
  loss: (terms) => tf.tidy(() => tf.div(tf.sum(tf.mul(tf.square(terms.logsumexpN), terms.weightN)), terms.count)),
};

// Expected values written out by hand: x * w + offset.
const scaleFixture: GoldenFixture = {
  generator: 'conformance.test.ts (values written inline)',
  source: 'y = x * w + offset',
  cases: [
    {
      name: 'offset 0.5',
      options: { offset: 0.5 },
      dims: { d_model: 2 },
      inputs: { x: { shape: [1, 2, 2], data: [1, -2, 3, 0.25] } },
      params: { weight: { shape: [2], data: [2, -1] } },
      expected: { y: { shape: [1, 2, 2], data: [2.5, 2.5, 6.5, 0.25] } },
    },
  ],
};

describeConformance(scaleNorm, {
  cases: [
    { name: 'model width', options: { offset: 0.25 } },
    { name: 'head width', dim: 4, dims: { d_model: 8, n_heads: 2 } },
  ],
  golden: { fixture: scaleFixture },
  invalid: [{ name: 'an offset above 10', options: { offset: 11 }, message: 'offset (11) must be at most 10' }],
});

describeConformance(squaredReluFfn, { cases: [{ name: 'default dims' }] });

describeConformance(capStability, {
  cases: [{ name: 'cap 3', options: { cap: 3 } }],
  invalid: [{ name: 'a zero cap', options: { cap: 0 }, message: 'must be > 0' }],
});

describe('resolveOptions', () => {
  it('merges defaults without mutating them', () => {
    const options = resolveOptions(scaleNorm, { offset: 2 });
    expect(options).toEqual({ type: 'scale', offset: 2 });
    expect(scaleNorm.defaults).toEqual({ offset: 0 });
  });

  it('reports unknown options', () => {
    const problems = optionProblems(scaleNorm, resolveOptions(scaleNorm, { offest: 1 }), testDims());
    expect(problems.join('\n')).toContain('norm.offest is not an option of "scale"');
  });
});
