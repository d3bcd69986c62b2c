/**
 * Tensor leak checks: a call that returns its outputs must leave `tf.memory().numTensors`
 * unchanged once those outputs are disposed.
 */
import { tf, type Tensor } from '@archzoo/core';

export interface NoLeakOptions {
  /** Calls made (and cleaned up) before counting, so caches that fill once do not count. Default 1. */
  warmup?: number;
  /** Tensors that may appear in the result but belong to the caller (inputs, parameters); never disposed. */
  keep?: readonly Tensor[];
  /** Name of the call in the error message. */
  label?: string;
}

/** Collects every tensor in a result made of tensors, arrays and plain objects. */
export function collectTensors(value: unknown, into: Set<Tensor> = new Set()): Set<Tensor> {
  if (value instanceof tf.Tensor) {
    into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectTensors(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectTensors(item, into);
  }
  return into;
}

function disposeResult(result: unknown, keep: ReadonlySet<Tensor>): void {
  for (const tensor of collectTensors(result)) {
    if (!keep.has(tensor) && !tensor.isDisposed) tensor.dispose();
  }
}

/**
 * Calls `fn` `warmup` times, then once more, disposing the tensors it returns each time (except
 * those in `keep`), and throws if the live tensor count after the last call differs from the
 * count before it.
 */
export function expectNoLeaks(fn: () => unknown, options: NoLeakOptions = {}): void {
  const keep = new Set(options.keep ?? []);
  for (let i = 0; i < (options.warmup ?? 1); i++) disposeResult(fn(), keep);
  const before = tf.memory().numTensors;
  disposeResult(fn(), keep);
  const after = tf.memory().numTensors;
  if (after !== before) {
    const label = options.label ?? 'call';
    throw new Error(`${label} leaked ${after - before} tensor(s): tf.memory().numTensors was ${before} before and ${after} after; wrap intermediate work in tf.tidy or dispose it`);
  }
}
