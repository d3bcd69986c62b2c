/**
 * `archzoo new plugin <slot> <name>`: scaffolds a plugin package whose manifest computes a small
 * real function for its slot, wired to the conformance kit, with a README, a golden-fixture
 * generator to fill in and an initial changeset.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

import { UsageError, type SlotKind } from '@archzoo/core';

import { stringFlag } from '../args.js';
import { HELP_FLAG, type Command } from '../command.js';
import { fixtureScriptTemplate } from '../plugin-template/fixture-script.js';
import {
  CHANGESET,
  INDEX,
  README,
  README_TEST,
  TSCONFIG_BUILD,
  conformanceTest,
  packageJson,
  tsconfig,
  type PackageLayout,
} from '../plugin-template/package-files.js';
import { PLUGIN_SOURCES, fillTemplate } from '../plugin-template/sources.js';

const SLOTS: readonly SlotKind[] = ['norm', 'position', 'ffn', 'attention', 'stability'];
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
// Names whose camelCase form cannot be an exported const.
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(' '),
);
const USAGE = 'archzoo new plugin <slot> <name> [--dir DIR] [--package NAME]';

/** Derives the identifiers of a plugin name: `my-norm` -> id my_norm, export myNorm, type MyNorm. */
export function pluginNames(name: string): { id: string; exportName: string; typeName: string } {
  const words = name.split('-');
  const capitalized = words.map((word) => word[0].toUpperCase() + word.slice(1));
  return { id: words.join('_'), exportName: words[0] + capitalized.slice(1).join(''), typeName: capitalized.join('') };
}

function parsePositionals(positionals: readonly string[]): { slot: SlotKind; name: string } {
  const [what, slot, name, ...extra] = positionals;
  if (what !== 'plugin') {
    const got = what === undefined ? 'nothing' : `"${what}"`;
    throw new UsageError(`\`archzoo new\` creates plugins only, got ${got}; run \`${USAGE}\``);
  }
  if (slot === undefined || name === undefined) throw new UsageError(`\`archzoo new plugin\` needs a slot and a name; run \`${USAGE}\`, e.g. archzoo new plugin norm my-norm`);
  if (extra.length > 0) throw new UsageError(`\`archzoo new plugin\` takes a slot and a name, got extra arguments: ${extra.join(' ')}; pass flags as --name VALUE`);
  if (!SLOTS.includes(slot as SlotKind)) throw new UsageError(`invalid slot "${slot}"; valid slots: ${SLOTS.join(', ')} (e.g. archzoo new plugin norm ${name})`);
  if (!KEBAB_CASE.test(name)) {
    throw new UsageError(`invalid plugin name "${name}"; use kebab-case (lowercase letters and digits in words joined by single hyphens, starting with a letter), e.g. my-norm`);
  }
  if (RESERVED.has(pluginNames(name).exportName)) throw new UsageError(`invalid plugin name "${name}": it is a JavaScript reserved word; choose another, e.g. ${name}-${slot}`);
  return { slot: slot as SlotKind, name };
}

/** Finds the nearest folder at or above `start` that contains pnpm-workspace.yaml. */
function findWorkspaceRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Reads the version of the @archzoo/core package this CLI runs against. */
function coreVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@archzoo/core'));
  for (; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (manifest.name === '@archzoo/core') return manifest.version;
  }
  throw new Error('package.json of @archzoo/core not found above its entry point');
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function layoutOf(packageDir: string, workspaceRoot: string | undefined): PackageLayout & { testCommand: string } {
  if (workspaceRoot === undefined) {
    const range = `^${coreVersion()}`;
    return { testScript: 'vitest run', testCommand: 'npx vitest run', coreRange: { peer: range, dev: range } };
  }
  const toRoot = toPosix(relative(packageDir, workspaceRoot)) || '.';
  const project = basename(packageDir);
  return {
    baseTsconfig: existsSync(join(workspaceRoot, 'tsconfig.base.json')) ? `${toRoot}/tsconfig.base.json` : undefined,
    testScript: `vitest run --root ${toRoot} --project ${project}`,
    testCommand: `pnpm vitest run --project ${project}   # from the repository root`,
    // While core is 0.x, ^0 keeps a core minor release inside the peer range, so changesets
    // (with onlyUpdatePeerDependentsWhenOutOfRange) does not bump every plugin to 1.0.0.
    coreRange: { peer: coreVersion().startsWith('0.') ? 'workspace:^0' : 'workspace:^', dev: 'workspace:*' },
  };
}

export const newPluginCommand: Command = {
  name: 'new',
  summary: 'scaffold a plugin package for one slot (norm, position, ffn, attention, stability)',
  synopsis: 'new plugin <slot> <name> [--dir DIR] [--package NAME]',
  details:
    'Creates a package whose manifest computes a small real function for the slot and passes the conformance kit, so only the math needs replacing. ' +
    '<name> is kebab-case; the manifest id is its snake_case form. Inside a pnpm workspace the package uses workspace: dependencies and the changeset goes to the workspace .changeset folder.',
  flags: {
    dir: { type: 'string', valueName: 'DIR', description: 'folder to create (default: packages/<name> under the workspace root, or under the current folder outside one)' },
    package: { type: 'string', valueName: 'NAME', description: 'npm package name (default: @archzoo/<name>)' },
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    const { slot, name } = parsePositionals(positionals);
    const packageName = stringFlag(values, 'package') ?? `@archzoo/${name}`;
    if (!PACKAGE_NAME.test(packageName)) throw new UsageError(`invalid --package "${packageName}"; use a lowercase npm name such as @scope/${name} or ${name}`);

    const dirFlag = stringFlag(values, 'dir');
    const cwdWorkspace = findWorkspaceRoot(io.cwd);
    const packageDir = dirFlag !== undefined ? resolve(io.cwd, dirFlag) : join(cwdWorkspace ?? io.cwd, 'packages', name);
    if (existsSync(packageDir)) throw new UsageError(`folder ${packageDir} already exists; choose another name or pass --dir to a new folder`);

    const workspaceRoot = findWorkspaceRoot(dirname(packageDir));
    const changesetDir = join(workspaceRoot ?? packageDir, '.changeset');
    const changesetFile = join(changesetDir, `${name}-initial.md`);
    if (existsSync(changesetFile)) throw new UsageError(`changeset ${changesetFile} already exists; remove it or choose another name`);

    const layout = layoutOf(packageDir, workspaceRoot);
    const { id, exportName, typeName } = pluginNames(name);
    const placeholders = { name, id, export: exportName, Type: typeName, package: packageName, kind: slot, testCommand: layout.testCommand };
    const fill = (template: string) => fillTemplate(template, placeholders);
    const files: [string, string][] = [
      ['package.json', packageJson(placeholders, layout)],
      ['tsconfig.json', tsconfig(layout)],
      ['tsconfig.build.json', TSCONFIG_BUILD],
      ['README.md', fill(README)],
      ['src/index.ts', fill(INDEX)],
      [`src/${name}.ts`, fill(PLUGIN_SOURCES[slot])],
      [`src/${name}.test.ts`, fill(conformanceTest(slot))],
      ['src/readme.test.ts', fill(README_TEST)],
      [`src/__fixtures__/gen_${id}.py`, fill(fixtureScriptTemplate(slot))],
    ];
    for (const [file, text] of files) {
      mkdirSync(dirname(join(packageDir, file)), { recursive: true });
      writeFileSync(join(packageDir, file), text);
    }
    mkdirSync(changesetDir, { recursive: true });
    writeFileSync(changesetFile, fill(CHANGESET));

    const shown = (path: string) => toPosix(relative(io.cwd, path)) || '.';
    io.stdout.write(`created ${slot} plugin "${id}" (${packageName}) in ${shown(packageDir)}:\n`);
    for (const [file] of files) io.stdout.write(`  ${shown(join(packageDir, file))}\n`);
    io.stdout.write(`  ${shown(changesetFile)}\n`);
    io.stdout.write(
      `next: ${workspaceRoot ? 'pnpm install' : 'npm install'}, then replace the math in src/${name}.ts and reference() in src/__fixtures__/gen_${id}.py; test with: ${layout.testCommand.split('   #')[0]}\n`,
    );
    return 0;
  },
};
