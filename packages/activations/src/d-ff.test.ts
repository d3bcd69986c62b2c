import { ConfigError } from '@archzoo/core';
import { describe, expect, it } from 'vitest';
import { dFfFromRule } from './d-ff.js';

describe('dFfFromRule', () => {
  it('reproduces LLaMA-7B d_ff 11008', () => {
    // LLaMA 7B: dim 4096 and multiple_of 256 give intermediate_size 11008.
    expect(dFfFromRule({ rule: '8/3', multiple_of: 256 }, 4096)).toBe(11008);
  });

  it('reproduces Llama 3 8B d_ff 14336', () => {
    // Llama 3 8B: dim 4096, multiple_of 1024 and ffn_dim_multiplier 1.3 give intermediate_size 14336.
    expect(dFfFromRule({ rule: '8/3', multiple_of: 1024, multiplier: 1.3 }, 4096)).toBe(14336);
  });

  it('reproduces Llama 2 70B d_ff 28672', () => {
    // Llama 2 70B: dim 8192, multiple_of 4096 and ffn_dim_multiplier 1.3 give intermediate_size 28672.
    expect(dFfFromRule({ rule: '8/3', multiple_of: 4096, multiplier: 1.3 }, 8192)).toBe(28672);
  });

  it('rejects a non-positive multiplier', () => {
    expect(() => dFfFromRule({ rule: '8/3', multiplier: 0 }, 64)).toThrow('multiplier must be a positive number, got 0');
  });

  it('gives 4 * d_model for the 4x rule', () => {
    expect(dFfFromRule({ rule: '4x' }, 768)).toBe(3072);
  });

  it('floors 8/3 without rounding', () => {
    expect(dFfFromRule({ rule: '8/3' }, 64)).toBe(170);
  });

  it('rounds up to multiple_of', () => {
    expect(dFfFromRule({ rule: '8/3', multiple_of: 32 }, 64)).toBe(192);
  });

  it('rejects a non-positive multiple_of', () => {
    expect(() => dFfFromRule({ rule: '4x', multiple_of: 0 }, 64)).toThrow(ConfigError);
    expect(() => dFfFromRule({ rule: '4x', multiple_of: 0 }, 64)).toThrow('multiple_of must be a positive integer, got 0');
  });
});
