/**
 * The parts of the tfjs `cpu` backend (@tensorflow/tfjs-backend-cpu 4.22) that native kernels
 * use: tensor values live in `backend.data.get(dataId).values` as typed arrays, and
 * `makeTensorInfo` wraps a new typed array as an output without copying it.
 */
import type { DataType, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeAddon } from './native-binding.js';

export interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array | Int32Array | Uint8Array): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
  /** Adds a reference to existing data, as the stock Identity kernel does. */
  incRef?(dataId: object): void;
}

export interface NativeKernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: CpuBackendLike;
  attrs: NamedAttrMap;
}

/**
 * A native kernel body. Returning `null` hands the call to the stock kernel, which is how
 * unsupported dtypes and invalid inputs reach the stock kernel's own checks and errors.
 */
export type NativeKernelImpl = (args: NativeKernelArgs, addon: NativeAddon) => TensorInfo | TensorInfo[] | null;

/** Returns the float32 values of `info`, or null unless it is a float32 tensor stored as Float32Array. */
export function floatValues(backend: CpuBackendLike, info: TensorInfo | undefined): Float32Array | null {
  if (!info || info.dtype !== 'float32') return null;
  // A float32 tensor made by casting int32 can still hold an Int32Array, so check the storage too.
  const values = backend.data.get(info.dataId)?.values;
  return values instanceof Float32Array ? values : null;
}

/** Returns the int32 values of `info`, or null unless it is an int32 tensor stored as Int32Array. */
export function intValues(backend: CpuBackendLike, info: TensorInfo | undefined): Int32Array | null {
  if (!info || info.dtype !== 'int32') return null;
  const values = backend.data.get(info.dataId)?.values;
  return values instanceof Int32Array ? values : null;
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Describes a tensor for error messages: its dtype and shape, or `missing`. */
export function describeTensor(info: TensorInfo | undefined): string {
  return info ? `${info.dtype} [${info.shape.join(', ')}]` : 'missing';
}

/**
 * Returns the float32 values of an input of an archzoo-only kernel, which has no stock kernel to
 * fall back to. It throws a TypeError unless `info` is float32 with exactly `shape` (any shape
 * when omitted), and copies only int32 storage left behind by a cast.
 */
export function requireFloatValues(backend: CpuBackendLike, info: TensorInfo | undefined, name: string, shape?: number[]): Float32Array {
  const shapeMatches = !shape || (info !== undefined && info.shape.length === shape.length && info.shape.every((d, i) => d === shape[i]));
  if (!info || info.dtype !== 'float32' || !shapeMatches) {
    const expected = shape ? `[${shape.join(', ')}]` : 'of any shape';
    throw new TypeError(`${name} must be float32 ${expected}, got ${describeTensor(info)}`);
  }
  const values = backend.data.get(info.dataId)?.values;
  // A float32 tensor made by casting int32 may still be stored as an Int32Array.
  if (values instanceof Float32Array) return values;
  if (ArrayBuffer.isView(values)) return Float32Array.from(values as unknown as ArrayLike<number>);
  throw new TypeError(`${name} has no cpu values; run the kernel on the cpu backend`);
}
