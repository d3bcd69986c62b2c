import { describe, expect, it } from 'vitest';
import { describeConformance, testDims } from '@archzoo/testkit';
import { none } from './none.js';

describeConformance(none, {
  cases: [{ name: 'defaults' }],
  invalid: [{ name: 'an option', options: { theta: 10000 }, message: 'position.theta is not an option of "none"' }],
});

describe('none', () => {
  it('has no calls', () => {
    expect([none.embed, none.rotate, none.bias]).toEqual([undefined, undefined, undefined]);
  });

  it('declares no parameters', () => {
    expect(none.params({ type: 'none' }, testDims())).toEqual([]);
  });
});
