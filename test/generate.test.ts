// Cached decoding against full recomputation, across attention and position plugins.
import { generate, initParams, Model, type ModelConfig, resolveConfig, tf } from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { registryOfAll } from './all-plugins.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BASE: ModelConfig = {
  vocab_size: 61,
  d_model: 16,
  n_layers: 2,
  n_heads: 4,
  d_ff: 32,
  context_length: 32,
  norm: { type: 'rmsnorm' },
  position: { type: 'rope' },
  attention: { type: 'causal' },
  ffn: { type: 'swiglu' },
};

const CASES: Array<[string, Partial<ModelConfig>]> = [
  ['MHA with RoPE', {}],
  ['GQA with RoPE', { n_kv_heads: 2 }],
  ['MQA with RoPE', { n_kv_heads: 1 }],
  ['sliding window 4 (rolling cache)', { n_kv_heads: 2, attention: { type: 'causal', window: 4 } }],
  [
    'learned positions, LayerNorm, GELU MLP, biases',
    {
      norm: { type: 'layernorm' },
      position: { type: 'learned' },
      attention: { type: 'causal', qkv_bias: true, out_bias: true },
      ffn: { type: 'mlp', activation: 'gelu_tanh' },
      tie_embeddings: true,
    },
  ],
  ['ALiBi', { position: { type: 'alibi' } }],
  [
    'alternating windows with soft-caps and sandwich norms',
    {
      n_kv_heads: 2,
      norm: { type: 'rmsnorm', unit_offset: true },
      block: { placement: 'sandwich' },
      layer_pattern: [{ attention: { window: 3 } }, {}],
      stability: [{ type: 'embedding_scale' }, { type: 'attn_softcap', cap: 2 }, { type: 'final_softcap', cap: 3 }],
    },
  ],
];

describe('cached greedy decoding', () => {
  const registry = registryOfAll();
  for (const [name, overrides] of CASES) {
    it(`equals recomputation: ${name}`, () => {
      const config = resolveConfig({ ...BASE, ...overrides }, registry);
      const model = new Model(config, registry);
      // A larger init spreads the logits, so argmax ties are unlikely to differ by rounding.
      const params = initParams(model.specs, { ...config, init_std: 0.3 }, 5);
      const prompt = [3, 14, 15, 9, 2];
      const options = { maxTokens: 14, temperature: 0 };

      const counts: number[] = [];
      const cached = generate(model, params, prompt, { ...options, onToken: () => counts.push(tf.memory().numTensors) });
      const uncached = generate(model, params, prompt, { ...options, useCache: false });
      expect(cached).toEqual(uncached);
      expect(cached).toHaveLength(14);
      // The caches replace their tensors in place, so the live count stays flat token after token.
      expect(new Set(counts.slice(1)).size).toBe(1);
      for (const tensor of params.values()) tensor.dispose();
    });
  }

  it('samples the same tokens with and without the cache', () => {
    const config = resolveConfig({ ...BASE, n_kv_heads: 2 }, registry);
    const model = new Model(config, registry);
    const params = initParams(model.specs, { ...config, init_std: 0.3 }, 9);
    const options = { maxTokens: 10, temperature: 0.8, topK: 20, topP: 0.9, seed: 4 };
    const before = tf.memory().numTensors;
    const cached = generate(model, params, [1, 2, 3], options);
    expect(tf.memory().numTensors).toBe(before);
    expect(generate(model, params, [1, 2, 3], { ...options, useCache: false })).toEqual(cached);
    for (const tensor of params.values()) tensor.dispose();
  });
});
