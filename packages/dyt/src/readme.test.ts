import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Registry } from '@archzoo/core';
import { optionProblems } from '@archzoo/testkit';
import { dyt } from './index.js';

describe('README example', () => {
  it('runs as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain("const registry = new Registry([dyt]);");
    // The statements below are the README example without its imports and console output.
    const registry = new Registry([dyt]);
    const manifest = registry.get('norm', 'dyt');
    const options = { ...manifest.defaults, type: 'dyt' };
    const dims = { vocab_size: 32, d_model: 8, n_layers: 1, n_heads: 2, n_kv_heads: 1, head_dim: 4, d_ff: 16, context_length: 8 };

    expect(manifest).toBe(dyt);
    expect(optionProblems(manifest, options, dims)).toEqual([]);
    expect(() => manifest.params(options, dims)).not.toThrow();
  });
});
