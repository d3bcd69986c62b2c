// Shapes: B batch, T sequence (block size).

import { DataError } from '@archzoo/core';
import { describe, expect, it } from 'vitest';

import { evalBatches, evalWindowCount } from './eval-batches.js';

const RAMP = Uint16Array.from({ length: 23 }, (_, index) => index);

describe('evalBatches', () => {
  it('covers disjoint windows in order', () => {
    // (23 - 1) / 4 -> 5 windows at 0, 4, 8, 12, 16; with B = 2 that is rows 2, 2, 1.
    const batches = [...evalBatches(RAMP, { batchSize: 2, blockSize: 4 })];

    expect(batches.map((batch) => batch.rows)).toEqual([2, 2, 1]);
    expect(Array.from(batches[0].inputs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(batches[0].targets)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(batches[2].inputs)).toEqual([16, 17, 18, 19]);
    expect(Array.from(batches[2].targets)).toEqual([17, 18, 19, 20]);
  });

  it('is the same on every pass', () => {
    const pass = (): number[][] => [...evalBatches(RAMP, { batchSize: 2, blockSize: 4 })].map((b) => Array.from(b.inputs));
    expect(pass()).toEqual(pass());
  });

  it('stops at maxBatches', () => {
    const batches = [...evalBatches(RAMP, { batchSize: 2, blockSize: 4, maxBatches: 2 })];
    expect(batches).toHaveLength(2);
    expect([...evalBatches(RAMP, { batchSize: 2, blockSize: 4, maxBatches: 0 })]).toEqual([]);
  });

  it('counts windows', () => {
    expect(evalWindowCount(23, 4)).toBe(5);
    expect(evalWindowCount(21, 4)).toBe(5);
    expect(evalWindowCount(20, 4)).toBe(4);
    expect(evalWindowCount(0, 4)).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => [...evalBatches(RAMP, { batchSize: 2, blockSize: 4, maxBatches: -1 })]).toThrow(DataError);
    expect(() => [...evalBatches(RAMP, { batchSize: 2, blockSize: 4, maxBatches: 1.5 })]).toThrow(
      'maxBatches must be a non-negative integer, got 1.5; omit it to evaluate every window',
    );
    expect(() => [...evalBatches(RAMP, { batchSize: 2, blockSize: 23 })]).toThrow(
      'token stream has 23 tokens, fewer than blockSize + 1 (24)',
    );
  });
});
