// Shapes: B batch, T sequence (block size).

import { DataError, Rng } from '@archzoo/core';

import { type BatchShape, checkBatchShape, gatherBatch, type TokenBatch } from './batch.js';

/** Sampler state for checkpoints: restoring it replays the exact same batches. */
export interface BatchSamplerState {
  /** The four 32-bit words of the sfc32 generator. */
  readonly rng: number[];
  /** Number of batches drawn so far. */
  readonly step: number;
}

export interface BatchSamplerOptions extends BatchShape {
  /** Seed of the generator that draws window offsets. */
  readonly seed: number;
}

/**
 * Draws training batches of B windows at uniformly random offsets in `[0, n - T - 1]` of a
 * token stream, as nanoGPT's `get_batch` does. The offsets depend only on the seed and the
 * number of batches drawn.
 */
export class BatchSampler {
  readonly batchSize: number;
  readonly blockSize: number;
  private readonly tokens: ArrayLike<number>;
  private rng: Rng;
  private stepCount = 0;

  constructor(tokens: ArrayLike<number>, options: BatchSamplerOptions) {
    checkBatchShape(options, tokens.length);
    this.tokens = tokens;
    this.batchSize = options.batchSize;
    this.blockSize = options.blockSize;
    this.rng = new Rng(options.seed);
  }

  /** Number of batches drawn so far. */
  get step(): number {
    return this.stepCount;
  }

  /** Draws the next batch: [B, T] inputs and targets. */
  next(): TokenBatch {
    const offsetCount = this.tokens.length - this.blockSize;
    const offsets: number[] = [];
    for (let row = 0; row < this.batchSize; row++) offsets.push(this.rng.nextInt(offsetCount));
    this.stepCount += 1;
    return gatherBatch(this.tokens, offsets, this.blockSize);
  }

  state(): BatchSamplerState {
    return { rng: this.rng.state(), step: this.stepCount };
  }

  /** Restores a state returned by `state()`, so the next batch is the one that followed it. */
  restore(state: BatchSamplerState): void {
    const words = state?.rng;
    // Rng.state() may return a word as a signed 32-bit value, so both ranges are accepted.
    const isWord = (word: number): boolean => Number.isInteger(word) && word >= -(2 ** 31) && word < 2 ** 32;
    const validWords = Array.isArray(words) && words.length === 4 && words.every(isWord);
    if (!validWords || !(Number.isInteger(state.step) && state.step >= 0)) {
      throw new DataError(
        `sampler state must be { rng: four 32-bit integers, step: a count }, got ${JSON.stringify(state)}; ` +
          'pass a value returned by state()',
      );
    }
    this.rng = new Rng(words);
    this.stepCount = state.step;
  }
}
