import { describe, expect, it } from 'vitest';
import { describeConformance } from '@archzoo/testkit';
import { sinusoidal, sinusoidalTable } from './sinusoidal.js';

describeConformance(sinusoidal, {
  cases: [
    { name: 'from position 0' },
    { name: 'from position 9', start: 9 },
  ],
  golden: { fixture: new URL('./__fixtures__/sinusoidal.json', import.meta.url) },
  invalid: [{ name: 'a base of 1', options: { base: 1 }, message: 'position.base must be > 1' }],
});

describe('sinusoidalTable', () => {
  it('puts sin on even and cos on odd dims', () => {
    const table = sinusoidalTable(1, 4, 1, 10000);
    expect(Array.from(table)).toEqual([Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)].map(Math.fround));
  });

  it('returns the cached table for the same positions', () => {
    expect(sinusoidalTable(3, 4, 2, 10000)).toBe(sinusoidalTable(3, 4, 2, 10000));
  });
});
