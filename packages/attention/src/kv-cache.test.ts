// Legend: B batch, T queries, S keys, D model width, H query heads, G key/value heads, K head dim.
import { Rng, tf, type AttentionContext, type LayerKVCache, type PositionBinding, type Tensor } from '@archzoo/core';
import { buildParams, expectNoLeaks, makeAttentionContext, randomTensor, testDims, useCpuBackend } from '@archzoo/testkit';
import { describe, expect, it } from 'vitest';
import { causal, type CausalOptions } from './causal.js';

useCpuBackend();

const dims = testDims({ d_model: 8, n_heads: 4, n_kv_heads: 2, head_dim: 3, context_length: 16 });

/**
 * Builds a position binding that depends on absolute positions, so that a wrong `start` or key
 * offset changes the output. `rotate` scales q and k at position p by (1 + p / 10), and `bias`
 * adds -0.3 * h * (i - j) as ALiBi does.
 */
function testPosition(): PositionBinding {
  const scaleOf = (start: number, seq: number) => tf.reshape(tf.add(tf.div(tf.range(start, start + seq), 10), 1), [1, 1, seq, 1]);
  return {
    rotate: (qBHTK: Tensor, kBGTK: Tensor, start: number) => [tf.mul(qBHTK, scaleOf(start, qBHTK.shape[2]!)), tf.mul(kBGTK, scaleOf(start, kBGTK.shape[2]!))],
    bias: (tQueries: number, sKeys: number, qStart: number) => {
      const distanceTS = tf.sub(tf.reshape(tf.range(qStart, qStart + tQueries), [tQueries, 1]), tf.reshape(tf.range(0, sKeys), [1, sKeys]));
      const slopesH11 = tf.reshape(tf.mul(tf.range(1, dims.n_heads + 1), -0.3), [dims.n_heads, 1, 1]);
      return tf.mul(slopesH11, distanceTS);
    },
  };
}

function setup(overrides: Partial<CausalOptions>) {
  const options = { ...causal.defaults, ...overrides, type: 'causal' } as CausalOptions;
  const rng = new Rng(5);
  const params = buildParams(causal.params(options, dims), rng, { jitter: 0.1 });
  const xBTD = randomTensor([2, 9, dims.d_model], rng);
  return { options, params, xBTD };
}

function contextAt(start: number, cache?: LayerKVCache): AttentionContext {
  const ctx = makeAttentionContext(dims, { position: testPosition(), start });
  if (cache) ctx.cache = cache;
  return ctx;
}

/** Runs the sequence in chunks of the given lengths through one cache; returns [B, T, D]. */
function decodeInChunks(setupResult: ReturnType<typeof setup>, chunks: number[], cache: LayerKVCache): Tensor {
  const { options, params, xBTD } = setupResult;
  const outputs: Tensor[] = [];
  let start = 0;
  for (const length of chunks) {
    const chunkBTD = tf.slice(xBTD, [0, start, 0], [-1, length, -1]);
    outputs.push(causal.apply(params, chunkBTD, options, contextAt(start, cache)));
    chunkBTD.dispose();
    start += length;
  }
  const all = tf.concat(outputs, 1);
  outputs.forEach((output) => output.dispose());
  return all;
}

function maxAbsDifference(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('KV-cached decoding', () => {
  const CASES: [string, Partial<CausalOptions>][] = [
    ['GQA full causal', {}],
    ['sliding window 3 (rolling cache)', { window: 3 }],
    ['fixed sparse pattern', { sparse: 'fixed', sparse_block: 3, sparse_c: 1 }],
    ['window 4 with strided sparse', { window: 4, sparse: 'strided', sparse_block: 2 }],
  ];
  for (const [name, overrides] of CASES) {
    it(`matches the full forward: ${name}`, () => {
      const run = setup(overrides);
      const full = causal.apply(run.params, run.xBTD, run.options, contextAt(0));
      for (const chunks of [[1, 1, 1, 1, 1, 1, 1, 1, 1], [4, 1, 3, 1], [2, 5, 2]]) {
        const cache: LayerKVCache = { start: 0 };
        const decoded = decodeInChunks(run, chunks, cache);
        // Both paths do the same float32 arithmetic on differently shaped matmuls; 1e-5 covers
        // the change in summation order.
        expect(maxAbsDifference(decoded, full), `chunks ${chunks.join(',')}`).toBeLessThan(1e-5);
        decoded.dispose();
        cache.keys?.dispose();
        cache.values?.dispose();
      }
      full.dispose();
    });
  }

  it('keeps only the window in a rolling cache', () => {
    const run = setup({ window: 3 });
    const cache: LayerKVCache = { start: 0 };
    decodeInChunks(run, [4, 1, 2], cache).dispose();
    expect(cache.keys!.shape).toEqual([2, dims.n_kv_heads, 3, dims.head_dim]);
    expect(cache.values!.shape).toEqual([2, dims.n_kv_heads, 3, dims.head_dim]);
    expect(cache.start).toBe(4);
    cache.keys!.dispose();
    cache.values!.dispose();
  });

  it('stores G key/value heads, not H', () => {
    const run = setup({});
    const cache: LayerKVCache = { start: 0 };
    decodeInChunks(run, [5], cache).dispose();
    expect(cache.keys!.shape).toEqual([2, dims.n_kv_heads, 5, dims.head_dim]);
    expect(cache.start).toBe(0);
    cache.keys!.dispose();
    cache.values!.dispose();
  });

  it('rejects a gap between cache and queries', () => {
    const run = setup({});
    const cache: LayerKVCache = { start: 0 };
    decodeInChunks(run, [2], cache).dispose();
    const chunk = tf.slice(run.xBTD, [0, 2, 0], [-1, 1, -1]);
    expect(() => causal.apply(run.params, chunk, run.options, contextAt(3, cache))).toThrow('KV cache contains positions 0..1, but the new queries start at 3');
    cache.keys!.dispose();
    cache.values!.dispose();
  });

  it('leaks no tensors beyond the replaced cache', () => {
    const run = setup({ window: 3 });
    const cache: LayerKVCache = { start: 0 };
    decodeInChunks(run, [3], cache).dispose();
    let start = 3;
    const step = () => {
      const token = tf.slice(run.xBTD, [0, start % 9, 0], [-1, 1, -1]);
      causal.apply(run.params, token, run.options, contextAt(start, cache)).dispose();
      token.dispose();
      start += 1;
    };
    expectNoLeaks(step, { warmup: 1 });
    cache.keys!.dispose();
    cache.values!.dispose();
  });
});
