// Legend: B batch (1 here), T sequence, D model width, V vocabulary.
/**
 * Autoregressive generation. With `useCache` (the default), the prompt runs once and every later
 * step feeds one token through per-layer KV caches. Without it, every step recomputes the whole
 * sequence, and tests use that path as the reference for the cached one. Sampling draws from a
 * seeded `Rng`, so a seed fixes the output on any backend whose logits agree.
 */
import { ArchzooError, NumericError } from './errors.js';
import { firstNonFiniteIndex } from './finite.js';
import type { Model, ParamMap } from './model.js';
import { Rng } from './rng.js';
import type { LayerKVCache } from './spec.js';
import { tf, type Tensor } from './tf.js';

export interface GenerateOptions {
  /** Tokens to generate after the prompt, an integer >= 0. */
  maxTokens: number;
  /** Softmax temperature; 0 picks the most likely token (greedy). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens before sampling; 0 or absent keeps all. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p, in (0, 1]. Default 1. */
  topP?: number;
  /** Seed of the sampling generator. Default 0. */
  seed?: number;
  /** Decode incrementally through KV caches (default) or recompute the full sequence each step. */
  useCache?: boolean;
  /** Generation stops after emitting any of these ids. */
  stopTokens?: readonly number[];
  /** Called with each generated id as soon as it is chosen. */
  onToken?(id: number, index: number): void;
}

function checkOptions(model: Model, promptIds: readonly number[], options: GenerateOptions): void {
  const { vocab_size: vocab, context_length: context } = model.config.dims;
  const fail = (message: string): never => {
    throw new ArchzooError(message);
  };
  if (!Number.isInteger(options.maxTokens) || options.maxTokens < 0) fail(`maxTokens must be an integer >= 0, got ${options.maxTokens}`);
  const temperature = options.temperature ?? 1;
  if (!Number.isFinite(temperature) || temperature < 0) fail(`temperature must be a finite number >= 0 (0 is greedy), got ${temperature}`);
  const topK = options.topK ?? 0;
  if (!Number.isInteger(topK) || topK < 0) fail(`topK must be an integer >= 0 (0 keeps every token), got ${topK}`);
  const topP = options.topP ?? 1;
  if (!(topP > 0 && topP <= 1)) fail(`topP must be in (0, 1], got ${topP}`);
  if (promptIds.length === 0) fail('the prompt is empty; pass at least one token id');
  const bad = promptIds.find((id) => !Number.isInteger(id) || id < 0 || id >= vocab);
  if (bad !== undefined) fail(`prompt token id ${bad} is outside the vocabulary [0, ${vocab}); pass ids from the model's tokenizer`);
  if (promptIds.length + options.maxTokens > context) {
    fail(
      `prompt (${promptIds.length} tokens) + maxTokens (${options.maxTokens}) exceeds the model's context_length (${context}); ` +
        `lower maxTokens to at most ${Math.max(0, context - promptIds.length)} or shorten the prompt`,
    );
  }
}

/**
 * Chooses the next token from one row of logits [V]: argmax when `temperature` is 0 (the lowest
 * id wins a tie), else a draw from softmax(logits / temperature) restricted by top-k, then top-p.
 */
export function sampleToken(logitsV: Float32Array, options: Pick<GenerateOptions, 'temperature' | 'topK' | 'topP'>, rng: Rng): number {
  const temperature = options.temperature ?? 1;
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < logitsV.length; i++) if (logitsV[i]! > logitsV[best]!) best = i;
    return best;
  }
  // Candidate ids, most likely first; the stable sort keeps lower ids first among equal logits.
  let ids = Array.from(logitsV.keys()).sort((a, b) => logitsV[b]! - logitsV[a]!);
  const topK = options.topK ?? 0;
  if (topK > 0 && topK < ids.length) ids = ids.slice(0, topK);

  const maxLogit = logitsV[ids[0]!]!;
  let weights = ids.map((id) => Math.exp((logitsV[id]! - maxLogit) / temperature));
  let total = weights.reduce((a, b) => a + b, 0);
  const topP = options.topP ?? 1;
  if (topP < 1) {
    let cumulative = 0;
    let kept = 0;
    while (kept < weights.length && cumulative < topP * total) cumulative += weights[kept++]!;
    ids = ids.slice(0, kept);
    weights = weights.slice(0, kept);
    total = cumulative;
  }

  let draw = rng.nextFloat() * total;
  for (let i = 0; i < ids.length; i++) {
    draw -= weights[i]!;
    if (draw < 0) return ids[i]!;
  }
  return ids[ids.length - 1]!;
}

/** Logits [V] of the last position of `tokensBT` [1, T], read back to the CPU. */
function lastLogits(model: Model, params: ParamMap, tokensBT: Tensor, start: number, caches?: LayerKVCache[]): Float32Array {
  const logitsNV = tf.tidy(() => {
    const { hiddenBTD } = model.forward(params, tokensBT, { start, caches });
    const [, seq, dModel] = hiddenBTD.shape as [number, number, number];
    const lastND = tf.reshape(tf.slice(hiddenBTD, [0, seq - 1, 0], [1, 1, dModel]), [1, dModel]);
    return model.logits(params, lastND);
  });
  const values = logitsNV.dataSync() as Float32Array;
  logitsNV.dispose();
  return values;
}

function logitsOnce(model: Model, params: ParamMap, ids: readonly number[], start: number, caches?: LayerKVCache[]): Float32Array {
  const tokensBT = tf.tensor2d(Int32Array.from(ids), [1, ids.length], 'int32');
  try {
    return lastLogits(model, params, tokensBT, start, caches);
  } finally {
    tokensBT.dispose();
  }
}

/** Raises a NumericError when the logits [V] of position `position` contain NaN or Infinity. */
export function checkFiniteLogits(logitsV: Float32Array, position: number): void {
  const id = firstNonFiniteIndex(logitsV);
  if (id === -1) return;
  throw new NumericError(
    `the logits of position ${position} are ${logitsV[id]} at token id ${id}; the weights are corrupt or overflow float32, so re-download, re-export or retrain them`,
  );
}

/**
 * Generates up to `options.maxTokens` ids after `promptIds` and returns the generated ids (the
 * prompt excluded). Batch size is 1. Every tensor created is disposed before it returns, the KV
 * caches included, and the number of live tensors stays constant from one token to the next.
 * Logits with NaN or Infinity raise a NumericError (see `checkFiniteLogits`).
 *
 * NOTE: prompt plus generated tokens must fit context_length, also for sliding-window and RoPE
 * models that could run past it; longer generation is rejected rather than silently truncated.
 */
export function generate(model: Model, params: ParamMap, promptIds: readonly number[], options: GenerateOptions): number[] {
  checkOptions(model, promptIds, options);
  const rng = new Rng(options.seed ?? 0);
  const stop = new Set(options.stopTokens ?? []);
  const useCache = options.useCache ?? true;
  const sequence = [...promptIds];
  const generated: number[] = [];
  const caches: LayerKVCache[] | undefined = useCache ? model.config.layers.map(() => ({ start: 0 })) : undefined;

  try {
    let logitsV = options.maxTokens > 0 ? logitsOnce(model, params, sequence, 0, caches) : undefined;
    while (logitsV !== undefined) {
      checkFiniteLogits(logitsV, sequence.length - 1);
      const id = sampleToken(logitsV, options, rng);
      generated.push(id);
      sequence.push(id);
      options.onToken?.(id, generated.length - 1);
      if (generated.length >= options.maxTokens || stop.has(id)) break;
      logitsV = caches ? logitsOnce(model, params, [id], sequence.length - 1, caches) : logitsOnce(model, params, sequence, 0);
    }
  } finally {
    for (const cache of caches ?? []) {
      cache.keys?.dispose();
      cache.values?.dispose();
    }
  }
  return generated;
}
