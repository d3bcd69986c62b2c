// Legend: shapes are any rank; param, m, v and grad share one shape.
/**
 * ArchzooAdamW, the fused optimizer update that @archzoo/core registers in JavaScript for the
 * cpu backend: inputs {param, m, v, grad}, attributes {beta1, beta2, eps, decayFactor,
 * stepSize, sqrtBiasCorrection2}, outputs [paramNext, mNext, vNext]:
 *   mNext = m * beta1 + grad * (1 - beta1)
 *   vNext = v * beta2 + grad^2 * (1 - beta2)
 *   paramNext = param * decayFactor - mNext / (sqrt(vNext) / sqrtBiasCorrection2 + eps) * stepSize
 * with the same float32 rounding steps as core's kernel.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import type { CpuBackendLike, NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';
import { uninitializedFloat32 } from '../alloc.js';

export const ADAMW = 'ArchzooAdamW';

const ATTRIBUTES = ['beta1', 'beta2', 'eps', 'decayFactor', 'stepSize', 'sqrtBiasCorrection2'] as const;

/** Returns float32 values, copying int32 or bool storage that a float32 tensor may still carry. */
function readValues(backend: CpuBackendLike, info: TensorInfo | undefined, name: string, shape: readonly number[]): Float32Array {
  if (!info || info.dtype !== 'float32' || info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
    throw new TypeError(`ArchzooAdamW: ${name} must be float32 [${shape.join(', ')}], got ${info ? `${info.dtype} [${info.shape.join(', ')}]` : 'missing'}`);
  }
  const values = backend.data.get(info.dataId)?.values;
  if (values instanceof Float32Array) return values;
  if (values instanceof Int32Array || values instanceof Uint8Array) return Float32Array.from(values);
  throw new TypeError(`ArchzooAdamW: ${name} has no cpu values; run the kernel on the cpu backend`);
}

export function adamw(args: NativeKernelArgs, addon: NativeAddon): TensorInfo[] {
  const { param } = args.inputs;
  const shape = param?.shape ?? [];
  const [p, m, v, grad] = (['param', 'm', 'v', 'grad'] as const).map((name) => readValues(args.backend, args.inputs[name], name, shape));
  const attrs = ATTRIBUTES.map((name) => {
    const value = Number(args.attrs[name]);
    if (!Number.isFinite(value)) throw new TypeError(`ArchzooAdamW: attribute ${name} must be a finite number, got ${String(args.attrs[name])}`);
    return value;
  }) as [number, number, number, number, number, number];

  const pOut = uninitializedFloat32(p!.length);
  const mOut = uninitializedFloat32(p!.length);
  const vOut = uninitializedFloat32(p!.length);
  if (p!.length > 0) addon.adamw(p!, m!, v!, grad!, pOut, mOut, vOut, ...attrs);
  return [
    args.backend.makeTensorInfo([...shape], 'float32', pOut),
    args.backend.makeTensorInfo([...shape], 'float32', mOut),
    args.backend.makeTensorInfo([...shape], 'float32', vOut),
  ];
}
