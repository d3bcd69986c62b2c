/**
 * Memory profile of a training run: live tensors, tensor bytes and process memory sampled
 * between steps, to show that a training loop neither leaks tensors nor grows the process.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { tf, type Trainer } from '@archzoo/core';

/** One sample, taken after a step (and its evaluation) and after a full garbage collection. */
export interface MemorySample {
  step: number;
  numTensors: number;
  tensorBytes: number;
  /** Resident set size of the process, bytes. */
  rss: number;
  /** V8 heap in use, bytes. */
  heapUsed: number;
  /** ArrayBuffer memory outside the V8 heap (typed-array storage of tensors), bytes. */
  arrayBuffers: number;
}

export interface MemoryProfile {
  samples: MemorySample[];
  /** Live tensors at the last sample minus the first one. */
  tensorGrowth: number;
  /** Tensor bytes at the last sample minus the first one. */
  tensorByteGrowth: number;
  /** Least-squares slope of the resident set size, bytes per 1,000 steps. */
  rssSlopePer1000Steps: number;
  /** Least-squares slope of V8 heap plus ArrayBuffer memory, bytes per 1,000 steps. */
  heapSlopePer1000Steps: number;
  /** Whether a full garbage collection ran before each sample. */
  collected: boolean;
}

export interface MemoryProfileOptions {
  /** Sample after every this many steps. Default 10. */
  every?: number;
  /** Steps before the first sample, so caches and allocator pools that fill once do not count. Default 2 * every. */
  warmup?: number;
}

/** Returns the global `gc` function, exposing it when Node was started without --expose-gc. */
function garbageCollector(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

function slopePer1000(points: ReadonlyArray<[number, number]>): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? 0 : (1000 * covariance) / variance;
}

/**
 * Runs `trainer` for its configured steps and samples memory after every `every` steps from
 * the end of the warm-up on. The trainer is not disposed.
 */
export async function profileTrainingMemory(trainer: Trainer, options: MemoryProfileOptions = {}): Promise<MemoryProfile> {
  const every = options.every ?? 10;
  const warmup = options.warmup ?? 2 * every;
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`every must be a positive integer, got ${every}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new RangeError(`warmup must be a non-negative integer, got ${warmup}`);
  const gc = garbageCollector();
  const samples: MemorySample[] = [];
  await trainer.run({
    afterStep(step) {
      if (step < warmup || (step - warmup) % every !== 0) return;
      gc?.();
      const { numTensors, numBytes } = tf.memory();
      const usage = process.memoryUsage();
      samples.push({ step, numTensors, tensorBytes: numBytes, rss: usage.rss, heapUsed: usage.heapUsed, arrayBuffers: usage.arrayBuffers });
    },
  });
  const first = samples[0];
  const last = samples[samples.length - 1];
  return {
    samples,
    tensorGrowth: first && last ? last.numTensors - first.numTensors : 0,
    tensorByteGrowth: first && last ? last.tensorBytes - first.tensorBytes : 0,
    rssSlopePer1000Steps: slopePer1000(samples.map((s) => [s.step, s.rss])),
    heapSlopePer1000Steps: slopePer1000(samples.map((s) => [s.step, s.heapUsed + s.arrayBuffers])),
    collected: gc !== undefined,
  };
}
