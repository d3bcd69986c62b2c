import { ConfigError } from '@archzoo/core';
import { describe, expect, it } from 'vitest';
import { dFfFromRule } from './d-ff.js';

describe('dFfFromRule', () => {
  it('reproduces LLaMA-7B d_ff 11008', () => {
    // Meta LLaMA 7B: d_model 4096, multiple_of 256, hidden 11008 (params.json and HF config).
    expect(dFfFromRule({ rule: '8/3', multiple_of: 256 }, 4096)).toBe(11008);
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
