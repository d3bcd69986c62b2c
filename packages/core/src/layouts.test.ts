import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig, testPlugins } from './__fixtures__/plugins.js';
import { resolveConfig, type BlockConfig } from './config.js';
import { Model } from './model.js';
import { modelParamSpecs } from './params.js';
import { Registry } from './registry.js';
import { tf } from './tf.js';

// Expected logits come from an independent PyTorch forward pass of the same tiny model with the
// same random weights (__fixtures__/generate_layouts.py).
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/layouts.json', import.meta.url), 'utf8'));
const registry = new Registry(testPlugins);

interface LayoutCase {
  block: BlockConfig;
  tie_embeddings: boolean;
  params: Record<string, { shape: number[]; values: number[] }>;
  logits: number[];
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('block layouts', () => {
  for (const layout of fixture.cases as LayoutCase[]) {
    const { placement, layout: kind, final_norm, embedding_norm } = layout.block;
    const name = `${placement} ${kind}${final_norm ? ' +final norm' : ''}${embedding_norm ? ' +embedding norm' : ''}${layout.tie_embeddings ? ' tied' : ''}`;

    it(`matches PyTorch: ${name}`, () => {
      const config = resolveConfig(
        { ...testConfig, ...fixture.dims, context_length: 8, block: layout.block, tie_embeddings: layout.tie_embeddings },
        registry,
      );
      const model = new Model(config, registry);
      const specNames = modelParamSpecs(config, registry).map((s) => s.name).sort();
      expect(specNames).toEqual(Object.keys(layout.params).sort());

      const params = new Map(Object.entries(layout.params).map(([key, p]) => [key, tf.tensor(p.values, p.shape)]));
      const logits = model.logitsFor(params, tf.tensor2d(fixture.tokens, undefined, 'int32'));
      const actual = logits.dataSync();
      // Both sides compute in float32; logits reach about 10 in magnitude, so 1e-4 absolute leaves
      // room for different summation orders and nothing more.
      let maxError = 0;
      layout.logits.forEach((expected, i) => {
        maxError = Math.max(maxError, Math.abs(actual[i]! - expected));
      });
      expect(maxError).toBeLessThan(1e-4);
      tf.dispose([logits, ...params.values()]);
    });
  }
});
