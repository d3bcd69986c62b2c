import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ZOO } from '@archzoo/zoo';
import { afterAll, describe, expect, it } from 'vitest';

import { main } from '../main.js';
import { captureIo } from '../test-support/capture-io.js';

const cwd = mkdtempSync(join(tmpdir(), 'archzoo-cli-table-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function runCli(argv: string[]) {
  const io = captureIo({ cwd });
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('archzoo table', () => {
  it('prints a Markdown table by default', async () => {
    const { code, stdout, stderr } = await runCli(['table']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '| Model | Year | Norm | Parallel Layer | Pre-norm | Position Embedding | Activations | Stability Tricks | Public config disagrees |',
    );
    expect(lines).toHaveLength(ZOO.length + 2);
    expect(lines.find((line) => line.startsWith('| OLMo 2 |'))).toBe('| OLMo 2 | 2024 | RMSNorm | Serial | ☐ | RoPE | SwiGLU | Z-loss, QK-norm |  |');
  });

  it('prints JSON with --format json', async () => {
    const { code, stdout } = await runCli(['table', '--format', 'json']);
    expect(code).toBe(0);
    const records = JSON.parse(stdout) as { model: string; 'Public config disagrees': string }[];
    expect(records.map((record) => record.model)).toEqual(ZOO.map((spec) => spec.name));
    expect(records.find((record) => record.model === 'SmolLM2 (1.7B)')!['Public config disagrees']).toMatch(/^Pre-norm: /);
  });

  it('rejects an unknown format with the valid ones', async () => {
    const { code, stdout, stderr } = await runCli(['table', '--format', 'csv']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('archzoo: error: --format "csv" is not a table format; valid formats: md, json\n');
  });

  it('rejects positional arguments', async () => {
    const { code, stderr } = await runCli(['table', 'llama']);
    expect(code).toBe(2);
    expect(stderr).toBe('archzoo: error: `archzoo table` takes no arguments, got: llama; run `archzoo table`\n');
  });
});
