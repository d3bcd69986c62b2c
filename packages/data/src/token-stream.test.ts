import { afterAll, describe, expect, it } from 'vitest';

import { encodeDocuments, tokenDtype } from './token-stream.js';
import { createTokenizer } from './tokenizer.js';

describe('encodeDocuments', () => {
  const gpt2 = createTokenizer('gpt2');
  afterAll(() => gpt2.free());

  it('puts end-of-text between documents only', () => {
    const stream = encodeDocuments(
      [
        { id: 'a', text: 'hello world' },
        { id: 'b', text: 'Hello world' },
      ],
      gpt2,
    );
    expect(stream).toBeInstanceOf(Uint16Array);
    expect(Array.from(stream)).toEqual([31373, 995, 50256, 15496, 995]);
  });

  it('encodes an empty list as an empty stream', () => {
    expect(encodeDocuments([], gpt2)).toHaveLength(0);
  });
});

describe('tokenDtype', () => {
  it('uses 16 bits up to 65536 ids', () => {
    expect(tokenDtype(50257)).toBe('uint16');
    expect(tokenDtype(65536)).toBe('uint16');
    expect(tokenDtype(65537)).toBe('uint32');
    expect(tokenDtype(100277)).toBe('uint32');
  });
});
