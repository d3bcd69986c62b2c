import type { TextDocument } from './text-document.js';
import type { Tokenizer } from './tokenizer.js';

/** A token stream: 16-bit ids when every id fits (vocabulary of at most 65536), else 32-bit. */
export type TokenArray = Uint16Array | Uint32Array;
export type TokenDtype = 'uint16' | 'uint32';

/** Returns the narrowest unsigned dtype that can store every id below `vocabSize`. */
export function tokenDtype(vocabSize: number): TokenDtype {
  return vocabSize <= 65536 ? 'uint16' : 'uint32';
}

export function allocateTokens(dtype: TokenDtype, length: number): TokenArray {
  return dtype === 'uint16' ? new Uint16Array(length) : new Uint32Array(length);
}

/**
 * Encodes documents into one stream with `tokenizer.eotToken` between consecutive documents
 * (none before the first or after the last).
 */
export function encodeDocuments(documents: readonly TextDocument[], tokenizer: Tokenizer): TokenArray {
  const encoded = documents.map((document) => tokenizer.encode(document.text));
  const separators = Math.max(0, encoded.length - 1);
  const length = encoded.reduce((sum, ids) => sum + ids.length, separators);

  const stream = allocateTokens(tokenDtype(tokenizer.vocabSize), length);
  let offset = 0;
  encoded.forEach((ids, index) => {
    if (index > 0) stream[offset++] = tokenizer.eotToken;
    stream.set(ids, offset);
    offset += ids.length;
  });
  return stream;
}
