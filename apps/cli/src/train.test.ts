import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BACKEND_NAMES, costReport, Registry, resolveConfig } from '@archzoo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from './main.js';
import { captureIo } from './test-support/capture-io.js';
import { micro, microLlama } from './test-support/micro-recipe.js';

const root = mkdtempSync(join(tmpdir(), 'archzoo-cli-train-'));
const dataDir = join(root, 'corpus');
const env = { ARCHZOO_CACHE_DIR: join(root, 'cache') };

// Twelve short documents, so the document-hash split holds one or two out for validation.
const SENTENCES = [
  'The quick brown fox jumps over the lazy dog near the river bank.',
  'A small language model learns to predict the next token from the previous ones.',
  'Rotary position embeddings rotate query and key vectors by an angle that grows with position.',
  'Root mean square normalisation rescales each vector by its root mean square.',
];

beforeAll(() => {
  mkdirSync(dataDir);
  for (let doc = 0; doc < 12; doc++) {
    const text = Array.from({ length: 6 }, (_, i) => SENTENCES[(doc + i) % SENTENCES.length]).join(' ');
    writeFileSync(join(dataDir, `doc-${String(doc).padStart(2, '0')}.txt`), `${text}\n`);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function runCli(argv: string[], options: { tty?: boolean } = {}) {
  const io = captureIo({ cwd: root, recipes: [microLlama], env, tty: options.tty });
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text, io };
}

function readJson(path: string) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('train', () => {
  it('trains 3 steps and writes the run directory', async () => {
    const out = join(root, 'run-micro');
    const { code, stdout, stderr } = await runCli(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', 'corpus', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['checkpoints', 'config.json', 'env.json', 'metrics.jsonl', 'summary.json']);
    // micro's eval_interval is 0, so the only checkpoint is the one after the last step.
    expect(readdirSync(join(out, 'checkpoints'))).toEqual(['step-000003']);

    const config = readJson(join(out, 'config.json'));
    expect(config.recipe).toBe('llama');
    expect(config.scale).toBe('micro');
    expect(config.model.dims).toMatchObject({ d_model: 32, n_layers: 1, context_length: 16, vocab_size: 50257 });
    expect(config.train).toEqual(micro.train);
    expect(config.data.source).toBe(dataDir);
    expect(config.data.tokenizer.name).toBe('gpt2');

    const environment = readJson(join(out, 'env.json'));
    expect(environment.backend).toMatchObject({ name: 'wasm', requested: 'wasm', tfBackend: 'wasm', skipped: [] });
    expect(environment.node).toBe(process.version);
    expect(environment.cpus.count).toBeGreaterThan(0);
    expect(environment.packages['@archzoo/cli']).toBe('0.1.0');
    expect(environment.packages['@archzoo/core']).toMatch(/^\d+\.\d+\.\d+/);
    expect(environment.packages['@archzoo/norms']).toMatch(/^\d+\.\d+\.\d+/);
    // The test runs inside the archzoo checkout, so the commit is known.
    expect(environment.git.commit).toMatch(/^[0-9a-f]{40}$/);

    const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    const trainRecords = records.filter((record) => 'train/loss' in record);
    const valRecords = records.filter((record) => 'val/loss' in record);
    expect(trainRecords.map((record) => record.step)).toEqual([1, 2, 3]);
    expect(valRecords.map((record) => record.step)).toEqual([3]);
    for (const record of trainRecords) {
      expect(record['train/loss']).toBeGreaterThan(0);
      expect(record['throughput/tokens_per_s']).toBeGreaterThan(0);
    }

    const summary = readJson(join(out, 'summary.json'));
    expect(summary.steps).toBe(3);
    expect(summary.interrupted).toBe(false);
    expect(summary.tokens).toBe(3 * micro.train.batch_size * micro.train.seq_len);
    expect(summary.finalTrainLoss).toBe(trainRecords[2]['train/loss']);
    expect(summary.finalValLoss).toBe(valRecords[0]['val/loss']);
    // An untrained model predicts nearly uniformly over 50257 ids: loss close to ln(50257) = 10.825.
    expect(summary.finalValLoss).toBeGreaterThan(9);
    expect(summary.finalValLoss).toBeLessThan(12);
    expect(summary.unigramBaselineLoss).toBeGreaterThan(0);
    expect(summary.marginOverBaseline).toBeCloseTo(summary.unigramBaselineLoss - summary.finalValLoss, 12);
    const registry = new Registry(microLlama.plugins);
    const cost = costReport(resolveConfig(micro.model, registry), registry);
    expect(summary.params).toBe(cost.params);
    expect(summary.forwardFlopsPerToken).toBe(cost.forwardFlopsPerToken);

    expect(stdout).toContain(`training llama (micro) for 3 steps on wasm, ${dataDir}`);
    expect(stdout).toContain('step 1/3 loss ');
    expect(stdout).toContain('step 3/3 val/loss ');
    expect(stdout).toMatch(/finished after 3 steps: train loss \d+\.\d{4}, val loss \d+\.\d{4} \(/);
  });

  it('gives the same losses for the same seed and different ones for another', async () => {
    const losses = async (seed: string, out: string) => {
      const { code } = await runCli(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', dataDir, '--steps', '1', '--seed', seed, '--out', join(root, out)]);
      expect(code).toBe(0);
      return readJson(join(root, out, 'summary.json')).finalTrainLoss as number;
    };
    const first = await losses('11', 'seed-a');
    expect(await losses('11', 'seed-b')).toBe(first);
    expect(await losses('12', 'seed-c')).not.toBe(first);
  });

  it('names the default run directory after recipe, scale and time', async () => {
    const { code, stdout } = await runCli(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', dataDir, '--steps', '1']);
    expect(code).toBe(0);
    const runs = readdirSync(join(root, 'runs'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^llama-micro-\d{8}-\d{6}$/);
    expect(stdout).toContain(join(root, 'runs', runs[0]));
  });

  it('draws a single updating bar on a terminal', async () => {
    const { code, stdout } = await runCli(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', dataDir, '--out', join(root, 'tty')], { tty: true });
    expect(code).toBe(0);
    expect(stdout).toContain('\r\x1b[K[');
    expect(stdout).not.toMatch(/^step 1\/3 loss/m);
  });

  it('stops after the current step on an interrupt and still writes the summary', async () => {
    const out = join(root, 'interrupted');
    const io = captureIo({ cwd: root, recipes: [microLlama], env });
    const running = main(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', dataDir, '--steps', '50', '--out', out], io);
    // The trainer yields to the event loop between steps; interrupt as soon as the first step is logged.
    while (!existsSync(join(out, 'metrics.jsonl')) || readFileSync(join(out, 'metrics.jsonl'), 'utf8') === '') {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    io.interrupt();
    expect(await running).toBe(130);
    const summary = readJson(join(out, 'summary.json'));
    expect(summary.interrupted).toBe(true);
    expect(summary.steps).toBeLessThan(50);
    expect(io.stdout.text).toContain(`interrupted after ${summary.steps} steps`);
  });
});

describe('train errors', () => {
  async function expectOneLineError(argv: string[], message: string) {
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  }

  it('rejects a tokenizer with more ids than the vocabulary', async () => {
    await expectOneLineError(
      ['train', 'llama', '--scale', 'narrow-vocab', '--backend', 'wasm', '--data', dataDir, '--out', join(root, 'narrow')],
      "archzoo: error: tokenizer gpt2 has 50257 token ids but the model's vocab_size is 1000",
    );
    expect(existsSync(join(root, 'narrow'))).toBe(false);
  });

  it('rejects a missing data path', async () => {
    await expectOneLineError(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', 'nowhere'], `data path not found: ${join(root, 'nowhere')}`);
  });

  it('rejects a data folder without text files', async () => {
    const empty = join(root, 'empty-folder');
    mkdirSync(empty);
    await expectOneLineError(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', empty], `expected .txt or .md files in data folder ${empty}`);
  });

  it('rejects an empty data file', async () => {
    const emptyFile = join(root, 'empty.txt');
    writeFileSync(emptyFile, '');
    await expectOneLineError(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', emptyFile], `expected text in data file ${emptyFile}, but it is empty`);
  });

  it('rejects too little text for one validation window', async () => {
    const short = join(root, 'short.txt');
    writeFileSync(short, 'Just a few words of text.\n');
    const { code, stderr } = await runCli(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', short]);
    expect(code).toBe(2);
    // One document is split by position, which the data package reports as a warning first.
    const [warning, error, ...rest] = stderr.trimEnd().split('\n');
    expect(warning).toMatch(/^archzoo: warning: .*last 10% of characters/);
    expect(error).toMatch(/^archzoo: error: the validation split of .*short\.txt has \d+ tokens, fewer than seq_len \+ 1 \(17\)/);
    expect(rest).toEqual([]);
  });

  it('rejects a non-empty --out folder', async () => {
    const used = join(root, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'notes.txt'), 'keep me');
    await expectOneLineError(['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', dataDir, '--out', used], `--out ${used} is not empty`);
  });

  it('rejects an unknown ARCHZOO_BACKEND', async () => {
    const io = captureIo({ cwd: root, recipes: [microLlama], env: { ...env, ARCHZOO_BACKEND: 'gpu' } });
    expect(await main(['train', 'llama', '--scale', 'micro', '--data', dataDir], io)).toBe(2);
    expect(io.stderr.text).toBe(`archzoo: error: ARCHZOO_BACKEND "gpu" is not a backend; valid backends: ${BACKEND_NAMES.join(', ')}\n`);
  });
});
