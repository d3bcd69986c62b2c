// Legend: B batch, T sequence, H query heads, G key/value heads, K head dim.
import { describe, expect, it } from 'vitest';
import { tf } from '@archzoo/core';
import { describeConformance, loadFixture, makeContext, resolveOptions, tensorFromData, testDims, useCpuBackend, type GoldenCase } from '@archzoo/testkit';
import { qkNorm, qkNormProjection, rmsNormLastAxis, type QkNormOptions } from './qk-norm.js';

const resolve = (options: Partial<QkNormOptions>) => resolveOptions(qkNorm, options) as QkNormOptions;
const fixtureUrl = new URL('./__fixtures__/qk_norm.json', import.meta.url);

describeConformance(qkNorm, {
  cases: [
    { name: 'per head (defaults)' },
    { name: 'whole projection', options: { scope: 'projection' } },
    { name: 'per head with unit offset', options: { unit_offset: true } },
    { name: 'whole projection with MQA', options: { scope: 'projection' }, dims: { n_kv_heads: 1 } },
    { name: 'per head with head_dim 8', dims: { d_model: 16, n_heads: 2, n_kv_heads: 1, head_dim: 8 } },
  ],
  golden: { fixture: fixtureUrl },
  invalid: [
    { name: 'an unknown scope', options: { scope: 'layer' }, message: 'stability.scope must be one of "head", "projection"' },
    { name: 'eps 0', options: { eps: 0 }, message: 'stability.eps must be > 0' },
  ],
});

describe('qk_norm params', () => {
  const dims = testDims({ d_model: 16, n_heads: 4, n_kv_heads: 2, head_dim: 4 });

  it('shares [K] weights across heads per head', () => {
    expect(qkNorm.params(resolve({ scope: 'head' }), dims)).toEqual([
      { name: 'q_norm.weight', shape: [4], init: { kind: 'ones' }, decay: false },
      { name: 'k_norm.weight', shape: [4], init: { kind: 'ones' }, decay: false },
    ]);
  });

  it('sizes weights by H*K and G*K per projection', () => {
    expect(qkNorm.params(resolve({ scope: 'projection' }), dims)).toEqual([
      { name: 'q_norm.weight', shape: [16], init: { kind: 'ones' }, decay: false },
      { name: 'k_norm.weight', shape: [8], init: { kind: 'ones' }, decay: false },
    ]);
  });

  it('initialises unit-offset weights to zeros', () => {
    const specs = qkNorm.params(resolve({ unit_offset: true }), dims);
    expect(specs.map((spec) => spec.init)).toEqual([{ kind: 'zeros' }, { kind: 'zeros' }]);
  });
});

describe('qk_norm scopes', () => {
  useCpuBackend();
  const fixture = loadFixture(fixtureUrl);
  const caseNamed = (name: string): GoldenCase => {
    const found = fixture.cases.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`qk_norm.json has no case "${name}"; rerun gen_stability.py`);
    return found;
  };
  const perHead = caseNamed('per head with unit weights');
  const whole = caseNamed('whole projection with unit weights');
  const ctx = makeContext(testDims());

  it('feeds both unit-weight cases the same input', () => {
    expect(whole.inputs!.q).toEqual(perHead.inputs!.q);
    expect(whole.inputs!.k).toEqual(perHead.inputs!.k);
  });

  it('gives different outputs per scope', () => {
    // The heads differ in scale by up to 64 times, so the two normalisations disagree by order one.
    const [headQ, wholeQ] = [perHead.expected.q.data, whole.expected.q.data];
    const largest = Math.max(...headQ.map((value, i) => Math.abs(value - wholeQ[i])));
    expect(largest).toBeGreaterThan(0.5);
  });

  it('matches each scope on the same input', () => {
    for (const [goldenCase, scope] of [[perHead, 'head'], [whole, 'projection']] as const) {
      const options = resolve({ scope });
      const q = tensorFromData(goldenCase.inputs!.q);
      const k = tensorFromData(goldenCase.inputs!.k);
      const v = tensorFromData(goldenCase.inputs!.v);
      const params = { 'q_norm.weight': tensorFromData(goldenCase.params!['q_norm.weight']), 'k_norm.weight': tensorFromData(goldenCase.params!['k_norm.weight']) };
      const [qOut, kOut] = qkNorm.projections!(params, q, k, v, options, ctx);
      const qValues = Array.from(qOut.dataSync());
      const kValues = Array.from(kOut.dataSync());
      qValues.forEach((value, i) => expect(value, `${scope} q[${i}]`).toBeCloseTo(goldenCase.expected.q.data[i], 4));
      kValues.forEach((value, i) => expect(value, `${scope} k[${i}]`).toBeCloseTo(goldenCase.expected.k.data[i], 4));
      tf.dispose([q, k, v, qOut, kOut, ...Object.values(params)]);
    }
  });

  it('brings every head to RMS 1 per head', () => {
    const q = tensorFromData(perHead.inputs!.q);
    const weight = tf.ones([4]);
    const out = qkNormProjection(q, weight, 4, 4, resolve({ scope: 'head' }));
    const headRms = tf.tidy(() => tf.sqrt(tf.mean(tf.square(tf.reshape(out, [-1, 4, 4])), -1)));
    Array.from(headRms.dataSync()).forEach((rms) => expect(rms).toBeCloseTo(1, 4));
    tf.dispose([q, weight, out, headRms]);
  });

  it('leaves small heads small over the projection', () => {
    const q = tensorFromData(whole.inputs!.q);
    const weight = tf.ones([16]);
    const out = qkNormProjection(q, weight, 4, 4, resolve({ scope: 'projection' }));
    const rowRms = tf.tidy(() => tf.sqrt(tf.mean(tf.square(tf.reshape(out, [-1, 16])), -1)));
    // Head 0 has scale 1 against 64 for head 3, so its share of the row RMS stays below 0.1.
    const firstHeadRms = tf.tidy(() => tf.sqrt(tf.mean(tf.square(tf.slice(tf.reshape(out, [-1, 4, 4]), [0, 0, 0], [-1, 1, -1])), -1)));
    Array.from(rowRms.dataSync()).forEach((rms) => expect(rms).toBeCloseTo(1, 4));
    Array.from(firstHeadRms.dataSync()).forEach((rms) => expect(rms).toBeLessThan(0.1));
    tf.dispose([q, weight, out, rowRms, firstHeadRms]);
  });

  it('equals a per-head norm after the head split', () => {
    // The attention splits [B, T, H*K] into [B, H, T, K], so normalising before or after the split must agree.
    const q = tensorFromData(caseNamed('per head with unit offset as Gemma 3').inputs!.q);
    const weight = tensorFromData(caseNamed('per head with unit offset as Gemma 3').params!['q_norm.weight']);
    const options = resolve({ scope: 'head', unit_offset: true });
    const [batch, seq] = q.shape;
    const beforeSplit = tf.tidy(() => tf.transpose(tf.reshape(qkNormProjection(q, weight, 4, 4, options), [batch, seq, 4, 4]), [0, 2, 1, 3]));
    const afterSplit = tf.tidy(() => rmsNormLastAxis(tf.transpose(tf.reshape(q, [batch, seq, 4, 4]), [0, 2, 1, 3]), weight, options.eps, true));
    expect(Array.from(beforeSplit.dataSync())).toEqual(Array.from(afterSplit.dataSync()));
    tf.dispose([q, weight, beforeSplit, afterSplit]);
  });
});
