// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
// A single-head attention and a distance-bias position scheme, both test doubles, run the attention
// path of the kit: bindPosition, identityStability and a case with a bound position scheme.
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, tf, type AttentionManifest, type PositionManifest, type Tensor } from '@archzoo/core';
import { useCpuBackend } from './backend.js';
import { describeConformance } from './conformance.js';
import { bindPosition, identityStability, makeContext } from './context.js';
import { testDims } from './params.js';

/** Bias -weight[h] * (i - j) for key j <= query i: a learned ALiBi-like slope per head. */
const learnedSlopes: PositionManifest = {
  id: 'learned_slopes',
  kind: 'position',
  contract: CONTRACT_VERSION,
  package: '@archzoo/testkit',
  description: 'Learned per-head distance penalty (a test double)',
  schema: {},
  defaults: {},
  references: ['test double defined in this file'],
  params: (_options, dims) => [{ name: 'weight', shape: [dims.n_heads], init: { kind: 'constant', value: 0.5 }, decay: false }],
  bias: (params, tQueries, sKeys, qStart) =>
    tf.tidy(() => {
      const distanceTS = tf.sub(tf.reshape(tf.range(qStart, qStart + tQueries), [tQueries, 1]), tf.reshape(tf.range(0, sKeys), [1, sKeys]));
      const clippedTS = tf.relu(distanceTS);
      return tf.neg(tf.mul(tf.reshape(params.weight, [-1, 1, 1]), clippedTS));
    }),
};

/** Causal single-head attention over the full width D, using the bound position bias if present. */
const singleHead: AttentionManifest = {
  id: 'single_head',
  kind: 'attention',
  contract: CONTRACT_VERSION,
  package: '@archzoo/testkit',
  description: 'Causal single-head attention (a test double)',
  schema: {},
  defaults: {},
  references: ['test double defined in this file'],
  params: (_options, dims) =>
    ['q', 'k', 'v', 'o'].map((name) => ({ name: `${name}_proj.weight`, shape: [dims.d_model, dims.d_model], init: { kind: 'normal' as const, std: 0.3 }, decay: true })),
  apply: (params, xBTD, _options, ctx) =>
    tf.tidy(() => {
      const [batch, seq, width] = xBTD.shape as number[];
      const project = (name: string) => tf.reshape(tf.matMul(tf.reshape(xBTD, [batch * seq, width]), params[`${name}_proj.weight`]), [batch, 1, seq, width]);
      const [q, kNew] = ctx.stability.queryKey(project('q'), project('k'));
      let [k, v] = [kNew, project('v')];
      const cache = ctx.cache;
      if (cache) {
        // Keys and values of all earlier positions, from 0: the cache keeps every position.
        if (cache.keys && cache.values) [k, v] = [tf.concat([cache.keys, k], 2), tf.concat([cache.values, v], 2)];
        const [oldKeys, oldValues] = [cache.keys, cache.values];
        [cache.keys, cache.values, cache.start] = [tf.keep(k), tf.keep(v), 0];
        oldKeys?.dispose();
        oldValues?.dispose();
      }
      const keys = k.shape[2] as number;
      let scoresBHTS: Tensor = tf.div(tf.matMul(q, k, false, true), Math.sqrt(width));
      if (ctx.position.bias) scoresBHTS = tf.add(scoresBHTS, tf.slice(ctx.position.bias(seq, keys, ctx.start), [0, 0, 0], [1, -1, -1]));
      // Query t is at absolute position start + t and attends to keys 0..start + t.
      const maskTS = tf.lessEqual(tf.reshape(tf.range(0, keys), [1, keys]), tf.reshape(tf.range(ctx.start, ctx.start + seq), [seq, 1]));
      const masked = tf.where(tf.broadcastTo(maskTS, scoresBHTS.shape), scoresBHTS, tf.fill(scoresBHTS.shape, -1e9));
      const outBHTK = tf.matMul(tf.softmax(masked), v);
      return tf.reshape(tf.matMul(tf.reshape(outBHTK, [batch * seq, width]), params['o_proj.weight']), [batch, seq, width]);
    }),
};

describeConformance(singleHead, {
  cases: [
    { name: 'without positions', dims: { d_model: 8 } },
    { name: 'with a bound distance bias', dims: { d_model: 8 }, position: { manifest: learnedSlopes } },
  ],
});

describeConformance(learnedSlopes, { cases: [{ name: 'decoding from position 4', seq: 2, start: 4 }] });

describe('bindPosition', () => {
  useCpuBackend();
  const dims = testDims();

  it('binds only the calls the manifest has', () => {
    const weight = tf.fill([dims.n_heads], 0.5);
    const binding = bindPosition(learnedSlopes, { type: 'learned_slopes' }, { weight }, makeContext(dims));
    expect(binding.rotate).toBeUndefined();
    const biasHTS = binding.bias!(2, 3, 1);
    expect(biasHTS.shape).toEqual([dims.n_heads, 2, 3]);
    expect(Array.from(biasHTS.dataSync().slice(0, 6), (value) => value + 0)).toEqual([-0.5, 0, 0, -1, -0.5, 0]);
    tf.dispose([weight, biasHTS]);
  });

  it('returns an empty binding for no scheme', () => {
    expect(bindPosition(null, { type: 'none' }, {}, makeContext(dims))).toEqual({});
  });
});

describe('identityStability', () => {
  it('returns its inputs unchanged', () => {
    const stability = identityStability();
    const [q, k, v] = [tf.ones([1]), tf.zeros([1]), tf.ones([2])];
    expect(stability.projections(q, k, v)).toEqual([q, k, v]);
    expect(stability.queryKey(q, k)).toEqual([q, k]);
    expect(stability.scores(v)).toBe(v);
    tf.dispose([q, k, v]);
  });
});
