import { describe, expect, it } from 'vitest';
import { compareWithRecord, curveFromLosses, curveSteps, type RecordedResult, windowMean } from './recipe.js';

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

describe('recorded curves', () => {
  it('averages the window ending at a step, or fewer steps at the start', () => {
    expect(windowMean([10, 9, 8, 7], 4, 2)).toBe(7.5);
    expect(windowMean([10, 9, 8, 7], 1, 2)).toBe(10);
    expect(windowMean([10, 9, 8, 7], 5, 2)).toBeUndefined();
    expect(windowMean([], 1, 1)).toBeUndefined();
  });

  it('lists steps 1, 10 and window ends', () => {
    expect(curveSteps(600, 50)).toEqual([1, 10, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600]);
    expect(curveSteps(25, 10)).toEqual([1, 10, 20]);
    expect(curveSteps(3, 1)).toEqual([1, 2, 3]);
    expect(curveSteps(7, 20)).toEqual([1]);
  });

  it('matches a curve built from its losses', () => {
    const losses = Array.from({ length: 120 }, (_, i) => 10 - Math.log1p(i) + 0.1 * Math.sin(i));
    const trainCurve = curveFromLosses(losses, 20);
    expect(trainCurve.map(([step]) => step)).toEqual([1, 10, 20, 40, 60, 80, 100, 120]);
    expect(trainCurve[0]).toEqual([1, 10]);
    const verdict = compareWithRecord({ ...record, steps: 120, trainCurve, curveWindow: 20, finalValLoss: 5 }, losses, 5);
    expect(verdict.match).toBe(true);
    // Rounding to 4 decimals is the only difference.
    expect(verdict.maxDifference).toBeLessThanOrEqual(5e-5);
    expect(verdict.lines[0]).toMatch(/^train\/loss @ step 1: /);
    expect(verdict.lines[2]).toMatch(/^train\/loss mean of steps 1-20: /);
  });
});
