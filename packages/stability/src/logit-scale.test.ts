import { describe, expect, it } from 'vitest';
import { describeConformance, resolveOptions, testDims } from '@archzoo/testkit';
import { logitScale, type LogitScaleOptions } from './logit-scale.js';

describeConformance(logitScale, {
  cases: [{ name: 'Command R scale 0.0625' }, { name: 'Command R+ scale 0.8333', options: { scale: 0.8333 } }],
  golden: { fixture: new URL('./__fixtures__/logit_scale.json', import.meta.url) },
  invalid: [
    { name: 'a negative scale', options: { scale: -0.0625 }, message: 'stability.scale must be > 0' },
    { name: 'scale 0', options: { scale: 0 }, message: 'stability.scale must be > 0' },
  ],
});

describe('logit_scale', () => {
  it('defaults to 0.0625', () => {
    expect(resolveOptions(logitScale, {})).toEqual({ type: 'logit_scale', scale: 0.0625 });
  });

  it('declares no parameters', () => {
    expect(logitScale.params(resolveOptions(logitScale, {}) as LogitScaleOptions, testDims())).toEqual([]);
  });
});
