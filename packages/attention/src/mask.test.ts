// Legend: T queries, S keys.
import { readFileSync } from 'node:fs';
import { useCpuBackend } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { additiveMask, isVisible, MASKED, meanAttended, type MaskSpec } from './mask.js';

useCpuBackend();

interface MaskFixture {
  masks: Record<string, { spec: MaskSpec; rows: string[] }>;
}

// Visibility matrices from make_attention_fixtures.py, built from the set definitions of
// Child et al. 2019 (strided A(1) = {max(0, i-l) .. i}, A(2) = {j : (i-j) mod l = 0}; fixed
// A(1) = same block, A(2) = last c positions of each block) and the window 0 <= i - j < w.
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/masks.json', import.meta.url), 'utf8')) as MaskFixture;

function rowsOf(spec: MaskSpec, size: number, queryStart = 0, keyStart = 0): string[] {
  const rows: string[] = [];
  for (let i = 0; i < size; i++) {
    let row = '';
    for (let j = 0; j < size; j++) row += isVisible(queryStart + i, keyStart + j, spec) ? '1' : '0';
    rows.push(row);
  }
  return rows;
}

describe('mask patterns', () => {
  for (const [name, { spec, rows }] of Object.entries(fixture.masks)) {
    it(`isVisible matches numpy for ${name}`, () => {
      expect(rowsOf(spec, rows.length)).toEqual(rows);
    });

    it(`additiveMask matches numpy for ${name}`, () => {
      const maskTS = additiveMask(rows.length, rows.length, 0, 0, spec)!;
      const values = maskTS.dataSync();
      const actual = rows.map((_, i) => rows.map((__, j) => (values[i * rows.length + j] === 0 ? '1' : '0')).join(''));
      expect(actual).toEqual(rows);
      expect(new Set(values)).toEqual(new Set([0, MASKED]));
      maskTS.dispose();
    });

    it(`meanAttended counts the visible keys of ${name}`, () => {
      for (const t of [1, 5, rows.length]) {
        const visible = rows.slice(0, t).reduce((total, row) => total + [...row.slice(0, t)].filter((c) => c === '1').length, 0);
        expect(meanAttended(spec, t), `t = ${t}`).toBeCloseTo(visible / t, 12);
      }
    });
  }

  it('shifts the window with the query start', () => {
    // Queries at 10..11 and keys at 8..11: window 2 shows keys 9, 10 to query 10 and 10, 11 to query 11.
    const maskTS = additiveMask(2, 4, 10, 8, { window: 2 })!;
    expect(Array.from(maskTS.dataSync()).map((value) => (value === 0 ? 1 : 0))).toEqual([0, 1, 1, 0, 0, 0, 1, 1]);
    maskTS.dispose();
  });

  it('returns null when every key is visible', () => {
    expect(additiveMask(1, 6, 5, 0, {})).toBeNull();
    expect(additiveMask(1, 3, 5, 3, { window: 3 })).toBeNull();
  });

  it('counts a long windowed sequence in closed form', () => {
    // Window 4 over 1000 tokens: 1 + 2 + 3 + 4 * 997 keys in total.
    expect(meanAttended({ window: 4 }, 1000)).toBeCloseTo((1 + 2 + 3 + 4 * 997) / 1000, 12);
  });
});
