import { countParams, Model, modelParamSpecs, resolveConfig, Rng, tf, Trainer, type Batch, type TrainConfig } from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZOO } from './catalog.js';
import { pluginIdsOf, tinyOf } from './tiny.js';
import { zooRegistry } from './test-support/registry.js';

const registry = zooRegistry();
const buildable = ZOO.filter((spec) => spec.config !== null);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TRAIN: TrainConfig = {
  steps: 1,
  batch_size: 2,
  seq_len: 16,
  grad_accum_steps: 1,
  lr: 1e-3,
  min_lr: 1e-4,
  warmup_steps: 0,
  schedule: 'cosine',
  weight_decay: 0.1,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  grad_clip: 1,
  eval_interval: 0,
  eval_batches: 1,
  log_interval: 1,
  seed: 7,
};

/** Uniform random tokens; a single step only has to produce a finite loss and update. */
function randomData(vocab: number) {
  const rng = new Rng(11);
  const batch = (): Batch => ({
    inputs: new Int32Array(TRAIN.batch_size * TRAIN.seq_len).map(() => rng.nextInt(vocab)),
    targets: new Int32Array(TRAIN.batch_size * TRAIN.seq_len).map(() => rng.nextInt(vocab)),
    batchSize: TRAIN.batch_size,
    seqLen: TRAIN.seq_len,
  });
  return {
    nextTrainBatch: batch,
    validationBatches: function* (max: number) {
      for (let i = 0; i < max; i++) yield batch();
    },
  };
}

describe('tinyOf', () => {
  it('returns null for specs without a config', () => {
    for (const spec of ZOO.filter((candidate) => candidate.config === null)) expect(tinyOf(spec), spec.id).toBeNull();
  });

  it.each(buildable.map((spec) => [spec.id, spec] as const))('keeps the architecture of %s', (_id, spec) => {
    const published = spec.config!;
    const tiny = tinyOf(spec)!;
    expect(tiny.norm).toEqual(published.norm);
    expect(tiny.position).toEqual(published.position);
    expect(tiny.ffn).toEqual(published.ffn);
    expect(tiny.stability).toEqual(published.stability);
    expect(tiny.block).toEqual(published.block);
    expect(tiny.tie_embeddings).toBe(published.tie_embeddings);
    expect(tiny.attention.type).toBe(published.attention.type);
    expect(tiny.attention.qkv_bias).toBe(published.attention.qkv_bias);
    expect(tiny.attention.out_bias).toBe(published.attention.out_bias);
    expect(pluginIdsOf(tiny)).toEqual(pluginIdsOf(published));
    expect(tiny.layer_pattern?.length ?? 0).toBe(published.layer_pattern?.length ?? 0);
  });

  it.each(buildable.map((spec) => [spec.id, spec] as const))('keeps the head grouping of %s', (_id, spec) => {
    const published = spec.config!;
    const tiny = tinyOf(spec)!;
    const publishedKv = published.n_kv_heads ?? published.n_heads;
    const tinyKv = tiny.n_kv_heads ?? tiny.n_heads;
    expect(tiny.n_heads / tinyKv).toBe(publishedKv === 1 ? tiny.n_heads : published.n_heads / publishedKv);
    expect(tinyKv === 1).toBe(publishedKv === 1);
  });

  it.each(buildable.map((spec) => [spec.id, spec] as const))('is tiny for %s', (_id, spec) => {
    const tiny = tinyOf(spec)!;
    expect(tiny.d_model).toBe(64);
    expect(tiny.vocab_size).toBe(256);
    expect(tiny.context_length).toBe(32);
    expect(tiny.n_layers).toBe(Math.max(2, spec.config!.layer_pattern?.length ?? 0));
    const windows = [tiny.attention, ...(tiny.layer_pattern ?? []).map((entry) => entry.attention ?? {})]
      .map((attention) => attention.window)
      .filter((window): window is number => typeof window === 'number');
    for (const window of windows) expect(window).toBeLessThan(tiny.context_length);
  });
});

describe('tiny training step', () => {
  it.each(buildable.map((spec) => [spec.id, spec] as const))('trains %s one step with a finite loss', (_id, spec) => {
    const config = resolveConfig(tinyOf(spec)!, registry);
    const trainer = new Trainer(new Model(config, registry), TRAIN, randomData(config.dims.vocab_size));
    try {
      const before = trainer.params.get('embed.weight')!.dataSync()[0];
      const { loss, gradNorm } = trainer.trainStep();
      expect(Number.isFinite(loss)).toBe(true);
      expect(Number.isFinite(gradNorm)).toBe(true);
      // Cross-entropy of uniform random targets starts near ln(256) = 5.55 nats.
      expect(loss).toBeGreaterThan(4);
      expect(loss).toBeLessThan(8);
      expect(trainer.params.get('embed.weight')!.dataSync()[0]).not.toBe(before);
    } finally {
      trainer.dispose();
    }
  });
});

describe('published parameter counts', () => {
  const withParams = ZOO.filter((spec) => spec.params !== undefined && spec.config !== null);

  it('covers the specs that state a published count', () => {
    expect(withParams.map((spec) => spec.id)).toEqual([
      'gpt-3', 'gpt-neox', 'bloom', 'palm', 'llama-2', 'gemma-2', 'nemotron-4', 'qwen-2', 'falcon-2', 'llama-3',
      'command-r-plus', 'deepseek', 'yi', 'mixtral', 'command-a', 'gemma-3', 'smollm2',
    ]);
  });

  it.each(withParams.map((spec) => [spec.id, spec] as const))('matches the published count of %s', (_id, spec) => {
    const config = resolveConfig(spec.config!, registry);
    const count = countParams(modelParamSpecs(config, registry));
    const { value, tolerance, source } = spec.params!;
    expect(Math.abs(count - value) / value, `${count} vs ${value} (${source}) at tolerance ${tolerance}`).toBeLessThanOrEqual(tolerance);
  });
});
