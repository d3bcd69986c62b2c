import { describe, expect, it } from 'vitest';
import { describeConformance } from '@archzoo/testkit';
import { t5Relative, t5RelativeBucket } from './t5-relative.js';

describeConformance(t5Relative, {
  cases: [
    { name: 'defaults' },
    { name: 'decoding step at position 140', seq: 1, start: 140, keys: 141, dims: { context_length: 256 } },
    { name: '8 buckets up to distance 20', options: { num_buckets: 8, max_distance: 20 }, seq: 4, start: 20 },
  ],
  golden: { fixture: new URL('./__fixtures__/t5_relative.json', import.meta.url) },
  invalid: [
    { name: 'max_distance within the exact buckets', options: { num_buckets: 32, max_distance: 16 }, message: 't5_relative: max_distance (16) must exceed num_buckets / 2 (16)' },
    { name: 'a fractional bucket count', options: { num_buckets: 31.5 }, message: 'position.num_buckets must be an integer' },
  ],
});

describe('t5RelativeBucket', () => {
  it('matches the T5 default buckets', () => {
    // Expected buckets from the causal formula with 32 buckets and max distance 128.
    const distances = [0, 15, 16, 20, 32, 64, 127, 128, 500];
    expect(distances.map((distance) => t5RelativeBucket(distance, 32, 128))).toEqual([0, 15, 16, 17, 21, 26, 31, 31, 31]);
  });
});
