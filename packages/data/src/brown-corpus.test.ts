import { describe, expect, it } from 'vitest';

import { listBrownDocumentIds, locateBrownPackage, readBrownDocuments } from './brown-corpus.js';

describe('Brown corpus package', () => {
  it('lists 500 documents from cats.txt', async () => {
    const brown = await locateBrownPackage();
    expect(brown.version).toBe('1.9.80');

    const ids = await listBrownDocumentIds(brown);
    expect(ids).toHaveLength(500);
    expect(ids.slice(0, 2)).toEqual(['ca01', 'ca02']);
    expect(ids[499]).toBe('cr09');
    expect(new Set(ids).size).toBe(500);
  });

  it('reads every document without tags', async () => {
    const documents = await readBrownDocuments(await locateBrownPackage());

    expect(documents).toHaveLength(500);
    expect(documents[0].text.startsWith('The Fulton County Grand Jury said Friday an investigation')).toBe(true);
    for (const document of documents) {
      // A leftover `word/tag` pair such as `jury/nn` or `,/,` would match. Slashes alone
      // occur in the text itself, e.g. the phoneme notation `/r/.` in cj33.
      expect(document.text).not.toMatch(/[A-Za-z]\/(?:at|nn|nns|np|vbd|in|cc|jj)(?:-tl|-hl)?(?=\s|$)/);
      expect(document.text).not.toContain(',/,');
      expect(document.text).not.toContain(' ./.');
      expect(document.text.length).toBeGreaterThan(8000);
      expect(document.text).not.toMatch(/[^\x00-\x7f]/);
    }
  });
});
