import { costReport, countParams, modelParamSpecs, Registry, resolveConfig } from '@archzoo/core';
import { gpt3, gpt3_175bConfig } from '@archzoo/recipe-gpt3';
import { describe, expect, it } from 'vitest';
import { llama } from './llama.js';
import { llamaDiff } from './published.js';
import { llamaFfnWidth } from './scales.js';

const registry = new Registry(llama.plugins);

// The tiny scale as resolved before LLaMA was rewritten as a diff from GPT-3, written out so
// that the rewrite (or a later change to GPT-3) cannot change the LLaMA model unnoticed.
const TINY_RESOLVED_WITHOUT_LAYERS = {
  dims: {
    vocab_size: 50257,
    d_model: 128,
    n_layers: 4,
    n_heads: 4,
    n_kv_heads: 4,
    head_dim: 32,
    d_ff: 352,
    context_length: 128,
  },
  norm: { eps: 1e-6, unit_offset: false, type: 'rmsnorm' },
  position: { theta: 10000, rotary_fraction: 1, pairing: 'half', scaling: 'none', type: 'rope' },
  attention: {
    qkv_bias: false,
    out_bias: false,
    score_scale: 'inv_sqrt_head_dim',
    dropout: 0,
    type: 'causal',
  },
  ffn: { bias: false, type: 'swiglu' },
  stability: [],
  block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
  tie_embeddings: false,
  layer_pattern: [],
  init_std: 0.02,
  embedding_init_std: 0.02,
  dropout: { embedding: 0, attention: 0, residual: 0 },
};
const TINY_LAYER = {
  attention: {
    qkv_bias: false,
    out_bias: false,
    score_scale: 'inv_sqrt_head_dim',
    dropout: 0,
    type: 'causal',
  },
  position: { theta: 10000, rotary_fraction: 1, pairing: 'half', scaling: 'none', type: 'rope' },
  ffn: { bias: false, type: 'swiglu' },
};

const TINY_TRAIN = {
  beta1: 0.9,
  beta2: 0.95,
  weight_decay: 0.1,
  grad_clip: 1,
  schedule: 'cosine',
  steps: 600,
  batch_size: 8,
  seq_len: 128,
  grad_accum_steps: 1,
  lr: 5e-3,
  min_lr: 5e-4,
  warmup_steps: 50,
  eps: 1e-8,
  eval_interval: 200,
  eval_batches: 32,
  log_interval: 10,
  seed: 1337,
};

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

  it('resolves the tiny scale to the same model as before', () => {
    const resolved = resolveConfig(llama.scales.tiny!.model, registry);
    expect(resolved).toEqual({ ...TINY_RESOLVED_WITHOUT_LAYERS, layers: [TINY_LAYER, TINY_LAYER, TINY_LAYER, TINY_LAYER] });
    expect(countParams(modelParamSpecs(resolved, registry))).toBe(13_669_760);
  });

  it('keeps the tiny and small training setups', () => {
    expect(llama.scales.tiny!.train).toEqual(TINY_TRAIN);
    expect(llama.scales.small!.train).toEqual({
      ...TINY_TRAIN,
      steps: 5000,
      batch_size: 32,
      seq_len: 512,
      lr: 1e-3,
      min_lr: 1e-4,
      warmup_steps: 250,
      eval_interval: 500,
      log_interval: 50,
    });
  });

  it('derives the config from GPT-3 plus a diff', () => {
    expect(llama.parent).toBe(gpt3.name);
    const expected: Record<string, unknown> = { ...gpt3_175bConfig };
    for (const [field, value] of Object.entries(llamaDiff)) {
      if (value === null) delete expected[field];
      else expected[field] = value;
      // A diff lists only what changes.
      expect(value, field).not.toEqual((gpt3_175bConfig as unknown as Record<string, unknown>)[field]);
    }
    expect(llama.published.config).toEqual(expected);
  });

  it('sources every config field', () => {
    const fields = Object.keys(llama.published.config);
    for (const field of fields) expect(llama.published.sources[field], field).toMatch(/\S/);
    expect(Object.keys(llama.published.sources).sort()).toEqual([...fields].sort());
  });

  it('survives a JSON round trip with the same parameter count', () => {
    const tiny = llama.scales.tiny!.model;
    const direct = countParams(modelParamSpecs(resolveConfig(tiny, registry), registry));
    const roundTrip = countParams(modelParamSpecs(resolveConfig(JSON.parse(JSON.stringify(tiny)), registry), registry));
    expect(roundTrip).toBe(direct);
  });
});
