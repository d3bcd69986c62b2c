import { countParams, Model, modelParamSpecs, Registry, resolveConfig, Rng, selectBackend, Trainer, type Batch, type ModelConfig, type TrainData } from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { llama, llama7bConfig } from '@archzoo/recipe-llama';
import { olmo2 } from './olmo2.js';
import { olmo2Diff } from './published.js';

const registry = new Registry(olmo2.plugins);
const published = olmo2.published.config;

/** Attention options that scale with the model (window length, score scale) and may differ per scale. */
const SIZE_OPTIONS = new Set(['window', 'query_pre_attn_scalar']);

function withoutSizes(options: object | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([key]) => !SIZE_OPTIONS.has(key)));
}

function paramCount(config: ModelConfig): number {
  return countParams(modelParamSpecs(resolveConfig(config, registry), registry));
}

/** Uniform random tokens: one step only has to give a finite loss near ln(V) and update the weights. */
function randomData(vocab: number, batchSize: number, seqLen: number): TrainData {
  const rng = new Rng(11);
  const batch = (): Batch => ({
    inputs: new Int32Array(batchSize * seqLen).map(() => rng.nextInt(vocab)),
    targets: new Int32Array(batchSize * seqLen).map(() => rng.nextInt(vocab)),
    batchSize,
    seqLen,
  });
  return {
    nextTrainBatch: batch,
    validationBatches: function* (max: number) {
      for (let i = 0; i < max; i++) yield batch();
    },
  };
}

beforeAll(async () => {
  // The fastest installed backend (native CPU kernels where they built): one step of a 50,257-token
  // embedding and its AdamW update is slow on the plain JavaScript backend.
  await selectBackend('auto', {});
});

describe('OLMo 2 recipe', () => {
  it('counts the published parameters within the tolerance', () => {
    const { value, tolerance } = olmo2.published.params;
    const count = paramCount(published);
    // Computed once from the config and written down, so a change to the config or to a
    // plugin's parameter count shows up here.
    expect(count).toBe(7_298_617_344);
    expect(Math.abs(count - value) / value).toBeLessThanOrEqual(tolerance);
  });

  it('keeps the LLaMA widths at every scale', () => {
    for (const name of Object.keys(olmo2.scales)) {
      const { d_model, n_layers, n_heads, d_ff } = olmo2.scales[name]!.model;
      const parent = llama.scales[name]!.model;
      expect({ d_model, n_layers, n_heads, d_ff }).toEqual({ d_model: parent.d_model, n_layers: parent.n_layers, n_heads: parent.n_heads, d_ff: parent.d_ff });
    }
  });

  it('sources every config field', () => {
    const fields = Object.keys(published);
    for (const field of fields) expect(olmo2.published.sources[field], field).toMatch(/\S/);
    expect(Object.keys(olmo2.published.sources).sort()).toEqual([...fields].sort());
  });

  it('derives the config from LLaMA plus a diff', () => {
    expect(olmo2.parent).toBe('llama');
    const expected: Record<string, unknown> = { ...llama7bConfig };
    for (const [field, value] of Object.entries(olmo2Diff)) {
      if (value === null) delete expected[field];
      else expected[field] = value;
      // A diff lists only what changes.
      expect(value, field).not.toEqual((llama7bConfig as unknown as Record<string, unknown>)[field]);
    }
    expect(published).toEqual(expected);
    expect(olmo2.changes.length).toBeGreaterThan(3);
  });

  it.each(Object.keys(olmo2.scales))('keeps the architecture at the %s scale', (name) => {
    const model = olmo2.scales[name]!.model;
    expect(model.norm).toEqual(published.norm);
    expect(model.position).toEqual(published.position);
    expect(model.ffn).toEqual(published.ffn);
    expect(model.attention.type).toBe(published.attention.type);
    expect(withoutSizes(model.attention)).toEqual(withoutSizes(published.attention));
    expect(Object.keys(model.attention).sort()).toEqual(Object.keys(published.attention).sort());
    expect(model.block).toEqual(published.block);
    expect(model.tie_embeddings).toBe(published.tie_embeddings);
    expect(model.stability).toEqual(published.stability);
    expect(model.head_dim === undefined).toBe(published.head_dim === undefined);
    const kvHeads = (config: ModelConfig) => config.n_kv_heads ?? config.n_heads;
    expect(kvHeads(model) === 1).toBe(kvHeads(published) === 1);
    if (kvHeads(published) > 1) expect(model.n_heads / kvHeads(model)).toBe(published.n_heads / kvHeads(published));
    const pattern = model.layer_pattern ?? [];
    const publishedPattern = published.layer_pattern ?? [];
    expect(pattern.length).toBe(publishedPattern.length);
    pattern.forEach((entry, i) => {
      expect(Object.keys(entry).sort(), `layer_pattern[${i}]`).toEqual(Object.keys(publishedPattern[i]!).sort());
      expect(Object.keys(entry.attention ?? {}).sort(), `layer_pattern[${i}].attention`).toEqual(Object.keys(publishedPattern[i]!.attention ?? {}).sort());
      expect(withoutSizes(entry.attention), `layer_pattern[${i}].attention`).toEqual(withoutSizes(publishedPattern[i]!.attention));
      if (entry.attention?.window !== undefined) expect(entry.attention.window).toBeLessThan(model.context_length);
    });
    expect(() => resolveConfig(model, registry)).not.toThrow();
  });

  it.each(['published', ...Object.keys(olmo2.scales)])('survives a JSON round trip at the %s scale', (name) => {
    const config = name === 'published' ? published : olmo2.scales[name]!.model;
    const roundTrip = JSON.parse(JSON.stringify(config)) as ModelConfig;
    expect(resolveConfig(roundTrip, registry)).toEqual(resolveConfig(config, registry));
    expect(paramCount(roundTrip)).toBe(paramCount(config));
  });

  it('trains the tiny scale one step with a finite loss', () => {
    const scale = olmo2.scales.tiny!;
    // The tiny model and optimizer with a short batch, so the step stays cheap on a CPU.
    const train = { ...scale.train, steps: 1, batch_size: 1, seq_len: 16, eval_interval: 0, eval_batches: 1 };
    const config = resolveConfig(scale.model, registry);
    const trainer = new Trainer(new Model(config, registry), train, randomData(config.dims.vocab_size, 1, 16));
    try {
      const before = trainer.params.get('embed.weight')!.dataSync()[0];
      const { loss, gradNorm } = trainer.trainStep();
      expect(Number.isFinite(loss)).toBe(true);
      expect(Number.isFinite(gradNorm)).toBe(true);
      // Random targets over 50,257 tokens start near ln(50257) = 10.8 nats.
      expect(loss).toBeGreaterThan(9.5);
      expect(loss).toBeLessThan(12.5);
      expect(trainer.params.get('embed.weight')!.dataSync()[0]).not.toBe(before);
    } finally {
      trainer.dispose();
    }
  }, 300_000);
});
