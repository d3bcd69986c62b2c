// Generates one plugin package per slot kind into a temporary project whose node_modules links
// the workspace's @archzoo/core, @archzoo/testkit and vitest, then typechecks the packages and
// runs their generated tests in a child vitest: the conformance kit must pass unedited.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { afterAll, describe, expect, it, onTestFinished } from 'vitest';

import { ArchzooError } from '@archzoo/core';

import { parseCommandArgs } from './args.js';
import { newPluginCommand, pluginNames } from './commands/new-plugin.js';
import type { CliIo } from './io.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const PYTHON = '/usr/bin/python3';
const project = mkdtempSync(join(tmpdir(), 'archzoo-new-plugin-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

// Runs `archzoo new ...` as `main` does, with in-memory streams and without loading the recipe
// catalog that `main` and the shared capture helper import.
async function runCli(argv: string[], cwd = project) {
  const stdout = { text: '', write: (text: string) => (stdout.text += text) };
  const stderr = { text: '', write: (text: string) => (stderr.text += text) };
  const io: CliIo = { stdout, stderr, env: {}, cwd, recipes: [], onInterrupt: () => () => undefined };
  let code: number;
  try {
    code = await newPluginCommand.run(parseCommandArgs('new', argv.slice(1), newPluginCommand.flags), io);
  } catch (error) {
    if (!(error instanceof ArchzooError)) throw error;
    stderr.write(`archzoo: error: ${error.message}\n`);
    code = error.exitCode;
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs `node script ...args` in the project and returns its exit status with all its output. */
function runNode(script: string, args: string[]) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function link(name: string, target: string) {
  const path = join(project, 'node_modules', name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'dir');
}

describe('new plugin arguments', () => {
  it.each([
    [['new', 'recipe', 'x'], '`archzoo new` creates plugins only, got "recipe"'],
    [['new', 'plugin', 'norm'], 'needs a slot and a name'],
    [['new', 'plugin', 'mlp', 'my-ffn'], 'invalid slot "mlp"; valid slots: norm, position, ffn, attention, stability'],
    [['new', 'plugin', 'norm', 'MyNorm'], 'invalid plugin name "MyNorm"; use kebab-case'],
    [['new', 'plugin', 'norm', 'my--norm'], 'invalid plugin name "my--norm"'],
    [['new', 'plugin', 'norm', 'delete'], 'JavaScript reserved word'],
    [['new', 'plugin', 'norm', 'ok', '--package', 'Bad Name'], 'invalid --package "Bad Name"'],
  ])('rejects %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  it('derives the id, export and type names', () => {
    expect(pluginNames('dyt')).toEqual({ id: 'dyt', exportName: 'dyt', typeName: 'Dyt' });
    expect(pluginNames('my-norm-2')).toEqual({ id: 'my_norm_2', exportName: 'myNorm2', typeName: 'MyNorm2' });
  });

  it('rejects an existing folder', async () => {
    mkdirSync(join(project, 'taken'));
    const { code, stderr } = await runCli(['new', 'plugin', 'norm', 'taken', '--dir', 'taken']);
    expect(code).toBe(2);
    expect(stderr).toContain('already exists; choose another name or pass --dir to a new folder');
  });
});

describe('new plugin in a workspace', () => {
  it('uses workspace ranges and the root changeset folder', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'archzoo-new-plugin-workspace-'));
    onTestFinished(() => rmSync(workspace, { recursive: true, force: true }));
    mkdirSync(join(workspace, 'apps/cli'), { recursive: true });
    writeFileSync(join(workspace, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
    writeFileSync(join(workspace, 'tsconfig.base.json'), '{}');

    const { code, stderr } = await runCli(['new', 'plugin', 'ffn', 'my-ffn', '--package', '@acme/my-ffn'], join(workspace, 'apps/cli'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const packageDir = join(workspace, 'packages/my-ffn');
    const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    expect(packageJson.name).toBe('@acme/my-ffn');
    expect(packageJson.peerDependencies['@archzoo/core']).toMatch(/^workspace:\^/);
    expect(packageJson.devDependencies['@archzoo/testkit']).toBe('workspace:*');
    expect(packageJson.scripts.test).toBe('vitest run --root ../.. --project my-ffn');
    expect(JSON.parse(readFileSync(join(packageDir, 'tsconfig.json'), 'utf8')).extends).toBe('../../tsconfig.base.json');
    expect(readFileSync(join(workspace, '.changeset/my-ffn-initial.md'), 'utf8')).toContain("'@acme/my-ffn': minor");
    expect(readFileSync(join(packageDir, 'src/my-ffn.ts'), 'utf8')).toContain("export const myFfn: FfnManifest<MyFfnOptions> = {");
  });
});

describe('generated plugin packages', () => {
  const slots = ['norm', 'position', 'ffn', 'attention', 'stability'] as const;

  it('pass their tests outside the workspace', async () => {
    for (const slot of slots) {
      const { code, stdout, stderr } = await runCli(['new', 'plugin', slot, `demo-${slot}`, '--dir', `packages/demo-${slot}`]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain(`packages/demo-${slot}/src/demo-${slot}.ts`);
    }

    const norm = join(project, 'packages/demo-norm');
    const packageJson = JSON.parse(readFileSync(join(norm, 'package.json'), 'utf8'));
    const coreVersion = JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8')).version;
    expect(packageJson.name).toBe('@archzoo/demo-norm');
    expect(packageJson.sideEffects).toBe(false);
    expect(packageJson.exports['.']['archzoo-source']).toBe('./src/index.ts');
    expect(packageJson.peerDependencies).toEqual({ '@archzoo/core': `^${coreVersion}` });
    expect(Object.keys(packageJson.devDependencies)).toEqual(expect.arrayContaining(['@archzoo/core', '@archzoo/testkit']));
    expect(readFileSync(join(project, 'packages/demo-norm/.changeset/demo-norm-initial.md'), 'utf8')).toContain("'@archzoo/demo-norm': minor");

    // Fixtures for every slot but norm, so both paths of the generated test run: with a golden
    // comparison and without one.
    if (existsSync(PYTHON)) {
      for (const slot of slots.filter((kind) => kind !== 'norm')) {
        const { id } = pluginNames(`demo-${slot}`);
        execFileSync(PYTHON, [`gen_${id}.py`], { cwd: join(project, `packages/demo-${slot}/src/__fixtures__`), stdio: 'pipe' });
      }
    }

    link('@archzoo/core', join(ROOT, 'packages/core'));
    link('@archzoo/testkit', join(ROOT, 'packages/testkit'));
    link('vitest', realpathSync(join(ROOT, 'node_modules/vitest')));
    link('@types/node', realpathSync(join(ROOT, 'node_modules/@types/node')));
    const tsconfig = JSON.parse(readFileSync(join(norm, 'tsconfig.json'), 'utf8'));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...tsconfig.compilerOptions, noEmit: true, rootDir: '.' }, include: ['packages/*/src'] }));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const typecheck = runNode(tsc, ['-p', 'tsconfig.json']);
    expect(typecheck.status, typecheck.output).toBe(0);

    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
    const tests = runNode(vitest, ['run', '--reporter=json', '--outputFile=report.json']);
    expect(existsSync(join(project, 'report.json')), tests.output).toBe(true);
    const report = JSON.parse(readFileSync(join(project, 'report.json'), 'utf8'));
    const failures = report.testResults.flatMap((result: { assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }) =>
      result.assertionResults.filter((test) => test.status !== 'passed').map((test) => `${test.fullName}: ${test.failureMessages[0] ?? ''}`),
    );
    expect(failures).toEqual([]);
    expect(tests.status, tests.output).toBe(0);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(0);
    const files = report.testResults.map((result: { name: string }) => result.name.slice(project.length + 1)).sort();
    expect(files).toEqual(slots.flatMap((slot) => [`packages/demo-${slot}/src/demo-${slot}.test.ts`, `packages/demo-${slot}/src/readme.test.ts`]).sort());
    const titles = report.testResults.flatMap((result: { assertionResults: { fullName: string }[] }) => result.assertionResults.map((test) => test.fullName));
    if (existsSync(PYTHON)) expect(titles.some((title: string) => /golden/i.test(title) && title.includes('demo_attention'))).toBe(true);
  }, 300_000);
});
