// Runs typedoc over every package's src/index.ts, as `pnpm docs:api` does, into a temporary
// folder. It fails on any typedoc warning (a broken {@link}, a relative path in a doc comment
// that is not a file) and on any type that a public signature uses but no index exports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'archzoo-typedoc-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Folders like packages/core whose src/index.ts typedoc documents. */
function entryFolders(): string[] {
  return ['packages', 'recipes'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .filter((name) => existsSync(join(ROOT, group, name, 'src/index.ts')))
      .map((name) => `${group}/${name}`),
  );
}

// SafetensorsDtype is `keyof typeof DTYPE_SIZES`, a private table of byte sizes. The dtype
// names themselves are exported as SAFETENSORS_DTYPES.
const INTENTIONALLY_PRIVATE = new Set(['DTYPE_SIZES']);

interface Reflection {
  name?: string;
  kind?: number;
  [key: string]: unknown;
}

/**
 * Lists references to workspace symbols that are not in the documentation, as
 * "package qualifiedName (used by path)". In this multi-package setup typedoc 0.28's own
 * notExported check stays silent even for an unexported return type, so the JSON is walked here.
 */
function missingExports(node: unknown, path: string, ignored: ReadonlySet<string>, found: string[]): string[] {
  if (Array.isArray(node)) {
    for (const item of node) missingExports(item, path, ignored, found);
    return found;
  }
  if (node === null || typeof node !== 'object') return found;
  const reflection = node as Reflection;
  const target = reflection.target as { packageName?: string; qualifiedName?: string } | number | undefined;
  const isUnresolved = reflection.type === 'reference' && typeof target === 'object' && !reflection.refersToTypeParameter;
  if (isUnresolved && target.packageName?.startsWith('@archzoo/') && !ignored.has(target.qualifiedName ?? '')) {
    found.push(`${target.packageName} ${target.qualifiedName} (used by ${path})`);
  }
  const childPath = reflection.kind !== undefined && reflection.name ? `${path}.${reflection.name}` : path;
  for (const value of Object.values(reflection)) missingExports(value, childPath, ignored, found);
  return found;
}

describe('API documentation', () => {
  it('builds without warnings', () => {
    const typedoc = join(ROOT, 'node_modules/typedoc/bin/typedoc');
    const result = spawnSync(process.execPath, [typedoc, '--out', join(out, 'html'), '--json', join(out, 'api.json'), '--treatWarningsAsErrors'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).not.toMatch(/\[warning\]|\[error\]/);
    expect(result.status, output).toBe(0);

    const api = JSON.parse(readFileSync(join(out, 'api.json'), 'utf8')) as { children: Reflection[] };
    const modules = api.children.map((child) => child.name).sort();
    expect(modules).toEqual(entryFolders().map((folder) => `${folder}/src`).sort());

    expect(missingExports(api.children, '', INTENTIONALLY_PRIVATE, [])).toEqual([]);
  }, 120_000);
});
