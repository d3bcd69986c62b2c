import { costReport, countParams, modelParamSpecs, Registry, resolveConfig } from '@archzoo/core';
import { describe, expect, it } from 'vitest';
import { llama } from './llama.js';
import { llamaFfnWidth } from './scales.js';

const registry = new Registry(llama.plugins);

describe('LLaMA recipe', () => {
  it('counts exactly the published LLaMA-7B parameters', () => {
    const config = resolveConfig(llama.published.config, registry);
    expect(countParams(modelParamSpecs(config, registry))).toBe(6_738_415_616);
    expect(llama.published.params.value).toBe(6_738_415_616);
  });

  it('derives the 7B FFN width from the 2/3 * 4d rule', () => {
    expect(llamaFfnWidth(4096, 256)).toBe(11008);
  });

  it('gives the 7B forward FLOPs per token from the config', () => {
    const report = costReport(resolveConfig(llama.published.config, registry), registry);
    // 2 FLOPs per weight of every matrix except the embedding lookup, plus causal scores:
    // 4 * d_model * mean attended keys ((2048 + 1) / 2) per layer.
    const matrices = 6_738_415_616 - 32000 * 4096 - (2 * 32 + 1) * 4096;
    expect(report.forwardFlopsPerToken).toBe(2 * matrices + 32 * 4 * 4096 * (2049 / 2));
    expect(report.kvCacheBytesPerToken).toBe(32 * 2 * 4096 * 4);
  });

  it('keeps the architecture at every scale', () => {
    for (const [name, scale] of Object.entries(llama.scales)) {
      const published = llama.published.config;
      for (const slot of ['norm', 'position', 'attention', 'ffn', 'block', 'tie_embeddings'] as const) {
        expect(scale.model[slot], `${name}.${slot}`).toEqual(published[slot]);
      }
      expect(() => resolveConfig(scale.model, registry)).not.toThrow();
    }
  });

  it('survives a JSON round trip with the same parameter count', () => {
    const tiny = llama.scales.tiny!.model;
    const direct = countParams(modelParamSpecs(resolveConfig(tiny, registry), registry));
    const roundTrip = countParams(modelParamSpecs(resolveConfig(JSON.parse(JSON.stringify(tiny)), registry), registry));
    expect(roundTrip).toBe(direct);
  });
});
