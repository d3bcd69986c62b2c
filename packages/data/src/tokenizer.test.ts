import { DataError } from '@archzoo/core';
import { afterAll, describe, expect, it } from 'vitest';

import { createTokenizer, parseTokenizerName, TOKENIZER_NAMES, withTokenizer } from './tokenizer.js';

describe('gpt2 tokenizer', () => {
  const gpt2 = createTokenizer('gpt2');
  afterAll(() => gpt2.free());

  it('encodes known ids', () => {
    // tiktoken's own Python test suite asserts "hello world" -> [31373, 995] in
    // tests/test_encoding.py, test_simple. "Hello world" -> [15496, 995] is the widely quoted
    // GPT-2 example, with the same " world" token.
    expect(Array.from(gpt2.encode('hello world'))).toEqual([31373, 995]);
    expect(Array.from(gpt2.encode('Hello world'))).toEqual([15496, 995]);
  });

  it('reports vocabulary and end of text', () => {
    expect(gpt2.name).toBe('gpt2');
    expect(gpt2.vocabSize).toBe(50257);
    expect(gpt2.eotToken).toBe(50256);
  });

  it('round-trips unicode text', () => {
    const text = 'Größe — naïve café 😀\n\ttabs and  spaces';
    expect(gpt2.decode(gpt2.encode(text))).toBe(text);
  });

  it('encodes a literal end-of-text marker as text', () => {
    const ids = Array.from(gpt2.encode('a<|endoftext|>b'));
    expect(ids).not.toContain(50256);
    expect(gpt2.decode(ids)).toBe('a<|endoftext|>b');
  });

  it('decodes the end-of-text id', () => {
    expect(gpt2.decode([31373, 50256])).toBe('hello<|endoftext|>');
  });
});

describe('other encodings', () => {
  it('cl100k_base encodes known ids', async () => {
    // Same source as the gpt2 ids: tiktoken's tests/test_encoding.py, test_simple.
    const ids = await withTokenizer('cl100k_base', (tokenizer) => {
      expect(tokenizer.vocabSize).toBe(100277);
      expect(tokenizer.eotToken).toBe(100257);
      return Array.from(tokenizer.encode('hello world'));
    });
    expect(ids).toEqual([15339, 1917]);
  });

  it('o200k_base round-trips and reports its vocabulary', async () => {
    await withTokenizer('o200k_base', (tokenizer) => {
      expect(tokenizer.vocabSize).toBe(200019);
      expect(tokenizer.eotToken).toBe(199999);
      expect(tokenizer.decode(tokenizer.encode('hello world'))).toBe('hello world');
    });
  });
});

describe('tokenizer errors', () => {
  it('rejects an unknown name with the valid ones', () => {
    expect(() => createTokenizer('gpt-2')).toThrow(DataError);
    expect(() => parseTokenizerName('llama')).toThrow(
      "unknown tokenizer 'llama'; use one of: gpt2, cl100k_base, o200k_base",
    );
    expect(TOKENIZER_NAMES).toEqual(['gpt2', 'cl100k_base', 'o200k_base']);
  });

  it('rejects use after free', () => {
    const tokenizer = createTokenizer('gpt2');
    tokenizer.free();
    tokenizer.free();
    expect(() => tokenizer.encode('x')).toThrow("tokenizer 'gpt2' was used after free()");
  });

  it('frees after work that throws', async () => {
    await expect(
      withTokenizer('gpt2', () => {
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
  });
});
