import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Registry, tf } from '@archzoo/core';
import { useCpuBackend } from '@archzoo/testkit';
import { positional, rope } from './index.js';

describe('README example', () => {
  useCpuBackend();

  it('runs as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain("const options = { ...rope.defaults, type: 'rope', pairing: 'interleaved', rotary_fraction: 0.5 };");
    // The statements below are the README example without its imports and console output.
    const registry = new Registry([...positional]);
    const manifest = registry.get('position', 'rope');
    const options = { ...rope.defaults, type: 'rope', pairing: 'interleaved', rotary_fraction: 0.5 };
    const dims = { vocab_size: 32, d_model: 16, n_layers: 1, n_heads: 2, n_kv_heads: 1, head_dim: 8, d_ff: 32, context_length: 16 };
    const q = tf.ones([1, 2, 3, 8]);
    const k = tf.ones([1, 1, 3, 8]);
    const [qRotated, kRotated] = manifest.rotate!(q, k, 0, options, { dims, layer: 0, training: false });

    expect(manifest.validate?.(options, dims)).toEqual([]);
    expect(qRotated.shape).toEqual([1, 2, 3, 8]);
    expect(kRotated.shape).toEqual([1, 1, 3, 8]);
    tf.dispose([q, k, qRotated, kRotated]);
  });
});
