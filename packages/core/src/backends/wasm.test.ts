// Legend: B batch, T sequence, D model width, F FFN width, V vocabulary.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';

import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backend.js';
import { resolveConfig } from '../config.js';
import { BackendError } from '../errors.js';
import { testConfig, testPlugins } from '../__fixtures__/plugins.js';
import { Model } from '../model.js';
import { Registry } from '../registry.js';
import { Rng } from '../rng.js';
import { tf } from '../tf.js';
import { Trainer, type Batch, type TrainConfig } from '../train.js';
import { activateWasm, threadedWasmFiles, threadedWasmUnavailable, wasmThreadCount, wasmThreadsUnsupported, WASM_MAX_THREADS } from './wasm.js';

// The threaded tests are skipped where the engine lacks shared memory or SIMD. The fallback test still runs.
const unsupported = await wasmThreadsUnsupported();

// D 32, F 64, V 64 and B x T = 4 x 16 give matrix products of 64 rows, enough for XNNPACK to
// split each one across two threads.
const config = resolveConfig({ ...testConfig, vocab_size: 64, d_model: 32, d_ff: 64, context_length: 16 }, new Registry(testPlugins));

const trainConfig: TrainConfig = {
  steps: 5,
  batch_size: 4,
  seq_len: 16,
  grad_accum_steps: 1,
  lr: 1e-2,
  min_lr: 1e-3,
  warmup_steps: 1,
  schedule: 'cosine',
  weight_decay: 0.1,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  grad_clip: 1,
  eval_interval: 0,
  eval_batches: 1,
  log_interval: 1,
  seed: 7,
};

/** Trains `config` for 5 steps on a seeded stream whose target is the next token id, and returns the losses. */
async function trainLosses(): Promise<number[]> {
  const rng = new Rng(11);
  const data = {
    nextTrainBatch: (): Batch => {
      const inputs = new Int32Array(4 * 16).map(() => rng.nextInt(64));
      return { inputs, targets: inputs.map((token) => (token + 1) % 64), batchSize: 4, seqLen: 16 };
    },
    validationBatches: () => [],
  };
  const trainer = new Trainer(new Model(config, new Registry(testPlugins)), trainConfig, data);
  const summary = await trainer.run();
  trainer.dispose();
  return summary.losses;
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('wasmThreadCount', () => {
  it('defaults to the logical CPUs, at most 8', () => {
    expect(wasmThreadCount({})).toBe(Math.min(availableParallelism(), WASM_MAX_THREADS));
    expect(wasmThreadCount({ ARCHZOO_WASM_THREADS: '' })).toBe(Math.min(availableParallelism(), WASM_MAX_THREADS));
  });

  it('reads ARCHZOO_WASM_THREADS', () => {
    expect(wasmThreadCount({ ARCHZOO_WASM_THREADS: '3' })).toBe(3);
  });

  it.each(['0', '9', '2.5', 'four', '-1'])('rejects ARCHZOO_WASM_THREADS=%s', (value) => {
    expect(() => wasmThreadCount({ ARCHZOO_WASM_THREADS: value })).toThrow(BackendError);
    expect(() => wasmThreadCount({ ARCHZOO_WASM_THREADS: value })).toThrow(
      `ARCHZOO_WASM_THREADS "${value}" is invalid; set it to an integer from 1 to 8`,
    );
  });

  it('makes selectBackend reject an invalid count', async () => {
    const error = await selectBackend('wasm', { ARCHZOO_WASM_THREADS: 'many' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/^ARCHZOO_WASM_THREADS "many" is invalid; /);
  });
});

describe('wasm backend threads', () => {
  it('ships every file of the threaded build', () => {
    const files = threadedWasmFiles();
    expect(existsSync(files.script)).toBe(true);
    expect(existsSync(files.binary)).toBe(true);
    expect(existsSync(files.workerEntry)).toBe(true);
  });

  it.skipIf(unsupported !== undefined)('finds the threaded build startable', async () => {
    expect(await threadedWasmUnavailable(threadedWasmFiles())).toBeUndefined();
  });

  // The threaded build runs the same XNNPACK kernels as the single-threaded SIMD build and gives
  // each output element to one thread, which sums in the same order, so losses match exactly.
  // The cpu backend sums matrix products in another order, so float32 rounding differs by a few
  // units in the last place per op. The largest loss difference seen was 9.5e-7 (2 units at loss
  // 3.8), and 1e-5 leaves room for 5 AdamW steps to carry such differences into the weights.
  it.skipIf(unsupported !== undefined)('trains alike on 2 threads, 1 thread and cpu', async () => {
    const threaded = await selectBackend('wasm', { ARCHZOO_WASM_THREADS: '2' });
    expect(threaded.detail).toMatchObject({ simd: true, multithread: true, threads: 2, build: 'threaded-simd' });
    expect(threaded.detail.singleThreadReason).toBeUndefined();
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(true);
    expect(getThreadsCount()).toBe(2);
    const threadedLosses = await trainLosses();

    const single = await selectBackend('wasm', { ARCHZOO_WASM_THREADS: '1' });
    expect(single.detail).toMatchObject({ multithread: false, threads: 1, build: 'simd', singleThreadReason: 'ARCHZOO_WASM_THREADS is 1' });
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    const singleLosses = await trainLosses();

    await selectBackend('cpu', {});
    const cpuLosses = await trainLosses();

    expect(threadedLosses).toHaveLength(5);
    for (let step = 0; step < 5; step++) {
      expect(threadedLosses[step]).toBe(singleLosses[step]);
      expect(Math.abs(threadedLosses[step]! - cpuLosses[step]!)).toBeLessThan(1e-5);
    }
  });

  it('falls back without the worker entry', async () => {
    const files = { ...threadedWasmFiles(), workerEntry: '/nonexistent/wasm-pthread-worker.cjs' };
    const { detail } = await activateWasm({ ARCHZOO_WASM_THREADS: '2' }, files);
    expect(detail).toMatchObject({ multithread: false, threads: 1, build: 'simd' });
    expect(detail.singleThreadReason).toBe('/nonexistent/wasm-pthread-worker.cjs is missing');
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0]).toBe(6);
  });
});
