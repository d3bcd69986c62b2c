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
});
