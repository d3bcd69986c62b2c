// Legend: B batch, T queries, S keys, D model width, H query heads, G key/value heads, K head dim.
import { describeConformance, testDims } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { causal, scoreScaleOf, type CausalOptions } from './causal.js';

// Golden values: make_attention_fixtures.py (numpy float64, explicit repeat_kv) with the kit's
// float32 tolerance. The cases pin GQA head grouping, window boundaries, the score scale and
// the Sparse Transformer patterns.
describeConformance(causal, {
  cases: [
    { name: 'GQA defaults (4 heads, 2 kv heads)' },
    { name: 'MHA', dims: { n_kv_heads: 4 } },
    { name: 'MQA', dims: { n_kv_heads: 1 } },
    { name: 'sliding window 2', options: { window: 2 } },
    { name: 'window 3 starting at position 4', options: { window: 3 }, start: 4 },
    { name: 'Gemma 2 query_pre_attn_scalar', options: { query_pre_attn_scalar: 7 } },
    { name: 'T5 unscaled scores', options: { score_scale: 'none' } },
    // k_proj.bias shifts every score of a query by the same q . b, which softmax ignores, so its
    // true gradient is 0 and only float32 noise (~1e-5) remains; `floor` measures that absolutely.
    { name: 'Qwen2 qkv biases and an output bias', options: { qkv_bias: true, out_bias: true }, gradient: { floor: 1e-2 } },
    { name: 'strided sparse', options: { sparse: 'strided', sparse_block: 2 }, seq: 7 },
    { name: 'fixed sparse', options: { sparse: 'fixed', sparse_block: 3, sparse_c: 1 }, seq: 7 },
    { name: 'head_dim unequal to d_model / n_heads', dims: { head_dim: 3 } },
  ],
  golden: { fixture: new URL('./__fixtures__/causal.json', import.meta.url) },
  invalid: [
    { name: 'window 0', options: { window: 0 }, message: 'window must be >= 1' },
    { name: 'a window beyond the context', options: { window: 17 }, message: 'window (17) must be <= context_length (16)' },
    { name: 'n_kv_heads not dividing n_heads', dims: { n_heads: 4, n_kv_heads: 3 }, message: 'n_kv_heads (3) must divide n_heads (4)' },
    { name: 'a scalar with unscaled scores', options: { query_pre_attn_scalar: 8, score_scale: 'none' }, message: 'conflicts with score_scale "none"' },
    { name: 'sparse without a block', options: { sparse: 'strided' }, message: 'needs sparse_block' },
    { name: 'fixed sparse without c', options: { sparse: 'fixed', sparse_block: 4 }, message: 'needs sparse_c' },
    { name: 'c above the block', options: { sparse: 'fixed', sparse_block: 2, sparse_c: 3 }, message: 'sparse_c (3) must be <= sparse_block (2)' },
    { name: 'c with the strided pattern', options: { sparse: 'strided', sparse_block: 2, sparse_c: 1 }, message: 'applies only to sparse "fixed"' },
    { name: 'a block without a pattern', options: { sparse_block: 2 }, message: 'needs sparse set' },
    { name: 'dropout of 1', options: { dropout: 1 }, message: 'dropout must be <= 0.99' },
  ],
});

describe('causal metadata', () => {
  const dims = testDims({ d_model: 8, n_heads: 4, n_kv_heads: 2, head_dim: 3 });
  const defaults = { ...causal.defaults, type: 'causal' } as CausalOptions;

  it('declares projections of width H*K and G*K', () => {
    const specs = causal.params({ ...defaults, qkv_bias: true, out_bias: true }, dims);
    expect(Object.fromEntries(specs.map((spec) => [spec.name, spec.shape]))).toEqual({
      'q_proj.weight': [8, 12],
      'k_proj.weight': [8, 6],
      'v_proj.weight': [8, 6],
      'o_proj.weight': [12, 8],
      'q_proj.bias': [12],
      'k_proj.bias': [6],
      'v_proj.bias': [6],
      'o_proj.bias': [8],
    });
  });

  it('marks o_proj as a residual projection', () => {
    expect(causal.params(defaults, dims).find((spec) => spec.name === 'o_proj.weight')?.init).toEqual({ kind: 'normal', residual: true });
  });

  it('has no biases by default', () => {
    expect(causal.params(defaults, dims).map((spec) => spec.name)).toEqual(['q_proj.weight', 'k_proj.weight', 'v_proj.weight', 'o_proj.weight']);
  });

  it('picks the score scale', () => {
    expect(scoreScaleOf(defaults, 256)).toBe(1 / 16);
    expect(scoreScaleOf({ ...defaults, query_pre_attn_scalar: 144 }, 128)).toBe(1 / 12);
    expect(scoreScaleOf({ ...defaults, score_scale: 'none' }, 64)).toBe(1);
  });

  it('counts projection and attention FLOPs', () => {
    // The q and o projections cost 2 * D * H*K each, and k and v cost 2 * D * G*K each.
    // Scores and weights @ v cost 2 * H*K per attended key each.
    expect(causal.flopsPerToken!(defaults, dims, 5)).toBe(2 * 8 * 12 * 2 + 2 * 8 * 6 * 2 + 2 * 2 * 12 * 5);
  });

  it('reports the mean number of attended keys', () => {
    expect(causal.attended!(defaults, 4)).toBe((1 + 2 + 3 + 4) / 4);
    expect(causal.attended!({ ...defaults, window: 2 }, 4)).toBe((1 + 2 + 2 + 2) / 4);
  });

  it('bounds cached positions by the window', () => {
    expect(causal.cachedPositions!(defaults, 100)).toBe(100);
    expect(causal.cachedPositions!({ ...defaults, window: 8 }, 100)).toBe(8);
    expect(causal.cachedPositions!({ ...defaults, window: 8 }, 5)).toBe(5);
    expect(causal.cachedPositions!({ ...defaults, sparse: 'fixed', sparse_block: 4, sparse_c: 1 }, 100)).toBe(100);
  });
});
