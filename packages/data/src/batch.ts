// Shapes: B batch, T sequence (block size). Batches are flat row-major [B, T] arrays.

import { DataError } from '@archzoo/core';

/** A language-modelling batch: `targets[b, t]` is the token after `inputs[b, t]`. */
export interface TokenBatch {
  /** Number of rows B in this batch. */
  readonly rows: number;
  /** [B, T] token ids. */
  readonly inputs: Int32Array;
  /** [B, T] next-token ids. */
  readonly targets: Int32Array;
}

/** Batch and window sizes. */
export interface BatchShape {
  /** B: rows per batch. */
  readonly batchSize: number;
  /** T: tokens per row. */
  readonly blockSize: number;
}

/** Rejects non-integer or non-positive sizes and streams with fewer than T + 1 tokens. */
export function checkBatchShape(shape: BatchShape, streamLength: number): void {
  for (const [name, value] of Object.entries({ batchSize: shape.batchSize, blockSize: shape.blockSize })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new DataError(`${name} must be a positive integer, got ${value}; pass e.g. ${name}: 8`);
    }
  }
  if (streamLength < shape.blockSize + 1) {
    throw new DataError(
      `token stream has ${streamLength} tokens, fewer than blockSize + 1 (${shape.blockSize + 1}); ` +
        `use a smaller blockSize or more data`,
    );
  }
}

/** Copies the windows starting at `offsets` into a batch: [B] offsets -> [B, T] inputs and targets. */
export function gatherBatch(tokens: ArrayLike<number>, offsets: readonly number[], blockSize: number): TokenBatch {
  const rows = offsets.length;
  const inputs = new Int32Array(rows * blockSize);
  const targets = new Int32Array(rows * blockSize);
  offsets.forEach((offset, row) => {
    const base = row * blockSize;
    for (let t = 0; t < blockSize; t++) {
      inputs[base + t] = tokens[offset + t];
      targets[base + t] = tokens[offset + t + 1];
    }
  });
  return { rows, inputs, targets };
}
