/**
 * Machine and software facts that `env.json` records for a run: the backend (and why faster ones
 * were skipped), Node, OS, CPUs, archzoo package versions and the git commit.
 */
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { BackendInfo, Recipe } from '@archzoo/core';

const run = promisify(execFile);

/** The CLI package folder; this file sits in `src/` or `dist/` below it. */
export const CLI_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

export interface GitInfo {
  commit: string;
  /** True when tracked files differ from the commit. */
  dirty: boolean;
}

export interface EnvironmentInfo {
  backend: BackendInfo;
  node: string;
  os: { platform: string; release: string; arch: string };
  cpus: { count: number; model: string };
  memoryBytes: number;
  /** Version of each archzoo package the run loaded, or null where its package.json was not found. */
  packages: Record<string, string | null>;
  /** The commit of the archzoo checkout the CLI runs from; null outside a git checkout. */
  git: GitInfo | null;
}

function readVersion(packageJson: string): string | null {
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** Finds `name`'s package folder the way Node does: `node_modules/<name>` in `from` or a parent. */
function findPackageDir(name: string, from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (readVersion(join(candidate, 'package.json')) !== null) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Versions of the CLI, core, data, the recipe package and the plugin packages its manifests
 * name. Plugin packages are looked up from the recipe's folder, because they are its dependencies.
 */
export function archzooVersions(recipe: Recipe): Record<string, string | null> {
  const versions: Record<string, string | null> = { '@archzoo/cli': readVersion(join(CLI_DIR, 'package.json')) };
  // NOTE: a Recipe does not name its npm package; recipes are published as @archzoo/recipe-<name>.
  const recipePackage = `@archzoo/recipe-${recipe.name}`;
  const recipeDir = findPackageDir(recipePackage, CLI_DIR);
  for (const name of ['@archzoo/core', '@archzoo/data', recipePackage]) {
    const dir = findPackageDir(name, CLI_DIR);
    versions[name] = dir ? readVersion(join(dir, 'package.json')) : null;
  }
  for (const name of new Set(recipe.plugins.map((manifest) => manifest.package))) {
    const dir = findPackageDir(name, recipeDir ?? CLI_DIR) ?? findPackageDir(name, CLI_DIR);
    versions[name] = dir ? readVersion(join(dir, 'package.json')) : null;
  }
  return versions;
}

/** Reads the HEAD commit of the git checkout containing `dir`. Returns null when git or a checkout is missing. */
export async function gitInfo(dir: string): Promise<GitInfo | null> {
  try {
    const options = { cwd: dir, timeout: 5000 };
    const { stdout: commit } = await run('git', ['rev-parse', 'HEAD'], options);
    const { stdout: changes } = await run('git', ['status', '--porcelain', '--untracked-files=no'], options);
    return { commit: commit.trim(), dirty: changes.trim().length > 0 };
  } catch {
    return null;
  }
}

export async function collectEnvironment(backend: BackendInfo, recipe: Recipe): Promise<EnvironmentInfo> {
  const cpuList = cpus();
  return {
    backend,
    node: process.version,
    os: { platform: platform(), release: release(), arch: arch() },
    cpus: { count: cpuList.length, model: cpuList[0]?.model.trim() ?? 'unknown' },
    memoryBytes: totalmem(),
    packages: archzooVersions(recipe),
    git: await gitInfo(CLI_DIR),
  };
}
