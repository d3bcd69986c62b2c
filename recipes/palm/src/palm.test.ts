import { modelParamSpecs, Registry, initialValues, resolveConfig } from '@archzoo/core';
import { describeRecipeConformance } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { gpt3_175bConfig } from '@archzoo/recipe-gpt3';
import { palm } from './palm.js';
import { palmDiff } from './published.js';

const published = palm.published.config;

describeRecipeConformance(palm, { expectedParams: 8_632_012_800, parent: { name: 'gpt3', config: gpt3_175bConfig, diff: palmDiff } });

describe('PaLM recipe', () => {
  it('uses one key/value head and a 4d SwiGLU at every scale', () => {
    for (const scale of [published, ...Object.values(palm.scales).map((s) => s.model)]) {
      expect(scale.n_kv_heads).toBe(1);
      expect(scale.d_ff).toBe(4 * scale.d_model);
      expect(scale.n_heads * scale.head_dim!).toBe(scale.d_model);
    }
  });

  it('scales the logits by 1/sqrt(d_model) at every scale', () => {
    for (const scale of [published, ...Object.values(palm.scales).map((s) => s.model)]) {
      const logitScale = scale.stability!.find((options) => options.type === 'logit_scale');
      expect(logitScale?.scale).toBeCloseTo(1 / Math.sqrt(scale.d_model), 12);
    }
  });

  it('draws the tiny embeddings from N(0, 1)', () => {
    const registry = new Registry(palm.plugins);
    const config = resolveConfig(palm.scales.tiny!.model, registry);
    const embed = modelParamSpecs(config, registry).find((spec) => spec.name === 'embed.weight')!;
    const values = initialValues(embed, config, 1337);
    let sumSquares = 0;
    for (const value of values) sumSquares += value * value;
    // 6.4 million draws: the sample std is within 0.001 of 1 with overwhelming probability.
    expect(Math.sqrt(sumSquares / values.length)).toBeCloseTo(1, 2);
  });
});
