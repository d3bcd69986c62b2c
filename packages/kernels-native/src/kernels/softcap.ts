// Legend: shapes are of any rank, and both kernels map [...] -> [...] elementwise.
/**
 * The fused soft-capping pair. These kernel names exist only in archzoo (@archzoo/stability
 * calls them when a backend registers them), so invalid inputs raise errors here.
 *
 * ArchzooSoftcap: {x} with attr cap -> y = cap * tanh(x / cap).
 * ArchzooSoftcapGrad: {dy, y} with attr cap -> dx = dy * (1 - (y / cap)^2), the derivative
 *   written with the forward output.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { requireFloatValues, type NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';
import { uninitializedFloat32 } from '../alloc.js';

export const SOFTCAP = 'ArchzooSoftcap';
export const SOFTCAP_GRAD = 'ArchzooSoftcapGrad';

function readCap(args: NativeKernelArgs): number {
  const cap = Number(args.attrs.cap);
  if (!Number.isFinite(cap) || cap <= 0) throw new RangeError(`cap must be a finite number > 0, got ${String(args.attrs.cap)}`);
  return cap;
}

export function softcap(args: NativeKernelArgs, addon: NativeAddon): TensorInfo {
  const cap = readCap(args);
  const x = requireFloatValues(args.backend, args.inputs.x, 'x');
  const y = uninitializedFloat32(x.length);
  if (x.length > 0) addon.softcap(x, y, cap);
  return args.backend.makeTensorInfo(args.inputs.x!.shape, 'float32', y);
}

export function softcapGrad(args: NativeKernelArgs, addon: NativeAddon): TensorInfo {
  const cap = readCap(args);
  const dy = requireFloatValues(args.backend, args.inputs.dy, 'dy');
  const shape = args.inputs.dy!.shape;
  const y = requireFloatValues(args.backend, args.inputs.y, 'y', shape);
  const dx = uninitializedFloat32(dy.length);
  if (dy.length > 0) addon.softcapGrad(dy, y, dx, cap);
  return args.backend.makeTensorInfo(shape, 'float32', dx);
}
