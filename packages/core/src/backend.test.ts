import { createRequire } from 'node:module';

import { afterEach, describe, expect, it } from 'vitest';
import { parseBackendName, selectBackend } from './backend.js';
import { gpuDeviceNodes } from './backends/webgpu.js';
import { BackendError } from './errors.js';
import { tf } from './tf.js';

describe('selectBackend', () => {
  it('rejects an unknown name listing the valid ones', () => {
    expect(() => parseBackendName('gpu')).toThrow('--backend "gpu" is not a backend; valid backends: auto, tfjs-node-gpu, webgpu, tfjs-node, cpu-native, wasm, cpu');
  });

  it('names the environment variable when the value came from it', async () => {
    await expect(selectBackend(undefined, { ARCHZOO_BACKEND: 'tpu' })).rejects.toThrow('ARCHZOO_BACKEND "tpu" is not a backend');
  });

  it('explains how to install a missing tfjs-node', async () => {
    const error = await selectBackend('tfjs-node', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/^backend tfjs-node is not available \(.+\); install it with `pnpm add @tensorflow\/tfjs-node`/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('starts the plain cpu backend on request', async () => {
    const info = await selectBackend('cpu', {});
    expect(info).toMatchObject({ name: 'cpu', requested: 'cpu', tfBackend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('registers a fast embedding gradient on plain cpu', async () => {
    const info = await selectBackend('cpu', {});
    expect(info.detail.kernels).toContain('UnsortedSegmentSum');
    const grad = tf.tidy(() =>
      tf.grad((table: tf.Tensor) => tf.sum(tf.mul(tf.gather(table, tf.tensor1d([1, 1, 3], 'int32')), tf.tensor2d([[1, 2], [3, 4], [5, 6]]))))(tf.zeros([4, 2])).arraySync(),
    );
    expect(grad).toEqual([
      [0, 0],
      [4, 6],
      [0, 0],
      [5, 6],
    ]);
  });

  it('honours ARCHZOO_BACKEND', async () => {
    const info = await selectBackend(undefined, { ARCHZOO_BACKEND: 'cpu' });
    expect(info.requested).toBe('cpu');
  });

  it('reports why auto skipped faster backends', async () => {
    const info = await selectBackend('auto', {});
    expect(info.requested).toBe('auto');
    expect(info.skipped.some((line) => line.startsWith('tfjs-node-gpu: '))).toBe(true);
    if (gpuDeviceNodes().length === 0) {
      expect(info.skipped).toContain('webgpu: no GPU device node (/dev/nvidia0, /dev/dri/renderD*)');
    }
    await tf.setBackend('cpu');
  });

  it('trains an embedding on wasm, which needs the registered UnsortedSegmentSum', async () => {
    const info = await selectBackend('wasm', {});
    expect(info.detail.kernels).toContain('UnsortedSegmentSum');
    const grad = tf.tidy(() =>
      tf.grad((table: tf.Tensor) => tf.sum(tf.gather(table, tf.tensor1d([0, 2, 2], 'int32'))))(tf.zeros([3, 2])).arraySync(),
    );
    expect(grad).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
    ]);
    await tf.setBackend('cpu');
  });
});

describe('selectBackend cpu-native', () => {
  it('lists each registered kernel once', async (context) => {
    const info = await selectBackend('cpu-native', {}).catch((error: unknown) => {
      if (error instanceof BackendError) return undefined;
      throw error;
    });
    // Without a built native addon there is no cpu-native backend to check.
    if (info === undefined) return context.skip();
    const kernels = info.detail.kernels as string[];
    expect(kernels).toContain('ArchzooAdamW');
    expect(kernels.filter((kernel) => kernel === 'ArchzooAdamW')).toHaveLength(1);
    expect(new Set(kernels).size).toBe(kernels.length);
    await tf.setBackend('cpu');
  });
});

function resolves(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

// `auto` reaches cpu-native only when no tfjs-node package and no GPU is present.
const autoReachesNative = !resolves('@tensorflow/tfjs-node') && !resolves('@tensorflow/tfjs-node-gpu') && gpuDeviceNodes().length === 0;

describe('native kernel settings', () => {
  const saved = process.env.ARCHZOO_KERNELS_GEMM_THREADS;
  afterEach(async () => {
    process.env.ARCHZOO_KERNELS_GEMM_THREADS = saved;
    if (saved === undefined) delete process.env.ARCHZOO_KERNELS_GEMM_THREADS;
    await tf.setBackend('cpu');
  });

  const message =
    'ARCHZOO_KERNELS_GEMM_THREADS "1000000" is invalid; set it to an integer from 1 to 256, or unset it to use one per core';

  it('rejects an invalid thread count on cpu-native', async () => {
    process.env.ARCHZOO_KERNELS_GEMM_THREADS = '1000000';
    const error = await selectBackend('cpu-native', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toBe(message);
  });

  it.skipIf(!autoReachesNative)('rejects an invalid thread count under auto', async () => {
    process.env.ARCHZOO_KERNELS_GEMM_THREADS = '1000000';
    const error = await selectBackend('auto', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toBe(message);
  });
});
