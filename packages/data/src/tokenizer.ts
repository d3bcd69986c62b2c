import { createRequire } from 'node:module';

import { DataError } from '@archzoo/core';
import { Tiktoken } from 'tiktoken/lite';

/** The tiktoken encodings archzoo supports, with `gpt2` as the default. */
export const TOKENIZER_NAMES = ['gpt2', 'cl100k_base', 'o200k_base'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];
export const DEFAULT_TOKENIZER: TokenizerName = 'gpt2';

/** A byte-pair-encoding tokenizer backed by a WebAssembly tiktoken encoder. Call `free()` when done. */
export interface Tokenizer {
  readonly name: TokenizerName;
  /** Number of token ids, special tokens included (every id is below this). */
  readonly vocabSize: number;
  /** Id of `<|endoftext|>`, written between documents. */
  readonly eotToken: number;
  /** Encodes text as ordinary text: a literal `<|endoftext|>` in it is not mapped to `eotToken`. */
  encode(text: string): Uint32Array;
  /** Decodes ids to text. A byte sequence cut inside a UTF-8 character decodes to U+FFFD. */
  decode(ids: ArrayLike<number>): string;
  /** Releases the WebAssembly memory of the encoder. Any later call other than `free()` throws. */
  free(): void;
}

interface EncoderFile {
  explicit_n_vocab?: number;
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
}

export function isTokenizerName(name: string): name is TokenizerName {
  return (TOKENIZER_NAMES as readonly string[]).includes(name);
}

/** Checks a tokenizer name, raising a DataError that lists the valid names. */
export function parseTokenizerName(name: string): TokenizerName {
  if (!isTokenizerName(name)) {
    throw new DataError(`unknown tokenizer '${name}'; use one of: ${TOKENIZER_NAMES.join(', ')}`);
  }
  return name;
}

/**
 * Creates a tiktoken tokenizer from the encoder tables that ship inside the `tiktoken` package
 * (no network access). Only the requested encoding is loaded.
 */
export function createTokenizer(name: string = DEFAULT_TOKENIZER): Tokenizer {
  const tokenizerName = parseTokenizerName(name);
  const require = createRequire(import.meta.url);
  const encoderFile = require(`tiktoken/encoders/${tokenizerName}.json`) as EncoderFile;

  const eotToken = encoderFile.special_tokens['<|endoftext|>'];
  // Special tokens follow the ranked tokens, so the largest special id bounds the vocabulary.
  const vocabSize = encoderFile.explicit_n_vocab ?? Math.max(...Object.values(encoderFile.special_tokens)) + 1;
  let encoder: Tiktoken | undefined = new Tiktoken(
    encoderFile.bpe_ranks,
    encoderFile.special_tokens,
    encoderFile.pat_str,
  );
  const textDecoder = new TextDecoder('utf-8');

  const live = (): Tiktoken => {
    if (encoder === undefined) throw new Error(`tokenizer '${tokenizerName}' was used after free()`);
    return encoder;
  };

  return {
    name: tokenizerName,
    vocabSize,
    eotToken,
    encode: (text) => live().encode_ordinary(text),
    decode: (ids) => textDecoder.decode(live().decode(Uint32Array.from(ids))),
    free: () => {
      encoder?.free();
      encoder = undefined;
    },
  };
}

/** Runs `work` with a new tokenizer and frees the tokenizer afterwards, also when `work` throws. */
export async function withTokenizer<Result>(
  name: string,
  work: (tokenizer: Tokenizer) => Result | Promise<Result>,
): Promise<Result> {
  const tokenizer = createTokenizer(name);
  try {
    return await work(tokenizer);
  } finally {
    tokenizer.free();
  }
}
