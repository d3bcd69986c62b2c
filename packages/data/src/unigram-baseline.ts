import { DataError } from '@archzoo/core';

/** Loss floors that any language model should beat on a validation stream. */
export interface UnigramBaseline {
  /**
   * Cross-entropy, in nats per token, of the validation tokens under the unigram distribution
   * estimated on the train tokens with add-one (Laplace) smoothing over the whole vocabulary:
   * `p(v) = (count_train(v) + 1) / (N_train + V)`. This is the loss a model that ignores
   * context entirely would reach, so it is the baseline to compare `val/loss` with.
   */
  readonly crossEntropyNats: number;
  /**
   * Entropy, in nats per token, of the validation tokens' own empirical unigram distribution:
   * the lowest loss any context-free model could reach on them, even one fitted to them.
   */
  readonly valEntropyNats: number;
  /** `exp(crossEntropyNats)`. */
  readonly perplexity: number;
  readonly trainTokens: number;
  readonly valTokens: number;
  readonly vocabSize: number;
}

function countTokens(tokens: ArrayLike<number>, vocabSize: number, split: string): Float64Array {
  const counts = new Float64Array(vocabSize);
  for (let index = 0; index < tokens.length; index++) {
    const id = tokens[index];
    if (!(id >= 0 && id < vocabSize && Number.isInteger(id))) {
      throw new DataError(
        `${split} token ${index} is ${id}, outside the vocabulary [0, ${vocabSize}); pass the tokenizer's vocabSize`,
      );
    }
    counts[id] += 1;
  }
  return counts;
}

/** Computes the unigram baselines of a validation stream given a train stream and vocabulary size V. */
export function unigramBaseline(
  trainTokens: ArrayLike<number>,
  valTokens: ArrayLike<number>,
  vocabSize: number,
): UnigramBaseline {
  if (!(Number.isInteger(vocabSize) && vocabSize > 0)) {
    throw new DataError(`vocabSize must be a positive integer, got ${vocabSize}; pass the tokenizer's vocabSize`);
  }
  if (valTokens.length === 0) {
    throw new DataError('validation stream is empty, so its loss is undefined; hold out more data');
  }
  const trainCounts = countTokens(trainTokens, vocabSize, 'train');
  const valCounts = countTokens(valTokens, vocabSize, 'validation');

  const denominator = trainTokens.length + vocabSize;
  const valCount = valTokens.length;
  let crossEntropySum = 0;
  let entropySum = 0;
  for (let id = 0; id < vocabSize; id++) {
    const count = valCounts[id];
    if (count === 0) continue;
    crossEntropySum -= count * Math.log((trainCounts[id] + 1) / denominator);
    const share = count / valCount;
    entropySum -= share * Math.log(share);
  }

  const crossEntropyNats = crossEntropySum / valCount;
  return {
    crossEntropyNats,
    valEntropyNats: entropySum,
    perplexity: Math.exp(crossEntropyNats),
    trainTokens: trainTokens.length,
    valTokens: valCount,
    vocabSize,
  };
}
