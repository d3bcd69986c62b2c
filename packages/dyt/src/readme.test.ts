import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Registry, tf } from '@archzoo/core';
import { useCpuBackend } from '@archzoo/testkit';
import { dyt } from './index.js';

describe('README example', () => {
  useCpuBackend();

  it('runs as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain("const params = { alpha: tf.tensor1d([0.5]), weight: tf.ones([4]), bias: tf.zeros([4]) };");
    // The statements below are the README example without its imports and console output.
    const registry = new Registry([dyt]);
    const manifest = registry.get('norm', 'dyt');
    const options = { ...dyt.defaults, type: 'dyt' };
    const dims = { vocab_size: 32, d_model: 4, n_layers: 1, n_heads: 1, n_kv_heads: 1, head_dim: 4, d_ff: 16, context_length: 8 };
    const params = { alpha: tf.tensor1d([0.5]), weight: tf.ones([4]), bias: tf.zeros([4]) };
    const x = tf.tensor3d([[[1, 2, 3, 4]]]);
    const y = manifest.apply(params, x, options, { dims, layer: 0, training: false });

    expect(manifest.params(options, dims).map((spec) => spec.name)).toEqual(['alpha', 'weight', 'bias']);
    const values = Array.from(y.dataSync());
    [1, 2, 3, 4].forEach((value, i) => expect(values[i]).toBeCloseTo(Math.tanh(0.5 * value), 6));
    tf.dispose([...Object.values(params), x, y]);
  });
});
