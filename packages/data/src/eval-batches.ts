// Shapes: B batch, T sequence (block size).

import { DataError } from '@archzoo/core';

import { type BatchShape, checkBatchShape, gatherBatch, type TokenBatch } from './batch.js';

export interface EvalBatchOptions extends BatchShape {
  /** Maximum number of batches. Without it, every window is evaluated. */
  readonly maxBatches?: number;
}

/** Number of disjoint windows of T tokens (plus the target after each) in a stream of n tokens. */
export function evalWindowCount(streamLength: number, blockSize: number): number {
  return Math.max(0, Math.floor((streamLength - 1) / blockSize));
}

/**
 * Yields evaluation batches over disjoint windows starting at 0, T, 2T, ... in order, so every
 * call yields the same windows. Each batch is [B, T], except the last, which has fewer rows when the
 * window count is not a multiple of B. Tokens after the last whole window are not evaluated.
 */
export function* evalBatches(tokens: ArrayLike<number>, options: EvalBatchOptions): Generator<TokenBatch> {
  checkBatchShape(options, tokens.length);
  const { batchSize, blockSize } = options;
  const windows = evalWindowCount(tokens.length, blockSize);
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  if (options.maxBatches !== undefined && !(Number.isInteger(maxBatches) && maxBatches >= 0)) {
    throw new DataError(`maxBatches must be a non-negative integer, got ${options.maxBatches}; omit it to evaluate every window`);
  }

  let emitted = 0;
  for (let first = 0; first < windows && emitted < maxBatches; first += batchSize) {
    const offsets: number[] = [];
    for (let window = first; window < Math.min(first + batchSize, windows); window++) {
      offsets.push(window * blockSize);
    }
    yield gatherBatch(tokens, offsets, blockSize);
    emitted += 1;
  }
}
