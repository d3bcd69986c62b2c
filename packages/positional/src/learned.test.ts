import { describe, expect, it } from 'vitest';
import { ArchzooError, tf } from '@archzoo/core';
import { describeConformance, makeContext, resolveOptions, testDims, useCpuBackend } from '@archzoo/testkit';
import { learned, type LearnedOptions } from './learned.js';

describeConformance(learned, {
  cases: [
    { name: 'from position 0' },
    { name: 'up to the last position', seq: 4, start: 12 },
  ],
  golden: { fixture: new URL('./__fixtures__/learned.json', import.meta.url) },
  invalid: [{ name: 'an unknown option', options: { max_len: 4 }, message: 'position.max_len is not an option of "learned"' }],
});

describe('learned', () => {
  useCpuBackend();
  const dims = testDims({ d_model: 4, context_length: 6 });
  const options = resolveOptions(learned, {}) as LearnedOptions;

  it('declares a decayed table of context_length rows', () => {
    expect(learned.params(options, dims)).toEqual([{ name: 'weight', shape: [6, 4], init: { kind: 'normal' }, decay: true }]);
  });

  it('rejects positions past the table', () => {
    const weight = tf.zeros([6, 4]);
    const x = tf.zeros([1, 3, 4]);
    const embed = () => learned.embed!({ weight }, x, 4, options, makeContext(dims));
    expect(embed).toThrow(ArchzooError);
    expect(embed).toThrow('learned positions 4..6 are outside the table of context_length 6');
    tf.dispose([weight, x]);
  });
});
