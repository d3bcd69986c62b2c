import { costReport, countParams, kvCacheBytes, modelParamSpecs, Registry, resolveConfig } from '@archzoo/core';
import { llama, tiny } from '@archzoo/recipe-llama';
import { describe, expect, it } from 'vitest';

import { formatBytes } from './format.js';
import { main } from './main.js';
import { captureIo } from './test-support/capture-io.js';

async function inspect(argv: string[]) {
  const io = captureIo({ cwd: process.cwd(), recipes: [llama] });
  const code = await main(['inspect', 'llama', ...argv], io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('inspect --json', () => {
  it('reports the tiny scale from the config alone', async () => {
    const { code, stdout } = await inspect(['--scale', 'tiny', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.scales).toHaveLength(1);
    const [scale] = report.scales;

    const registry = new Registry(llama.plugins);
    const resolved = resolveConfig(tiny.model, registry);
    const specs = modelParamSpecs(resolved, registry);
    const cost = costReport(resolved, registry);
    expect(scale.scale).toBe('tiny');
    expect(scale.params).toBe(countParams(specs));
    expect(scale.nonEmbeddingParams).toBe(cost.nonEmbeddingParams);
    expect(scale.forwardFlopsPerToken).toBe(cost.forwardFlopsPerToken);
    expect(scale.kvCacheBytesFullContext).toBe(kvCacheBytes(resolved, registry, tiny.model.context_length));
  });

  it('derives ratios and sizes of the tiny scale by hand', async () => {
    const { stdout } = await inspect(['--scale', 'tiny', '--json']);
    const [scale] = JSON.parse(stdout).scales;
    const { d_model, n_layers, d_ff, vocab_size, context_length } = tiny.model;
    // Untied embedding and output projection: 2 * V * D; nothing else is an embedding (RoPE has no parameters).
    expect(scale.params - scale.nonEmbeddingParams).toBe(2 * vocab_size * d_model);
    expect(scale.dFfPerDModel).toBeCloseTo((d_ff as number) / d_model, 12);
    expect(scale.dModelPerLayer).toBe(d_model / n_layers);
    // float32 keys and values of every layer, with as many kv heads as query heads (MHA).
    expect(scale.kvCacheBytesPerToken).toBe(2 * d_model * 4 * n_layers);
    expect(scale.kvCacheBytesFullContext).toBe(scale.kvCacheBytesPerToken * context_length);
    expect(scale.trainingFlopsPerToken).toBe(3 * scale.forwardFlopsPerToken);
  });

  it('checks the published parameter count', async () => {
    const { stdout } = await inspect(['--json']);
    const report = JSON.parse(stdout);
    expect(report.scales.map((scale: { scale: string }) => scale.scale)).toEqual(['full', 'tiny', 'small']);
    expect(report.published.published).toBe(llama.published.params.value);
    expect(report.published.computed).toBe(report.scales[0].params);
    expect(report.published.withinTolerance).toBe(true);
  });
});

describe('inspect text output', () => {
  it('shows every scale and the published check', async () => {
    const { code, stdout } = await inspect([]);
    expect(code).toBe(0);
    expect(stdout).toContain(`published ${llama.published.name}: 6,738,415,616 parameters, computed 6,738,415,616 (0.0000%, within tolerance 0)`);
    for (const scale of ['full', 'tiny', 'small']) expect(stdout).toContain(`scale ${scale}: `);
    const perToken = 2 * tiny.model.d_model * 4 * tiny.model.n_layers;
    const context = tiny.model.context_length;
    expect(stdout).toContain(`${formatBytes(perToken)} per token, ${formatBytes(perToken * context)} at ${context} tokens`);
  });
});
