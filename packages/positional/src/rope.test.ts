// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
import { describe, expect, it } from 'vitest';
import { ArchzooError, Rng, tf, type Tensor } from '@archzoo/core';
import { describeConformance, makeContext, randomTensor, resolveOptions, testDims, useCpuBackend } from '@archzoo/testkit';
import { rope, type RopeOptions } from './rope.js';
import { ropeInverseFrequencies, ropeTables } from './rope-tables.js';

const llama31 = { theta: 500000, scaling: 'llama3', scaling_factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 };

describeConformance(rope, {
  cases: [
    { name: 'half pairing' },
    { name: 'interleaved pairing from position 3', options: { pairing: 'interleaved' }, start: 3 },
    { name: 'partial rotary', options: { rotary_fraction: 0.5 }, dims: { d_model: 32, n_heads: 4, head_dim: 8 } },
    { name: 'Llama 3.1 scaling', options: llama31, start: 6000 },
    { name: 'linear scaling', options: { theta: 1000000, scaling: 'linear', scaling_factor: 8 }, start: 40 },
  ],
  golden: { fixture: new URL('./__fixtures__/rope.json', import.meta.url) },
  invalid: [
    { name: 'an odd head_dim', dims: { d_model: 14, n_heads: 2, head_dim: 7 }, message: 'rope: rotary dimension (7 = head_dim 7 x rotary_fraction 1) must be even' },
    { name: 'an odd rotary dimension', options: { rotary_fraction: 0.375 }, dims: { d_model: 16, n_heads: 2, head_dim: 8 }, message: 'rotary dimension (3 = head_dim 8 x rotary_fraction 0.375)' },
    { name: 'llama3 scaling without its fields', options: { scaling: 'llama3', scaling_factor: 8 }, message: 'scaling "llama3" needs low_freq_factor, high_freq_factor, original_max_position_embeddings' },
    { name: 'scaling fields without scaling', options: { scaling_factor: 8 }, message: 'scaling_factor only apply with scaling "linear" or "llama3", but scaling is "none"' },
    { name: 'linear scaling without a factor', options: { scaling: 'linear' }, message: 'rope: scaling "linear" needs scaling_factor' },
    { name: 'llama3 fields with linear scaling', options: { scaling: 'linear', scaling_factor: 8, low_freq_factor: 1 }, message: 'low_freq_factor only apply with scaling "llama3", but scaling is "linear"' },
    { name: 'high below low frequency factor', options: { ...llama31, high_freq_factor: 1, low_freq_factor: 4 }, message: 'high_freq_factor (1) must be greater than low_freq_factor (4)' },
    { name: 'an unknown pairing', options: { pairing: 'neox' }, message: 'position.pairing must be one of "half", "interleaved"' },
  ],
});

function rotateWith(options: Partial<RopeOptions>, q: Tensor, k: Tensor, start: number): [Float32Array, Float32Array] {
  const resolved = resolveOptions(rope, options) as RopeOptions;
  const [headDim, heads, kvHeads] = [q.shape[3] as number, q.shape[1] as number, k.shape[1] as number];
  const ctx = makeContext(testDims({ d_model: heads * headDim, n_heads: heads, n_kv_heads: kvHeads, head_dim: headDim }));
  const [qOut, kOut] = rope.rotate!(q, k, start, resolved, ctx);
  const values: [Float32Array, Float32Array] = [qOut.dataSync() as Float32Array, kOut.dataSync() as Float32Array];
  tf.dispose([qOut, kOut]);
  return values;
}

describe('rope', () => {
  useCpuBackend();

  it('makes q.k depend on relative position only', () => {
    const rng = new Rng(5);
    const qBHTK = randomTensor([1, 1, 1, 8], rng);
    const kBGTK = randomTensor([1, 1, 1, 8], rng);
    const dot = (qStart: number, kStart: number) => {
      const [q] = rotateWith({}, qBHTK, kBGTK, qStart);
      const [, k] = rotateWith({}, qBHTK, kBGTK, kStart);
      return q.reduce((sum, value, i) => sum + value * k[i], 0);
    };
    expect(dot(5, 2)).toBeCloseTo(dot(13, 10), 4);
    expect(dot(5, 2)).not.toBeCloseTo(dot(5, 4), 2);
    tf.dispose([qBHTK, kBGTK]);
  });

  it('maps interleaved to half pairing by a fixed permutation', () => {
    // Head dim order [0, 2, 4, 6, 1, 3, 5, 7] turns interleaved pairs into half-split pairs, the
    // row permutation HF applies to q/k weights when converting Meta LLaMA checkpoints.
    const permutation = [0, 2, 4, 6, 1, 3, 5, 7];
    const rng = new Rng(6);
    const q = randomTensor([1, 2, 3, 8], rng);
    const k = randomTensor([1, 1, 3, 8], rng);
    const index = tf.tensor1d(permutation, 'int32');
    const [qPermuted, kPermuted] = [tf.gather(q, index, 3), tf.gather(k, index, 3)];
    const [qInterleaved] = rotateWith({ pairing: 'interleaved' }, q, k, 4);
    const [qHalf] = rotateWith({ pairing: 'half' }, qPermuted, kPermuted, 4);
    const qInterleavedPermuted = tf.tidy(() => tf.gather(tf.tensor(qInterleaved, [1, 2, 3, 8]), index, 3).dataSync());
    expect(Array.from(qHalf)).toEqual(Array.from(qInterleavedPermuted));
    tf.dispose([q, k, index, qPermuted, kPermuted]);
  });

  it('passes the dims past the rotary fraction through', () => {
    const rng = new Rng(7);
    const q = randomTensor([1, 1, 2, 8], rng);
    const [rotated] = rotateWith({ rotary_fraction: 0.25 }, q, q, 3);
    const original = q.dataSync();
    for (let t = 0; t < 2; t++) {
      expect(Array.from(rotated.slice(t * 8 + 2, t * 8 + 8))).toEqual(Array.from(original.slice(t * 8 + 2, t * 8 + 8)));
      expect(rotated[t * 8]).not.toBe(original[t * 8]);
    }
    q.dispose();
  });

  it('rejects an odd head dim at call time', () => {
    const q = tf.zeros([1, 1, 2, 6]);
    const options = resolveOptions(rope, { rotary_fraction: 0.5 }) as RopeOptions;
    expect(() => rope.rotate!(q, q, 0, options, makeContext(testDims()))).toThrow(ArchzooError);
    expect(() => rope.rotate!(q, q, 0, options, makeContext(testDims()))).toThrow('rotary dimension (3 = head_dim 6 x rotary_fraction 0.5)');
    q.dispose();
  });
});

describe('rope tables', () => {
  it('computes theta^(-2i/R)', () => {
    expect(Array.from(ropeInverseFrequencies(4, 10000))).toEqual([1, 0.01]);
  });

  it('scales the three Llama 3.1 bands', () => {
    const plain = ropeInverseFrequencies(8, 500000);
    const scaled = ropeInverseFrequencies(8, 500000, { type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 });
    // Wavelengths 6.3 and 167 are below 8192 / 4 = 2048, so they are kept.
    expect(scaled[0]).toBe(plain[0]);
    expect(scaled[1]).toBe(plain[1]);
    // Wavelength 4443 lies between 2048 and 8192: smoothed, with smooth = (8192 / 4443 - 1) / 3.
    const smooth = (8192 / ((2 * Math.PI) / plain[2]) - 1) / 3;
    expect(scaled[2]).toBeCloseTo((1 - smooth) * (plain[2] / 8) + smooth * plain[2], 15);
    // Wavelength 118000 is above 8192: divided by the factor 8.
    expect(scaled[3]).toBeCloseTo(plain[3] / 8, 18);
  });

  it('divides every frequency for linear scaling', () => {
    expect(Array.from(ropeInverseFrequencies(4, 10000, { type: 'linear', factor: 4 }))).toEqual([0.25, 0.0025]);
  });

  it('returns the cached tables for the same positions', () => {
    const inverse = ropeInverseFrequencies(4, 10000);
    const first = ropeTables('test', inverse, 3, 2);
    expect(ropeTables('test', inverse, 3, 2)).toBe(first);
    expect(ropeTables('test', inverse, 3, 1)).not.toBe(first);
    expect(Array.from(first.cos.slice(0, 2))).toEqual([Math.fround(Math.cos(2)), Math.fround(Math.cos(0.02))]);
  });
});
