import { Registry, resolveConfig } from '@archzoo/core';
import { describeRecipeConformance } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { gpt3 } from './gpt3.js';

const registry = new Registry(gpt3.plugins);
const published = gpt3.published.config;

describeRecipeConformance(gpt3, { expectedParams: 174_604_259_328 });

describe('GPT-3 recipe', () => {
  it('alternates dense and banded layers', () => {
    const layers = resolveConfig(published, registry).layers;
    expect(layers.map((layer) => layer.attention.window ?? null)).toEqual(Array.from({ length: 96 }, (_, i) => (i % 2 === 0 ? null : 256)));
    expect(gpt3.scales.tiny!.model.layer_pattern).toEqual([{}, { attention: { window: 16 } }]);
  });
});
