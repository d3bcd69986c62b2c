// Legend: B batch, T sequence, H heads, K head dim (used in the example below).
/** Transpose by any permutation for float32 tensors. */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { floatValues, type NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';
import { uninitializedFloat32 } from '../alloc.js';

/** Transposes `values` of `shape` by `perm` into a new array. */
export function transposeValues(
  addon: NativeAddon,
  values: Float32Array,
  shape: readonly number[],
  perm: readonly number[],
): Float32Array {
  const out = uninitializedFloat32(values.length);
  if (out.length > 0) addon.transpose(values, out, Int32Array.from(shape), Int32Array.from(perm));
  return out;
}

/** Permutes dimensions, e.g. [B, T, H, K] with perm [0, 2, 1, 3] -> [B, H, T, K]. */
export function transpose(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x } = args.inputs;
  const values = floatValues(args.backend, x);
  const perm = args.attrs.perm as number[] | undefined;
  if (!x || !values || !Array.isArray(perm) || perm.length !== x.shape.length) return null;
  const outShape = perm.map((axis) => x.shape[axis]!);
  // The gather gradient transposes by the identity permutation; share the data like Identity.
  if (perm.every((axis, i) => axis === i) && args.backend.incRef) {
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: outShape, dtype: 'float32' };
  }
  return args.backend.makeTensorInfo(outShape, 'float32', transposeValues(addon, values, x.shape, perm));
}
