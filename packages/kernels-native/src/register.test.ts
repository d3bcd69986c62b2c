import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { loadNativeAddon, setNativeThreads } from './load-addon.js';
import { nativeKernelNames, registerNativeKernels, restoreStockKernels } from './register.js';
import { addonMissing, skipReason, tf } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  restoreStockKernels(tf);
});

describe('loadNativeAddon', () => {
  it('returns a status without throwing', () => {
    const status = loadNativeAddon();
    if (status.ok) {
      expect(['openblas', 'builtin']).toContain(status.blas);
      expect(status.threads).toBeGreaterThanOrEqual(1);
    } else {
      expect(status.reason).toMatch(/pnpm rebuild @archzoo\/kernels-native/);
      expect(status.reason).not.toContain('\n');
    }
  });
});

describe.skipIf(addonMissing)(`registerNativeKernels ${skipReason}`, () => {
  it('replaces every stock kernel and adds the archzoo ones', () => {
    const stockBatchMatMul = tf.getKernel('BatchMatMul', 'cpu');
    const { registered } = registerNativeKernels(tf);
    expect(registered.sort()).toEqual(nativeKernelNames().sort());
    expect(tf.getKernel('BatchMatMul', 'cpu')).not.toBe(stockBatchMatMul);
    expect(tf.getKernel('ArchzooSoftmaxCrossEntropy', 'cpu')).toBeDefined();
  });

  it('hands calls on a backend without cpu data storage to the stock kernel', () => {
    // A registry of its own, with a stock Add for a backend that stores tensors elsewhere (as wasm does).
    const configs = new Map<string, KernelConfig>();
    const registry = {
      getKernel: (name: string, backend: string) => configs.get(`${backend}/${name}`),
      registerKernel: (config: KernelConfig) => void configs.set(`${config.backendName}/${config.kernelName}`, config),
      unregisterKernel: (name: string, backend: string) => void configs.delete(`${backend}/${name}`),
    };
    const stockResult: TensorInfo = { dataId: {}, shape: [1], dtype: 'float32' };
    registry.registerKernel({ kernelName: 'Add', backendName: 'other', kernelFunc: () => stockResult });
    const { registered } = registerNativeKernels(registry, 'other');
    expect(registered).toContain('ArchzooSoftcap');
    const backend = { dataIdMap: new Map() } as unknown as KernelBackend;
    const call = (name: string) => registry.getKernel(name, 'other')!.kernelFunc({ inputs: {}, backend, attrs: {} });
    expect(call('Add')).toBe(stockResult);
    expect(() => call('ArchzooSoftcap')).toThrow('ArchzooSoftcap runs on the tfjs cpu backend only');
  });

  it('is idempotent', () => {
    registerNativeKernels(tf);
    const first = tf.getKernel('Add', 'cpu');
    const { registered } = registerNativeKernels(tf);
    expect(registered).toContain('Add');
    expect(tf.getKernel('Add', 'cpu')).toBe(first);
  });

  it('restores the stock kernels', () => {
    const stockAdd = tf.getKernel('Add', 'cpu');
    registerNativeKernels(tf, 'cpu', { kernels: ['Add', 'ArchzooSoftmaxCrossEntropy'] });
    const restored = restoreStockKernels(tf);
    expect(restored.sort()).toEqual(['Add', 'ArchzooSoftmaxCrossEntropy']);
    expect(tf.getKernel('Add', 'cpu')).toBe(stockAdd);
    expect(tf.getKernel('ArchzooSoftmaxCrossEntropy', 'cpu')).toBeUndefined();
  });

  it('rejects an unknown kernel name', () => {
    expect(() => registerNativeKernels(tf, 'cpu', { kernels: ['Conv2D'] })).toThrow(/"Conv2D" is not a native kernel/);
  });

  it('leaks no tensors in a training step', () => {
    registerNativeKernels(tf);
    const weights = tf.variable(tf.randomNormal([8, 5], 0, 1, 'float32', 1));
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.softmax(tf.matMul(tf.ones([4, 8]), weights))) as tf.Scalar);
        weights.assign(tf.sub(weights, tf.mul(grads[weights.name]!, 0.1)));
      });
    step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    weights.dispose();
  });
});

describe.skipIf(addonMissing)(`setNativeThreads ${skipReason}`, () => {
  it('applies and reports thread counts', () => {
    const before = loadNativeAddon();
    if (!before.ok) throw new Error(before.reason);
    const original = { gemm: before.threads, elementwise: before.elementwiseThreads };
    try {
      expect(setNativeThreads({ elementwise: 1 })).toEqual({ gemm: original.gemm, elementwise: 1 });
      expect(loadNativeAddon()).toMatchObject({ elementwiseThreads: 1 });
    } finally {
      setNativeThreads(original);
    }
  });

  it('rejects a zero thread count', () => {
    expect(() => setNativeThreads({ gemm: 0 })).toThrow(/gemm threads must be an integer from 1 to 256, got 0/);
  });
});
