import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeFileAtomic } from './atomic-write.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'archzoo-atomic-test-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces content and leaves no temporary file', async () => {
    const path = join(folder, 'out.bin');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));

    expect(Array.from(await readFile(path))).toEqual([1, 2, 3]);
    expect(await readdir(folder)).toEqual(['out.bin']);
  });

  it('cleans up when the folder is missing', async () => {
    await expect(writeFileAtomic(join(folder, 'missing', 'out.bin'), 'x')).rejects.toThrow(/ENOENT/);
    expect(await readdir(folder)).toEqual([]);
  });
});
