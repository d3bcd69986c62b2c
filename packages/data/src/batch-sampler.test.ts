// Shapes: B batch, T sequence (block size).

import { DataError, Rng } from '@archzoo/core';
import { describe, expect, it } from 'vitest';

import { BatchSampler } from './batch-sampler.js';

/** Token i has id i, so every row shows the offset it was cut at. */
const RAMP = Uint16Array.from({ length: 1000 }, (_, index) => index);

function rowStarts(inputs: Int32Array, blockSize: number): number[] {
  const starts: number[] = [];
  for (let index = 0; index < inputs.length; index += blockSize) starts.push(inputs[index]);
  return starts;
}

describe('BatchSampler', () => {
  it('draws offsets from the seeded generator', () => {
    const sampler = new BatchSampler(RAMP, { batchSize: 4, blockSize: 8, seed: 1234 });
    const batch = sampler.next();

    // Offsets are uniform in [0, n - T - 1], one nextInt(n - T) call per row.
    const rng = new Rng(1234);
    const expected = Array.from({ length: 4 }, () => rng.nextInt(1000 - 8));
    expect(batch.rows).toBe(4);
    expect(rowStarts(batch.inputs, 8)).toEqual(expected);
  });

  it('shifts targets by one', () => {
    const batch = new BatchSampler(RAMP, { batchSize: 3, blockSize: 5, seed: 3 }).next();
    expect(batch.inputs).toHaveLength(15);
    expect(batch.targets).toHaveLength(15);
    for (let index = 0; index < 15; index++) {
      expect(batch.targets[index]).toBe(batch.inputs[index] + 1);
    }
    for (let row = 0; row < 3; row++) {
      const start = batch.inputs[row * 5];
      expect(Array.from(batch.inputs.subarray(row * 5, row * 5 + 5))).toEqual([0, 1, 2, 3, 4].map((t) => start + t));
    }
  });

  it('repeats for one seed and differs for another', () => {
    const draw = (seed: number): number[] => {
      const sampler = new BatchSampler(RAMP, { batchSize: 4, blockSize: 8, seed });
      return [0, 1, 2].flatMap(() => Array.from(sampler.next().inputs));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('reaches the last token', () => {
    const tokens = Uint16Array.from([10, 11, 12]);
    const sampler = new BatchSampler(tokens, { batchSize: 64, blockSize: 2, seed: 0 });
    const batch = sampler.next();
    // n - T = 1 possible offset.
    expect(Array.from(batch.inputs.subarray(0, 2))).toEqual([10, 11]);
    expect(Array.from(batch.targets.subarray(0, 2))).toEqual([11, 12]);
  });

  it('restores a saved state exactly', () => {
    const sampler = new BatchSampler(RAMP, { batchSize: 2, blockSize: 4, seed: 9 });
    sampler.next();
    sampler.next();
    const saved = JSON.parse(JSON.stringify(sampler.state())) as ReturnType<BatchSampler['state']>;
    const continued = [sampler.next(), sampler.next()].map((batch) => Array.from(batch.inputs));

    const resumed = new BatchSampler(RAMP, { batchSize: 2, blockSize: 4, seed: 0 });
    resumed.restore(saved);
    expect(resumed.step).toBe(2);
    const replayed = [resumed.next(), resumed.next()].map((batch) => Array.from(batch.inputs));
    expect(replayed).toEqual(continued);
    expect(resumed.step).toBe(4);
  });

  it('rejects a malformed state', () => {
    const sampler = new BatchSampler(RAMP, { batchSize: 2, blockSize: 4, seed: 9 });
    expect(() => sampler.restore({ rng: [1, 2, 3], step: 0 })).toThrow(DataError);
    expect(() => sampler.restore({ rng: [1, 2, 3, 2 ** 32], step: 0 })).toThrow(DataError);
    expect(() => sampler.restore({ rng: [1, 2, 3, 4], step: 1.5 })).toThrow(
      'sampler state must be { rng: four 32-bit integers, step: a count }, got {"rng":[1,2,3,4],"step":1.5}; pass a value returned by state()',
    );
  });

  it('rejects a stream shorter than T + 1', () => {
    const make = (): BatchSampler => new BatchSampler(new Uint16Array(8), { batchSize: 1, blockSize: 8, seed: 0 });
    expect(make).toThrow(DataError);
    expect(make).toThrow('token stream has 8 tokens, fewer than blockSize + 1 (9); use a smaller blockSize or more data');
  });

  it('rejects bad sizes', () => {
    expect(() => new BatchSampler(RAMP, { batchSize: 0, blockSize: 8, seed: 0 })).toThrow(
      'batchSize must be a positive integer, got 0; pass e.g. batchSize: 8',
    );
    expect(() => new BatchSampler(RAMP, { batchSize: 2, blockSize: 2.5, seed: 0 })).toThrow(
      'blockSize must be a positive integer, got 2.5; pass e.g. blockSize: 8',
    );
  });
});
