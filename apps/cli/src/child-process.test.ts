// Runs the CLI from its sources as a separate Node process, to check the exit code and the
// stderr a shell gets: one `archzoo: error:` line without a stack trace.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { RECIPES } from './catalog.js';
import { COMMANDS } from './main.js';

const launcher = fileURLToPath(new URL('./test-support/cli-source.ts', import.meta.url));
const cliDir = fileURLToPath(new URL('..', import.meta.url));

async function runChild(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--conditions=archzoo-source', '--import', 'tsx', launcher, ...args], {
      cwd: cliDir,
      env: { ...process.env, ARCHZOO_DEBUG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('archzoo as a child process', () => {
  it('exits 2 on an unknown command with one stderr line', async () => {
    const { code, stdout, stderr } = await runChild(['trian', 'llama']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const valid = COMMANDS.map((command) => command.name).join(', ');
    expect(stderr).toBe(`archzoo: error: unknown command "trian"; valid commands: ${valid} (run \`archzoo --help\`)\n`);
  });

  it('exits 2 on a missing data path without a stack trace', async () => {
    const { code, stderr } = await runChild(['train', 'llama', '--backend', 'wasm', '--data', '/nonexistent/archzoo-corpus']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "archzoo: error: data path not found: /nonexistent/archzoo-corpus; pass an existing UTF-8 text file, a folder of .txt/.md files, or 'brown'\n",
    );
    expect(stderr).not.toMatch(/\bat /);
  });

  it('exits 0 and prints JSON for list --json', async () => {
    const { code, stdout } = await runChild(['list', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((recipe: { name: string }) => recipe.name)).toEqual(RECIPES.map((recipe) => recipe.name));
  });
});
