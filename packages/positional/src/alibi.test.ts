import { describe, expect, it } from 'vitest';
import { describeConformance } from '@archzoo/testkit';
import { alibi, alibiBias, alibiSlopes } from './alibi.js';

describeConformance(alibi, {
  cases: [
    { name: 'prefill of 5 tokens' },
    { name: 'decoding step at position 7', seq: 1, start: 7, keys: 8 },
    { name: '12 heads', dims: { d_model: 48, n_heads: 12, n_kv_heads: 12 } },
  ],
  golden: { fixture: new URL('./__fixtures__/alibi.json', import.meta.url) },
});

describe('alibiSlopes', () => {
  it('gives 1/2 to 1/256 for 8 heads', () => {
    expect(alibiSlopes(8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((k) => 2 ** -k));
  });

  it('interleaves the 16-head slopes for 12 heads', () => {
    const expected = [...[1, 2, 3, 4, 5, 6, 7, 8].map((k) => 2 ** -k), ...[0.5, 1.5, 2.5, 3.5].map((k) => 2 ** -k)];
    alibiSlopes(12).forEach((slope, h) => expect(slope).toBeCloseTo(expected[h], 15));
  });

  it('gives one slope of 1/256 for a single head', () => {
    expect(alibiSlopes(1)).toEqual([2 ** -8]);
  });
});

describe('alibiBias', () => {
  it('penalises distance and zeroes future keys', () => {
    // One head (slope 1/256), queries at positions 1 and 2, keys 0..2.
    expect(Array.from(alibiBias(1, 2, 3, 1))).toEqual([-1 / 256, 0, 0, -2 / 256, -1 / 256, 0]);
  });

  it('returns the cached array for the same shape and start', () => {
    expect(alibiBias(2, 3, 4, 1)).toBe(alibiBias(2, 3, 4, 1));
    expect(alibiBias(2, 3, 4, 0)).not.toBe(alibiBias(2, 3, 4, 1));
  });
});
