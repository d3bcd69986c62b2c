import { countParams, type ModelConfig, modelParamSpecs, Registry, resolveConfig } from '@archzoo/core';
import { describeRecipeConformance } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { llama7bConfig } from '@archzoo/recipe-llama';
import { gemma2 } from './gemma2.js';
import { GEMMA2_9B_NON_EMBEDDING, gemma2Diff } from './published.js';

const registry = new Registry(gemma2.plugins);
const published = gemma2.published.config;

function paramCount(config: ModelConfig): number {
  return countParams(modelParamSpecs(resolveConfig(config, registry), registry));
}

describeRecipeConformance(gemma2, { expectedParams: 9_241_705_984, parent: { name: 'llama', config: llama7bConfig, diff: gemma2Diff } });

describe('Gemma 2 recipe', () => {
  it('matches the published non-embedding count exactly', () => {
    // Table 2 of the Gemma 2 report counts the embedding separately; the tied embedding is
    // vocab_size x d_model.
    expect(paramCount(published) - published.vocab_size * published.d_model).toBe(GEMMA2_9B_NON_EMBEDDING);
  });

  it('puts the sliding window on even layers', () => {
    const layers = resolveConfig(published, registry).layers;
    expect(layers.map((layer) => layer.attention.window ?? null)).toEqual(Array.from({ length: 42 }, (_, i) => (i % 2 === 0 ? 4096 : null)));
  });
});
