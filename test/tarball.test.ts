// Packs the workspace packages with `pnpm pack`, installs the tarballs with npm into a fresh
// project outside the workspace, and trains a model there built from core plus one plugin
// package per slot. This is what a user who installs archzoo piece by piece gets.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const PACKAGES = ['core', 'kernels-native', 'norms', 'positional', 'activations', 'attention', 'stability', 'data', 'dyt'];
const RECIPES = ['gpt3', 'llama'];

let work: string;
let tarballs: string[];
let pluginTarballs: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'archzoo-tarballs-'));
  const packDir = join(work, 'packs');
  mkdirSync(packDir);
  const dirs = [...PACKAGES.map((name) => join(ROOT, 'packages', name)), ...RECIPES.map((name) => join(ROOT, 'recipes', name))];
  for (const dir of dirs) execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: dir, stdio: 'pipe' });
  tarballs = readdirSync(packDir).map((file) => join(packDir, file));
  const isRecipe = (file: string) => file.includes('recipe-');
  pluginTarballs = tarballs.filter((file) => !isRecipe(file) && !file.includes('-data-') && !file.includes('-dyt-'));
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const TRAIN_SCRIPT = `
import { Model, Registry, Rng, resolveConfig, selectBackend, Trainer } from '@archzoo/core';
import { rmsnorm } from '@archzoo/norms';
import { rope } from '@archzoo/positional';
import { swiglu } from '@archzoo/activations';
import { causal } from '@archzoo/attention';
import { zLoss } from '@archzoo/stability';

const backend = await selectBackend('auto');
const registry = new Registry([rmsnorm, rope, swiglu, causal, zLoss]);
const config = resolveConfig({
  vocab_size: 31, d_model: 16, n_layers: 2, n_heads: 4, n_kv_heads: 2, d_ff: 24, context_length: 8,
  norm: { type: 'rmsnorm' }, position: { type: 'rope' }, attention: { type: 'causal' }, ffn: { type: 'swiglu' },
  stability: [{ type: 'z_loss' }],
}, registry);
const rng = new Rng(7);
const batch = () => {
  const inputs = new Int32Array(32).map(() => rng.nextInt(31));
  return { inputs, targets: inputs.map((t) => (t * 3 + 1) % 31), batchSize: 4, seqLen: 8 };
};
const trainer = new Trainer(new Model(config, registry), {
  steps: 30, batch_size: 4, seq_len: 8, grad_accum_steps: 1, lr: 3e-2, min_lr: 3e-3, warmup_steps: 3,
  schedule: 'cosine', weight_decay: 0.1, beta1: 0.9, beta2: 0.95, eps: 1e-8, grad_clip: 1,
  eval_interval: 0, eval_batches: 1, log_interval: 10, seed: 1,
}, { nextTrainBatch: batch, validationBatches: () => [] });
const summary = await trainer.run();
console.log(JSON.stringify({ backend: backend.name, first: summary.losses[0], last: summary.losses.at(-1) }));
`;

// The tiny LLaMA reproduction as a library user runs it: the recipe's config, seed and data, for
// the first three of its steps (the whole reproduction is `archzoo reproduce llama`).
const RECIPE_SCRIPT = `
import { Model, Registry, resolveConfig, selectBackend, Trainer } from '@archzoo/core';
import { BatchSampler, evalBatches, loadCorpus } from '@archzoo/data';
import { llama } from '@archzoo/recipe-llama';

const backend = await selectBackend('auto');
const scale = llama.scales.tiny;
const registry = new Registry(llama.plugins);
const corpus = await loadCorpus({ data: 'brown', tokenizer: scale.tokenizer });
const train = { ...scale.train, steps: 3 };
const sampler = new BatchSampler(corpus.train, { batchSize: train.batch_size, blockSize: train.seq_len, seed: train.seed });
const trainer = new Trainer(new Model(resolveConfig(scale.model, registry), registry), train, {
  nextTrainBatch: () => ({ ...sampler.next(), batchSize: train.batch_size, seqLen: train.seq_len }),
  validationBatches: (max) => [...evalBatches(corpus.val, { batchSize: train.batch_size, blockSize: train.seq_len, maxBatches: max })]
    .map((batch) => ({ ...batch, batchSize: batch.inputs.length / train.seq_len, seqLen: train.seq_len })),
});
const summary = await trainer.run();
const record = llama.recorded.find((entry) => entry.scale === 'tiny' && entry.backend === backend.name) ?? llama.recorded[0];
console.log(JSON.stringify({ backend: backend.name, losses: summary.losses, recordedFirst: record.trainCurve[0][1], tolerance: record.tolerance.nats }));
`;

describe('packed packages installed with npm', () => {
  it('train a model outside the workspace', () => {
    const project = join(work, 'plugins-project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'archzoo-user', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', '--loglevel=error', ...pluginTarballs], { cwd: project, stdio: 'pipe' });
    writeFileSync(join(project, 'train.mjs'), TRAIN_SCRIPT);
    const output = execFileSync('node', ['train.mjs'], { cwd: project, encoding: 'utf8' });
    const result = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(Number.isFinite(result.first)).toBe(true);
    // target = 3 * input + 1 (mod 31) is learnable from the current token alone.
    expect(result.last).toBeLessThan(result.first - 1);
  }, 300_000);

  it('run the first steps of the LLaMA recipe outside the workspace', () => {
    const project = join(work, 'recipe-project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'archzoo-recipe-user', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', '--loglevel=error', ...tarballs], { cwd: project, stdio: 'pipe' });
    writeFileSync(join(project, 'reproduce.mjs'), RECIPE_SCRIPT);
    const output = execFileSync('node', ['reproduce.mjs'], { cwd: project, encoding: 'utf8', env: { ...process.env, ARCHZOO_CACHE_DIR: join(work, 'cache') } });
    const result = JSON.parse(output.trim().split('\n').at(-1)!);
    // The recipe's recorded first-step loss, compared as `archzoo reproduce` does.
    expect(Math.abs(result.losses[0] - result.recordedFirst)).toBeLessThanOrEqual(result.tolerance);
    expect(result.losses[2]).toBeLessThan(result.losses[0]);
  }, 600_000);
});
