import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Registry, tf } from '@archzoo/core';
import { useCpuBackend } from '@archzoo/testkit';
import { norms, rmsnorm } from './index.js';

describe('README example', () => {
  useCpuBackend();

  it('runs as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain("const options = { ...rmsnorm.defaults, type: 'rmsnorm', unit_offset: true };");
    // The statements below are the README example without its imports and console output.
    const registry = new Registry([...norms]);
    const manifest = registry.get('norm', 'rmsnorm');
    const options = { ...rmsnorm.defaults, type: 'rmsnorm', unit_offset: true };
    const dims = { vocab_size: 32, d_model: 4, n_layers: 1, n_heads: 1, n_kv_heads: 1, head_dim: 4, d_ff: 16, context_length: 8 };
    const weight = tf.zeros([4]);
    const x = tf.tensor3d([[[1, 2, 3, 4]]]);
    const y = manifest.apply({ weight }, x, options, { dims, layer: 0, training: false });

    expect(manifest.params(options, dims).map((spec) => spec.name)).toEqual(['weight']);
    const rms = Math.sqrt((1 + 4 + 9 + 16) / 4 + 1e-6);
    const values = Array.from(y.dataSync());
    [1, 2, 3, 4].forEach((value, i) => expect(values[i]).toBeCloseTo(value / rms, 6));
    tf.dispose([weight, x, y]);
  });
});
