// Every publishable package carries what npm users expect: an exports map with types, ESM,
// no side effects on import, a license file, a README, and @archzoo/core as a peer dependency
// where it plugs into the engine.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const dirs = ['packages', 'recipes'].flatMap((group) =>
  readdirSync(join(ROOT, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, group, entry.name, 'package.json')))
    .map((entry) => join(group, entry.name)),
);

// Core itself, and the native kernels, which sit below it.
const NO_CORE_PEER = new Set(['@archzoo/core', '@archzoo/kernels-native']);

describe.each(dirs)('%s', (dir) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));

  it('is an ESM package with typed exports', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.exports['.'].types).toMatch(/^\.\/dist\/.+\.d\.ts$/);
    expect(pkg.exports['.'].default).toMatch(/^\.\/dist\/.+\.js$/);
    expect(pkg.sideEffects).toBe(false);
  });

  it('ships a license and a README', () => {
    expect(pkg.license).toBe('MIT');
    expect(existsSync(join(ROOT, dir, 'LICENSE'))).toBe(true);
    expect(existsSync(join(ROOT, dir, 'README.md'))).toBe(true);
  });

  it('peers on @archzoo/core where it plugs in', () => {
    if (NO_CORE_PEER.has(pkg.name)) return;
    expect(pkg.peerDependencies?.['@archzoo/core']).toMatch(/^workspace:\^/);
    expect(pkg.dependencies?.['@archzoo/core']).toBeUndefined();
  });
});
