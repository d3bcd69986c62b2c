import { describe, expect, it } from 'vitest';
import { compareWithRecord, type RecordedResult } from './recipe.js';

const record: RecordedResult = {
  scale: 'tiny',
  backend: 'cpu',
  seed: 1,
  steps: 4,
  data: 'brown',
  tokenizer: 'gpt2',
  trainCurve: [
    [2, 9.5],
    [4, 7.5],
  ],
  curveWindow: 2,
  finalValLoss: 7,
  tolerance: { nats: 0.1, reason: 'test' },
  provenance: 'hand-written',
};

describe('compareWithRecord', () => {
  it('compares window means', () => {
    // Means: steps 1-2 (10 + 9) / 2 = 9.5, steps 3-4 (8 + 7) / 2 = 7.5.
    const verdict = compareWithRecord(record, [10, 9, 8, 7], 7.05);
    expect(verdict.match).toBe(true);
    expect(verdict.maxDifference).toBeCloseTo(0.05, 10);
    expect(verdict.lines[0]).toBe('train/loss mean of steps 1-2: recorded 9.5000, measured 9.5000, |diff| 0.0000');
  });

  it('fails beyond the tolerance', () => {
    const verdict = compareWithRecord(record, [10, 9, 8, 7.3], 7);
    expect(verdict.match).toBe(false);
    expect(verdict.maxDifference).toBeCloseTo(0.15, 10);
  });

  it('fails when steps are missing', () => {
    const verdict = compareWithRecord(record, [10, 9], 7);
    expect(verdict.match).toBe(false);
    expect(verdict.lines[1]).toContain('measured missing');
  });

  it('fails on a non-finite validation loss', () => {
    expect(compareWithRecord(record, [10, 9, 8, 7], Number.NaN).match).toBe(false);
  });
});
