// Shapes: B batch, T sequence. Batches are flat row-major [B, T] arrays.
/** Adapts a loaded corpus to the trainer's data interface: seeded random train windows, fixed validation windows. */
import { type Batch, DataError, type TrainData } from '@archzoo/core';
import { BatchSampler, type BatchSamplerState, evalBatches, type LoadedCorpus, type TokenBatch } from '@archzoo/data';

export interface CorpusBatching {
  batchSize: number;
  seqLen: number;
  /** Seed of the train-window sampler. */
  seed: number;
}

function toBatch(batch: TokenBatch, seqLen: number): Batch {
  return { inputs: batch.inputs, targets: batch.targets, batchSize: batch.rows, seqLen };
}

/**
 * Builds the trainer's data source. Train batches are B windows of T tokens at seeded random
 * offsets. Validation batches are the validation stream's disjoint windows in order, so every
 * evaluation uses the same tokens.
 */
export function corpusTrainData(corpus: LoadedCorpus, { batchSize, seqLen, seed }: CorpusBatching): TrainData {
  // Checked here so that a short validation split fails before training, not at the first evaluation.
  if (corpus.val.length < seqLen + 1) {
    throw new DataError(
      `the validation split of ${corpus.source} has ${corpus.val.length} tokens, fewer than seq_len + 1 (${seqLen + 1}); add more text to the data`,
    );
  }
  const sampler = new BatchSampler(corpus.train, { batchSize, blockSize: seqLen, seed });
  return {
    nextTrainBatch: () => toBatch(sampler.next(), seqLen),
    state: () => sampler.state(),
    restore: (state) => sampler.restore(state as BatchSamplerState),
    validationBatches: function* (maxBatches: number) {
      for (const batch of evalBatches(corpus.val, { batchSize, blockSize: seqLen, maxBatches })) yield toBatch(batch, seqLen);
    },
  };
}
