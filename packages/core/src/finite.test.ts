import { describe, expect, it } from 'vitest';

import { firstNonFiniteIndex } from './finite.js';

describe('firstNonFiniteIndex', () => {
  it('returns -1 for finite values', () => {
    expect(firstNonFiniteIndex(new Float32Array([0, -0, 1, -3.4e38, 3.4e38, 1e-45]))).toBe(-1);
    expect(firstNonFiniteIndex(new Float32Array(0))).toBe(-1);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('finds the first %s', (value) => {
    const values = new Float32Array(10);
    values[4] = value;
    values[7] = Number.NaN;
    expect(firstNonFiniteIndex(values)).toBe(4);
  });
});
