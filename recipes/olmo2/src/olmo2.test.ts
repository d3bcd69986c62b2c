import { describeRecipeConformance } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { llama, llama7bConfig } from '@archzoo/recipe-llama';
import { olmo2 } from './olmo2.js';
import { olmo2Diff } from './published.js';

describeRecipeConformance(olmo2, { expectedParams: 7_298_617_344, parent: { name: 'llama', config: llama7bConfig, diff: olmo2Diff } });

describe('OLMo 2 recipe', () => {
  it('keeps the LLaMA widths at every scale', () => {
    for (const name of Object.keys(olmo2.scales)) {
      const { d_model, n_layers, n_heads, d_ff } = olmo2.scales[name]!.model;
      const parent = llama.scales[name]!.model;
      expect({ d_model, n_layers, n_heads, d_ff }).toEqual({ d_model: parent.d_model, n_layers: parent.n_layers, n_heads: parent.n_heads, d_ff: parent.d_ff });
    }
  });
});
