import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataError } from '@archzoo/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { decodeUtf8, listLocalFiles, readLocalDocuments } from './local-corpus.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'archzoo-local-test-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function load(path: string): Promise<Awaited<ReturnType<typeof readLocalDocuments>>> {
  return readLocalDocuments(await listLocalFiles(path));
}

describe('local corpus', () => {
  it('reads one file as one document', async () => {
    const path = join(root, 'notes.txt');
    await writeFile(path, '\uFEFFFirst line.\nSecond line.\n');
    const { documents, warnings } = await load(path);
    expect(documents).toEqual([{ id: 'notes.txt', text: 'First line.\nSecond line.\n' }]);
    expect(warnings).toEqual([]);
  });

  it('reads .txt and .md files recursively in sorted order', async () => {
    await mkdir(join(root, 'b', 'deep'), { recursive: true });
    await mkdir(join(root, '.git'));
    await writeFile(join(root, 'b', 'deep', 'z.md'), 'z');
    await writeFile(join(root, 'b', 'a.TXT'), 'a');
    await writeFile(join(root, 'a.txt'), 'top');
    await writeFile(join(root, 'image.png'), 'not text');
    await writeFile(join(root, '.hidden.txt'), 'hidden');
    await writeFile(join(root, '.git', 'HEAD.txt'), 'hidden');

    const listing = await listLocalFiles(root);
    expect(listing.kind).toBe('folder');
    expect(listing.files.map((file) => file.id)).toEqual(['a.txt', 'b/a.TXT', 'b/deep/z.md']);
    expect(listing.files.map((file) => file.size)).toEqual([3, 1, 1]);

    const { documents } = await readLocalDocuments(listing);
    expect(documents.map((document) => document.text)).toEqual(['top', 'a', 'z']);
  });

  it('skips empty files with a warning', async () => {
    await writeFile(join(root, 'a.txt'), 'text');
    await writeFile(join(root, 'b.txt'), ' \n\t');
    const { documents, warnings } = await load(root);
    expect(documents.map((document) => document.id)).toEqual(['a.txt']);
    expect(warnings).toEqual([{ code: 'data/empty_files_skipped', message: `skipped 1 empty file(s) in ${root}: b.txt` }]);
  });
});

describe('local corpus errors', () => {
  it('rejects a missing path', async () => {
    const path = join(root, 'nope');
    await expect(listLocalFiles(path)).rejects.toThrow(DataError);
    await expect(listLocalFiles(path)).rejects.toThrow(
      `data path not found: ${path}; pass an existing UTF-8 text file, a folder of .txt/.md files, or 'brown'`,
    );
  });

  it('rejects an empty file', async () => {
    const path = join(root, 'empty.txt');
    await writeFile(path, '\n\n');
    await expect(load(path)).rejects.toThrow(`expected text in data file ${path}, but it is empty; add text or pass other data`);
  });

  it('rejects a folder without text files', async () => {
    await writeFile(join(root, 'data.csv'), 'a,b');
    await expect(load(root)).rejects.toThrow(
      `expected .txt or .md files in data folder ${root}, but found none; add text files or pass a file path`,
    );
  });

  it('rejects a folder of empty text files', async () => {
    await writeFile(join(root, 'a.txt'), '');
    await expect(load(root)).rejects.toThrow(`expected text in data folder ${root}, but it is empty; add text or pass other data`);
  });

  it('rejects invalid UTF-8', async () => {
    const path = join(root, 'latin1.txt');
    await writeFile(path, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await expect(load(path)).rejects.toThrow(
      `expected UTF-8 text in ${path}, but it contains invalid UTF-8 bytes; convert it, e.g. 'iconv -f latin1 -t utf-8'`,
    );
  });

  it('decodes valid UTF-8', () => {
    expect(decodeUtf8(new Uint8Array([0x63, 0x61, 0x66, 0xc3, 0xa9]), 'x')).toBe('café');
  });
});
