import { DataError, Rng } from '@archzoo/core';
import { describe, expect, it } from 'vitest';

import { chooseSplitRule, splitDocuments } from './split.js';
import type { TextDocument } from './text-document.js';

function makeDocuments(count: number): TextDocument[] {
  return Array.from({ length: count }, (_, index) => ({ id: `doc${String(index).padStart(3, '0')}`, text: `text ${index}` }));
}

const ids = (documents: readonly TextDocument[]): string[] => documents.map((document) => document.id);

describe('splitDocuments by document', () => {
  it('ignores input order', () => {
    const documents = makeDocuments(200);
    const shuffled = new Rng(7).shuffle([...documents]);

    const first = splitDocuments(documents, 0.1);
    const second = splitDocuments(shuffled, 0.1);

    expect(ids(second.train)).toEqual(ids(first.train));
    expect(ids(second.val)).toEqual(ids(first.val));
  });

  it('is disjoint and complete', () => {
    const documents = makeDocuments(200);
    const { train, val, rule, warnings } = splitDocuments(documents, 0.1);

    expect(rule).toEqual({ type: 'document-hash', valFraction: 0.1 });
    expect(val).toHaveLength(20);
    expect(train).toHaveLength(180);
    const trainIds = new Set(ids(train));
    expect(ids(val).filter((id) => trainIds.has(id))).toEqual([]);
    expect([...ids(train), ...ids(val)].sort()).toEqual(ids(documents));
    expect(warnings).toEqual([]);
  });
});

describe('splitDocuments by position', () => {
  it('splits one document 90/10 by characters', () => {
    const text = 'abcdefghij'.repeat(10);
    const { train, val, rule, warnings } = splitDocuments([{ id: 'only.txt', text }], 0.1);

    expect(rule).toEqual({ type: 'position', valFraction: 0.1 });
    expect(train).toEqual([{ id: 'only.txt#train', text: text.slice(0, 90) }]);
    expect(val).toEqual([{ id: 'only.txt#val', text: text.slice(90) }]);
    expect(warnings.map((warning) => warning.code)).toEqual(['data/split_by_position']);
    expect(warnings[0].message).toBe(
      '1 document(s) are too few to hold out 10% as whole documents, so the last 10% of characters is the validation split',
    );
  });

  it('cuts across documents in id order', () => {
    const documents = [
      { id: 'b', text: 'BBBB' },
      { id: 'a', text: 'AAAA' },
    ];
    const positional = splitDocuments(documents, 0.2);
    expect(positional.rule.type).toBe('position');
    // 8 characters, cut at floor(8 * 0.8) = 6: a whole, then BB | BB.
    expect(positional.train).toEqual([
      { id: 'a', text: 'AAAA' },
      { id: 'b#train', text: 'BB' },
    ]);
    expect(positional.val).toEqual([{ id: 'b#val', text: 'BB' }]);
  });

  it('never cuts inside a surrogate pair', () => {
    const text = '😀'.repeat(10);
    const { train, val } = splitDocuments([{ id: 'emoji', text }], 0.1);
    expect(train[0].text).toBe('😀'.repeat(9));
    expect(val[0].text).toBe('😀');
  });
});

describe('chooseSplitRule', () => {
  it('needs round(n * valFraction) between 1 and n - 1', () => {
    expect(chooseSplitRule(4, 0.1).type).toBe('position');
    expect(chooseSplitRule(5, 0.1).type).toBe('document-hash');
    expect(chooseSplitRule(1, 0.5).type).toBe('position');
    expect(chooseSplitRule(2, 0.5).type).toBe('document-hash');
  });

  it('rejects a fraction outside (0, 0.5]', () => {
    for (const valFraction of [0, -0.1, 0.6, Number.NaN]) {
      expect(() => chooseSplitRule(10, valFraction)).toThrow(DataError);
    }
    expect(() => chooseSplitRule(10, 0.6)).toThrow('valFraction must be in (0, 0.5], got 0.6; use e.g. 0.1');
  });
});
