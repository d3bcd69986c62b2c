/** Writes run directories with random weights, as `archzoo train` lays them out, without training. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { initialValues, type ModelConfig, modelParamSpecs, type Recipe, Registry, resolveConfig, type TensorValues, type TrainConfig, writeCheckpoint } from '@archzoo/core';

export interface FakeRun {
  recipe: Recipe;
  /** Scale name recorded in the run's config.json. */
  scale: string;
  model: ModelConfig;
  train: TrainConfig;
}

/**
 * Writes `dir/config.json` and one checkpoint at step 1 whose parameters are drawn from a normal
 * distribution with std 0.3, each from its own seed, and whose optimizer moments are zeros.
 */
export async function writeFakeRun(dir: string, { recipe, scale, model: modelConfig, train }: FakeRun): Promise<void> {
  const registry = new Registry(recipe.plugins);
  const model = resolveConfig(modelConfig, registry);
  const params = new Map<string, TensorValues>();
  const zeros = new Map<string, TensorValues>();
  modelParamSpecs(model, registry).forEach((spec, i) => {
    params.set(spec.name, { shape: spec.shape, data: initialValues({ ...spec, init: { kind: 'normal', std: 0.3 } }, model, i + 1) });
    zeros.set(spec.name, { shape: spec.shape, data: new Float32Array(spec.shape.reduce((a, b) => a * b, 1)) });
  });
  const snapshot = { step: 1, optimizerStep: 1, losses: [5], dropoutRng: [1, 2, 3, 4], data: undefined, params, m: zeros, v: zeros };
  await writeCheckpoint(join(dir, 'checkpoints'), snapshot, { model, train });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ recipe: recipe.name, scale, model, data: { tokenizer: { name: 'gpt2' } } }));
}
