/**
 * The conformance checks every recipe runs. They cover the published parameter count, a source
 * for every config field, the config as the parent's plus a diff, the published architecture at
 * every scale, a JSON round trip, and one training step of the tiny scale.
 */
import {
  countParams,
  Model,
  modelParamSpecs,
  Registry,
  resolveConfig,
  Rng,
  selectBackend,
  Trainer,
  type Batch,
  type ModelConfig,
  type Recipe,
  type TrainData,
} from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';

export interface RecipeConformanceSpec {
  /** The published config's parameter count, computed once and written down. */
  expectedParams: number;
  /** The parent's published config and this recipe's diff from it; omit for a root recipe. */
  parent?: { name: string; config: ModelConfig; diff: Readonly<Record<string, unknown>> };
}

/** Attention options that scale with the model (window length, score scale) and may differ per scale. */
const SIZE_OPTIONS = new Set(['window', 'query_pre_attn_scalar']);

function withoutSizes(options: object | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([key]) => !SIZE_OPTIONS.has(key)));
}

/** Stability options without a logit scale's value, which PaLM ties to the width (1/sqrt(d_model)). */
function stabilityWithoutSizes(list: ModelConfig['stability']): Array<Record<string, unknown>> {
  return (list ?? []).map((options) =>
    Object.fromEntries(Object.entries(options).filter(([key]) => !(options.type === 'logit_scale' && key === 'scale'))),
  );
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

/** Declares a `describe` block with the recipe checks; call it once per recipe test file. */
export function describeRecipeConformance(recipe: Recipe, spec: RecipeConformanceSpec): void {
  const registry = new Registry(recipe.plugins);
  const published = recipe.published.config;
  const paramCount = (config: ModelConfig) => countParams(modelParamSpecs(resolveConfig(config, registry), registry));

  describe(`${recipe.name} recipe conformance`, () => {
    beforeAll(async () => {
      // The fastest installed backend (native CPU kernels where they built): one step of a
      // 50,257-token embedding and its AdamW update is slow on the plain JavaScript backend.
      await selectBackend('auto', {});
    });

    it('counts the published parameters within the tolerance', () => {
      const { value, tolerance } = recipe.published.params;
      const count = paramCount(published);
      expect(count).toBe(spec.expectedParams);
      expect(Math.abs(count - value) / value).toBeLessThanOrEqual(tolerance);
    });

    it('sources every config field', () => {
      const fields = Object.keys(published);
      for (const field of fields) expect(recipe.published.sources[field], field).toMatch(/\S/);
      expect(Object.keys(recipe.published.sources).sort()).toEqual([...fields].sort());
    });

    if (spec.parent) {
      const parent = spec.parent;
      it(`derives the config from ${parent.name} plus a diff`, () => {
        expect(recipe.parent).toBe(parent.name);
        const expected: Record<string, unknown> = { ...parent.config };
        for (const [field, value] of Object.entries(parent.diff)) {
          if (value === null) delete expected[field];
          else expected[field] = value;
          // A diff lists only what changes.
          expect(value, field).not.toEqual((parent.config as unknown as Record<string, unknown>)[field]);
        }
        expect(published).toEqual(expected);
        expect(recipe.changes.length).toBeGreaterThan(0);
      });
    } else {
      it('is the root of the recipe tree', () => {
        expect(recipe.parent).toBeUndefined();
        expect(recipe.changes).toEqual([]);
      });
    }

    it.each(Object.keys(recipe.scales))('keeps the architecture at the %s scale', (name) => {
      const model = recipe.scales[name]!.model;
      expect(model.norm).toEqual(published.norm);
      expect(model.position).toEqual(published.position);
      expect(model.ffn).toEqual(published.ffn);
      expect(model.attention.type).toBe(published.attention.type);
      expect(withoutSizes(model.attention)).toEqual(withoutSizes(published.attention));
      expect(Object.keys(model.attention).sort()).toEqual(Object.keys(published.attention).sort());
      expect(model.block).toEqual(published.block);
      expect(model.tie_embeddings).toBe(published.tie_embeddings);
      expect(stabilityWithoutSizes(model.stability)).toEqual(stabilityWithoutSizes(published.stability));
      expect(model.embedding_init_std).toBe(published.embedding_init_std);
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

    it.each(['published', ...Object.keys(recipe.scales)])('survives a JSON round trip at the %s scale', (name) => {
      const config = name === 'published' ? published : recipe.scales[name]!.model;
      const roundTrip = JSON.parse(JSON.stringify(config)) as ModelConfig;
      expect(resolveConfig(roundTrip, registry)).toEqual(resolveConfig(config, registry));
      expect(paramCount(roundTrip)).toBe(paramCount(config));
    });

    it('trains the tiny scale one step with a finite loss', () => {
      const scale = recipe.scales.tiny!;
      // The tiny model and optimizer with a short batch, so the step stays cheap on a CPU.
      const train = { ...scale.train, steps: 1, batch_size: 1, seq_len: 16, eval_interval: 0, eval_batches: 1 };
      const config = resolveConfig(scale.model, registry);
      const trainer = new Trainer(new Model(config, registry), train, randomData(config.dims.vocab_size, 1, 16));
      try {
        const before = trainer.params.get('embed.weight')!.dataSync()[0];
        const { loss, gradNorm } = trainer.trainStep();
        expect(Number.isFinite(loss)).toBe(true);
        expect(Number.isFinite(gradNorm)).toBe(true);
        // Random targets start near ln(V) nats.
        const uniform = Math.log(config.dims.vocab_size);
        expect(loss).toBeGreaterThan(uniform - 1.5);
        expect(loss).toBeLessThan(uniform + 1.5);
        expect(trainer.params.get('embed.weight')!.dataSync()[0]).not.toBe(before);
      } finally {
        trainer.dispose();
      }
    }, 300_000);
  });
}
