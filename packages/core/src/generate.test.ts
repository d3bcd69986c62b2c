import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig, testPlugins } from './__fixtures__/plugins.js';
import { resolveConfig } from './config.js';
import { ArchzooError, NumericError } from './errors.js';
import { generate, sampleToken } from './generate.js';
import { Model } from './model.js';
import { initParams } from './params.js';
import { Registry } from './registry.js';
import { Rng } from './rng.js';
import { tf } from './tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('sampleToken', () => {
  const logits = Float32Array.from([1, 3, 2, 3, -1]);

  it('picks the first maximum when greedy', () => {
    expect(sampleToken(logits, { temperature: 0 }, new Rng(1))).toBe(1);
  });

  it('keeps only the top k ids', () => {
    const rng = new Rng(2);
    const seen = new Set(Array.from({ length: 200 }, () => sampleToken(logits, { topK: 2 }, rng)));
    expect([...seen].sort()).toEqual([1, 3]);
  });

  it('keeps the smallest top-p set', () => {
    // Probabilities are about 0.08, 0.30, 0.11, 0.30, 0.01 (ids 0..4); p 0.5 needs ids 1 and 3.
    const rng = new Rng(3);
    const seen = new Set(Array.from({ length: 200 }, () => sampleToken(logits, { topP: 0.5 }, rng)));
    expect([...seen].sort()).toEqual([1, 3]);
  });

  it('follows the softmax frequencies', () => {
    const rng = new Rng(4);
    const twoIds = Float32Array.from([0, Math.log(3)]);
    const draws = 4000;
    let ones = 0;
    for (let i = 0; i < draws; i++) ones += sampleToken(twoIds, { temperature: 1 }, rng);
    // Expected 3/4; the binomial standard deviation at 4000 draws is about 0.007.
    expect(ones / draws).toBeCloseTo(0.75, 1);
  });
});

describe('generate', () => {
  const registry = new Registry(testPlugins);
  const config = resolveConfig(testConfig, registry);
  const model = new Model(config, registry);
  const params = initParams(model.specs, config, 7);

  it('repeats under the same seed', () => {
    const options = { maxTokens: 5, temperature: 1, seed: 11, useCache: false };
    expect(generate(model, params, [1, 2], options)).toEqual(generate(model, params, [1, 2], options));
  });

  it('stops at a stop token', () => {
    const greedy = generate(model, params, [3], { maxTokens: 6, temperature: 0, useCache: false });
    const stopped = generate(model, params, [3], { maxTokens: 6, temperature: 0, useCache: false, stopTokens: [greedy[1]!] });
    expect(stopped).toEqual(greedy.slice(0, greedy.indexOf(greedy[1]!) + 1));
  });

  it('rejects logits that overflow float32', () => {
    // Every weight is finite, but 3e38 in the final norm overflows the logits to +-Infinity or NaN.
    const finalNorm = params.get('final_norm.weight')!;
    const huge = tf.fill(finalNorm.shape, 3e38);
    const overflowing = new Map<string, tf.Tensor>(params);
    overflowing.set('final_norm.weight', huge);
    try {
      const run = () => generate(model, overflowing, [1, 2], { maxTokens: 2, temperature: 0 });
      expect(run).toThrow(NumericError);
      expect(run).toThrow(/^the logits of position 1 are (NaN|-?Infinity) at token id \d+; the weights are corrupt or overflow float32, so re-download, re-export or retrain them$/);
    } finally {
      huge.dispose();
    }
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    generate(model, params, [1, 2, 3], { maxTokens: 4, useCache: false });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad inputs with one-line errors', () => {
    expect(() => generate(model, params, [], { maxTokens: 1 })).toThrow(/prompt is empty/);
    expect(() => generate(model, params, [17], { maxTokens: 1 })).toThrow(/outside the vocabulary \[0, 17\)/);
    expect(() => generate(model, params, [1, 2, 3], { maxTokens: 6 })).toThrow(/exceeds the model's context_length \(8\)/);
    expect(() => generate(model, params, [1], { maxTokens: 1, temperature: -1 })).toThrow(ArchzooError);
    expect(() => generate(model, params, [1], { maxTokens: 1, topP: 0 })).toThrow(/topP must be in \(0, 1\]/);
  });
});
