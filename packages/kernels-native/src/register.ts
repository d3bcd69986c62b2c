/**
 * Swaps the stock kernels of a tfjs backend for the native ones, and back. Nothing here runs
 * on import; callers pass the tfjs module they use, so this package needs no tfjs instance.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeKernelArgs } from './cpu-backend.js';
import { ARCHZOO_ONLY_KERNELS, NATIVE_KERNELS } from './kernel-table.js';
import { loadNativeAddon } from './load-addon.js';
import { followBackend, type PooledBackend } from './pool.js';

/** The kernel registry functions of `@tensorflow/tfjs-core` (or `@tensorflow/tfjs`). */
export interface TfKernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  registerKernel(config: KernelConfig): void;
  unregisterKernel(kernelName: string, backendName: string): void;
}

export interface RegisterOptions {
  /** Kernel names to replace; default: all of `nativeKernelNames()`. */
  kernels?: readonly string[];
}

const NATIVE_MARK = Symbol.for('@archzoo/kernels-native');

// The stock config each native kernel replaced, per tfjs module and backend, for restoring.
const replaced = new WeakMap<TfKernelRegistry, Map<string, KernelConfig | undefined>>();

/** Names of all kernels this package can register. */
export function nativeKernelNames(): string[] {
  return Object.keys(NATIVE_KERNELS);
}

/** Returns whether `backend` keeps its tensors in a cpu-style data storage, which the native kernels read. */
function isCpuLike(backend: unknown): boolean {
  const storage = (backend as { data?: { get?: unknown; set?: unknown; delete?: unknown } }).data;
  return typeof storage?.get === 'function' && typeof storage.set === 'function' && typeof storage.delete === 'function';
}

function isNative(config: KernelConfig | undefined): boolean {
  return Boolean(config && (config.kernelFunc as unknown as Record<symbol, boolean>)[NATIVE_MARK]);
}

/**
 * Registers the native kernels for `backendName` (the tfjs `cpu` backend; other backends
 * store tensors differently, so every call there would go to the stock kernel). For each
 * name, the stock kernel is unregistered and kept as the fallback for dtypes and cases the
 * native code does not handle. Idempotent. Registers nothing when the addon is not
 * available, and `loadNativeAddon()` returns the reason.
 */
export function registerNativeKernels(
  tf: TfKernelRegistry,
  backendName = 'cpu',
  options: RegisterOptions = {},
): { registered: string[] } {
  const status = loadNativeAddon();
  if (!status.ok) return { registered: [] };
  const { addon } = status;
  let stockByKey = replaced.get(tf);
  if (!stockByKey) {
    stockByKey = new Map();
    replaced.set(tf, stockByKey);
  }

  const registered: string[] = [];
  for (const name of options.kernels ?? nativeKernelNames()) {
    const impl = NATIVE_KERNELS[name];
    if (!impl) throw new RangeError(`"${name}" is not a native kernel; available: ${nativeKernelNames().join(', ')}`);
    const current = tf.getKernel(name, backendName);
    if (isNative(current)) {
      registered.push(name);
      continue;
    }
    if (!current && !ARCHZOO_ONLY_KERNELS.has(name)) continue;

    const stock = current?.kernelFunc;
    const kernelFunc = ((params: Parameters<KernelFunc>[0]) => {
      if (!isCpuLike(params.backend)) {
        if (!stock) throw new Error(`${name} runs on the tfjs cpu backend only`);
        return stock(params);
      }
      // Before this kernel stores a pooled output (see pool.ts).
      followBackend(params.backend as unknown as PooledBackend);
      const args = { inputs: params.inputs, backend: params.backend, attrs: params.attrs ?? {} } as NativeKernelArgs;
      const result: TensorInfo | TensorInfo[] | null = impl(args, addon);
      if (result) return result;
      if (!stock) throw new Error(`${name}: inputs not supported by the native kernel`);
      return stock(params);
    }) as KernelFunc;
    Object.defineProperty(kernelFunc, NATIVE_MARK, { value: true });

    if (current) tf.unregisterKernel(name, backendName);
    stockByKey.set(`${backendName}/${name}`, current);
    const config: KernelConfig = { kernelName: name, backendName, kernelFunc };
    if (current?.setupFunc) config.setupFunc = current.setupFunc;
    if (current?.disposeFunc) config.disposeFunc = current.disposeFunc;
    tf.registerKernel(config);
    registered.push(name);
  }
  return { registered };
}

/** Puts back the stock kernels that `registerNativeKernels` replaced; returns their names. */
export function restoreStockKernels(tf: TfKernelRegistry, backendName = 'cpu'): string[] {
  const stockByKey = replaced.get(tf);
  const restored: string[] = [];
  if (!stockByKey) return restored;
  for (const [key, stock] of stockByKey) {
    const [keyBackend, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    if (keyBackend !== backendName) continue;
    if (isNative(tf.getKernel(name, backendName))) tf.unregisterKernel(name, backendName);
    if (stock) tf.registerKernel(stock);
    stockByKey.delete(key);
    restored.push(name);
  }
  return restored;
}
