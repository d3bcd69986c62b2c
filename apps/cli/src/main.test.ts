import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { COMMANDS, main } from './main.js';
import { captureIo } from './test-support/capture-io.js';
import { microLlama } from './test-support/micro-recipe.js';

const cwd = mkdtempSync(join(tmpdir(), 'archzoo-cli-main-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function runCli(argv: string[]) {
  const io = captureIo({ cwd, recipes: [microLlama] });
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

/** Asserts a usage error: exit code 2 and exactly one `archzoo: error:` line on stderr. */
async function expectUserError(argv: string[], message: string | RegExp) {
  const { code, stdout, stderr } = await runCli(argv);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr.startsWith('archzoo: error: ')).toBe(true);
  if (typeof message === 'string') expect(stderr).toContain(message);
  else expect(stderr).toMatch(message);
}

describe('help', () => {
  it('lists every command', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toContain(`  ${command.name}`);
  });

  it.each(COMMANDS.map((command) => command.name))('documents every flag of %s', async (name) => {
    const { code, stdout } = await runCli([name, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`usage: archzoo ${name}`);
    const command = COMMANDS.find((candidate) => candidate.name === name)!;
    for (const flag of Object.keys(command.flags)) expect(stdout).toContain(`--${flag}`);
  });

  it('lists every environment variable', async () => {
    const { stdout } = await runCli(['--help']);
    const names = [
      'ARCHZOO_BACKEND',
      'ARCHZOO_CACHE_DIR',
      'ARCHZOO_DEBUG',
      'ARCHZOO_WASM_THREADS',
      'ARCHZOO_KERNELS_GEMM_THREADS',
      'ARCHZOO_KERNELS_THREADS',
      'ARCHZOO_KERNELS_MALLOC',
      'ARCHZOO_KERNELS_POOL_MB',
      'ARCHZOO_KERNELS_BLAS',
      'ARCHZOO_KERNELS_SIMD',
      'ARCHZOO_KERNELS_SKIP_BUILD',
    ];
    const lines = stdout.split('\n');
    for (const name of names) expect(lines.filter((line) => line.startsWith(`  ${name} `))).toHaveLength(1);
    expect(stdout).toMatch(/ARCHZOO_KERNELS_GEMM_THREADS\s+threads of cpu-native matrix products, 1 to 256/);
  });

  it('documents units and defaults of train flags', async () => {
    const { stdout } = await runCli(['train', '-h']);
    expect(stdout).toMatch(/--steps N\s+optimizer steps, an integer >= 1/);
    expect(stdout).toContain('default tiny');
    expect(stdout).toContain('default runs/<recipe>-<scale>-<UTC timestamp>');
  });
});

describe('list', () => {
  it('prints recipes with title, parent and scales', async () => {
    const { code, stdout } = await runCli(['list']);
    expect(code).toBe(0);
    const [header, row] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^RECIPE\s+TITLE\s+PARENT\s+SCALES$/);
    expect(row).toContain('llama');
    expect(row).toContain(microLlama.title);
    expect(row).toContain('gpt3');
    expect(row).toContain('full, tiny, small, micro');
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await runCli(['list', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        name: 'llama',
        title: microLlama.title,
        parent: 'gpt3',
        published: microLlama.published.name,
        scales: ['full', 'tiny', 'small', 'micro', 'narrow-vocab'],
      },
    ]);
  });
});

describe('usage errors', () => {
  it.each<[string, string[], string | RegExp]>([
    ['no command', [], 'missing command; run `archzoo --help`'],
    ['unknown command', ['trian'], 'unknown command "trian"; valid commands: list, inspect, train, reproduce, table'],
    ['unknown top-level flag', ['--verbose'], 'unknown flag --verbose; valid commands'],
    ['unknown flag', ['train', 'llama', '--stpes', '3'], /unknown flag --stpes for `archzoo train`; valid flags: --scale, --steps/],
    ['flag without value', ['train', 'llama', '--steps'], 'flag --steps of `archzoo train` needs a value'],
    ['missing recipe', ['train'], '`archzoo train` needs a recipe name'],
    ['extra argument', ['inspect', 'llama', 'tiny'], 'takes one recipe name, got 2: llama tiny'],
    ['arguments to list', ['list', 'llama'], '`archzoo list` takes no arguments'],
    ['unknown recipe', ['train', 'lama'], 'unknown recipe "lama"; valid recipes: llama'],
    ['unknown recipe in inspect', ['inspect', 'gpt5'], 'unknown recipe "gpt5"; valid recipes: llama'],
    ['unknown recipe in reproduce', ['reproduce', 'gpt5'], 'unknown recipe "gpt5"; valid recipes: llama'],
    ['unknown scale', ['train', 'llama', '--scale', 'huge'], 'unknown scale "huge" for recipe llama; valid scales: tiny, small, micro'],
    ['unknown scale in inspect', ['inspect', 'llama', '--scale', 'huge'], 'valid scales: full, tiny, small, micro'],
    ['training the full scale', ['train', 'llama', '--scale', 'full'], 'scale "full" is the published LLaMA-7B architecture and has no training setup'],
    ['empty scale', ['reproduce', 'llama', '--scale', ''], '--scale needs a non-empty value'],
    ['zero steps', ['train', 'llama', '--steps', '0'], '--steps must be an integer >= 1, got 0'],
    ['negative steps', ['train', 'llama', '--steps=-5'], '--steps must be an integer >= 1, got -5'],
    ['non-numeric steps', ['train', 'llama', '--steps', 'many'], '--steps must be an integer >= 1, got "many"'],
    ['fractional steps', ['train', 'llama', '--steps', '2.5'], '--steps must be an integer >= 1, got "2.5"'],
    ['negative seed', ['train', 'llama', '--seed=-1'], '--seed must be an integer from 0 to 4294967295, got -1'],
    ['non-numeric seed', ['train', 'llama', '--seed', 'abc'], '--seed must be an integer from 0 to 4294967295, got "abc"'],
    ['fractional seed', ['train', 'llama', '--seed', '0.5'], '--seed must be an integer from 0 to 4294967295, got "0.5"'],
    ['unknown backend', ['train', 'llama', '--backend', 'cuda'], '--backend "cuda" is not a backend; valid backends: auto,'],
    ['unknown backend in reproduce', ['reproduce', 'llama', '--backend', 'tpu'], '--backend "tpu" is not a backend'],
    ['unknown tokenizer', ['train', 'llama', '--tokenizer', 'llama3'], "unknown tokenizer 'llama3'; use one of: gpt2, cl100k_base, o200k_base"],
  ])('rejects %s', async (_case, argv, message) => {
    await expectUserError(argv, message);
  });

  it('accepts seed 0 and fails later, on the data path', async () => {
    const missing = join(cwd, 'no-such-corpus');
    await expectUserError(['train', 'llama', '--scale', 'micro', '--seed', '0', '--backend', 'wasm', '--data', missing], `data path not found: ${missing}`);
  });
});

describe('unexpected errors', () => {
  const brokenRecipe = { ...microLlama, name: 'broken', get scales(): never { throw new Error('scale table failed\nsecond line'); } };

  async function runBroken(env: NodeJS.ProcessEnv) {
    const io = captureIo({ cwd, recipes: [brokenRecipe], env });
    const code = await main(['train', 'broken'], io);
    return { code, stderr: io.stderr.text };
  }

  it('print one line and exit 1', async () => {
    const { code, stderr } = await runBroken({});
    expect(code).toBe(1);
    expect(stderr).toBe('archzoo: error: scale table failed (unexpected; rerun with ARCHZOO_DEBUG=1 for the stack trace)\n');
  });

  it('print the stack with ARCHZOO_DEBUG=1', async () => {
    const { code, stderr } = await runBroken({ ARCHZOO_DEBUG: '1' });
    expect(code).toBe(1);
    expect(stderr).toContain('scale table failed');
    expect(stderr).toMatch(/\n\s+at /);
  });
});
