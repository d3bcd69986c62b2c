import { DataError } from '@archzoo/core';
import { describe, expect, it } from 'vitest';

import { unigramBaseline } from './unigram-baseline.js';

describe('unigramBaseline', () => {
  it('matches a hand-computed example', () => {
    // V = 3, train counts (2, 1, 0), N = 3, so add-one probabilities are 3/6, 2/6, 1/6.
    // Cross-entropy of val [0, 1, 2] = (ln 2 + ln 3 + ln 6) / 3 = ln(36) / 3 = 1.1945063...
    // The val tokens are uniform over 3 ids, so their own entropy is ln 3 = 1.0986123...
    const baseline = unigramBaseline([0, 0, 1], [0, 1, 2], 3);
    expect(baseline.crossEntropyNats).toBeCloseTo(Math.log(36) / 3, 12);
    expect(baseline.crossEntropyNats).toBeCloseTo(1.1945063, 6);
    expect(baseline.valEntropyNats).toBeCloseTo(Math.log(3), 12);
    expect(baseline.perplexity).toBeCloseTo(Math.cbrt(36), 12);
    expect(baseline.trainTokens).toBe(3);
    expect(baseline.valTokens).toBe(3);
  });

  it('gives ln V with no train tokens', () => {
    const baseline = unigramBaseline([], new Uint16Array([4, 4, 9]), 10);
    expect(baseline.crossEntropyNats).toBeCloseTo(Math.log(10), 12);
    // Val shares 2/3 and 1/3.
    expect(baseline.valEntropyNats).toBeCloseTo(-(2 / 3) * Math.log(2 / 3) - (1 / 3) * Math.log(1 / 3), 12);
  });

  it('rejects ids outside the vocabulary', () => {
    expect(() => unigramBaseline([0, 5], [0], 5)).toThrow(DataError);
    expect(() => unigramBaseline([0, 5], [0], 5)).toThrow(
      "train token 1 is 5, outside the vocabulary [0, 5); pass the tokenizer's vocabSize",
    );
    expect(() => unigramBaseline([0], [-1], 5)).toThrow('validation token 0 is -1');
  });

  it('rejects an empty validation stream', () => {
    expect(() => unigramBaseline([1], [], 5)).toThrow(
      'validation stream is empty, so its loss is undefined; hold out more data',
    );
  });

  it('rejects a bad vocabulary size', () => {
    expect(() => unigramBaseline([0], [0], 0)).toThrow(
      "vocabSize must be a positive integer, got 0; pass the tokenizer's vocabSize",
    );
  });
});
