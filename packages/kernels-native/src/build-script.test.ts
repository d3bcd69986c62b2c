// Installation must never fail because of the addon: scripts/build-addon.mjs exits 0 and
// prints one line when it cannot build.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'archzoo-kernels-build-'));
for (const entry of ['binding.gyp', 'native', 'scripts']) {
  cpSync(join(packageDir, entry), join(workDir, entry), { recursive: true });
}

function runBuild(env: Record<string, string>): { status: number | null; lines: string[] } {
  const result = spawnSync(process.execPath, [join(workDir, 'scripts/build-addon.mjs')], {
    cwd: workDir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  return { status: result.status, lines };
}

describe('build-addon.mjs', () => {
  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('exits 0 with one notice when the compiler fails', () => {
    const { status, lines } = runBuild({ CXX: 'false', CC: 'false' });
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^@archzoo\/kernels-native: native kernels not built: .+\. To build them, .+\. The stock TensorFlow\.js cpu kernels stay in use\.$/);
    expect(existsSync(join(workDir, 'build.lock'))).toBe(false);
  });

  it('exits 0 with one notice when skipped', () => {
    const { status, lines } = runBuild({ ARCHZOO_KERNELS_SKIP_BUILD: '1' });
    expect(status).toBe(0);
    expect(lines).toEqual([
      '@archzoo/kernels-native: native kernels not built: ARCHZOO_KERNELS_SKIP_BUILD=1 is set. The stock TensorFlow.js cpu kernels stay in use.',
    ]);
  });
});
