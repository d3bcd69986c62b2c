import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

describe('README example', () => {
  it('matches examples/quickstart.ts', async () => {
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    const example = await readFile(join(packageDir, 'examples', 'quickstart.ts'), 'utf8');
    expect(readme).toContain('```ts\n' + example + '```');
  });

  it('runs and prints the documented lines', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'archzoo-readme-test-'));
    try {
      const { stdout } = await run(
        process.execPath,
        ['--conditions=archzoo-source', '--import', 'tsx', 'examples/quickstart.ts'],
        { cwd: packageDir, env: { ...process.env, ARCHZOO_CACHE_DIR: cacheDir } },
      );
      const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
      const printed = readme.split('```text\n')[1].split('```')[0];
      expect(stdout).toBe(printed);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
