/**
 * A fused AdamW update for the `cpu` backend: one pass over each parameter instead of about a
 * dozen elementwise kernels, each of which allocates a full-size tensor. The arithmetic is the
 * same as `AdamW.apply`'s composed ops (PyTorch's AdamW), in float32.
 */
import { tf } from '../tf.js';

export const ADAMW_KERNEL = 'ArchzooAdamW';

/** Attributes of one AdamW update; `stepSize` is lr / (1 - beta1^t). */
export interface AdamWAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  /** 1 - lr * weight_decay for decayed parameters, else 1. */
  decayFactor: number;
  stepSize: number;
  sqrtBiasCorrection2: number;
}

interface CpuBackendLike {
  data: { get(dataId: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
}

function adamwCpu(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as CpuBackendLike;
  const { param, m, v, grad } = args.inputs as Record<'param' | 'm' | 'v' | 'grad', tf.TensorInfo>;
  const { beta1, beta2, eps, decayFactor, stepSize, sqrtBiasCorrection2 } = args.attrs as unknown as AdamWAttrs;
  const p = backend.data.get(param.dataId).values;
  const mIn = backend.data.get(m.dataId).values;
  const vIn = backend.data.get(v.dataId).values;
  const g = backend.data.get(grad.dataId).values;
  const n = p.length;
  const pOut = new Float32Array(n);
  const mOut = new Float32Array(n);
  const vOut = new Float32Array(n);
  const oneMinusBeta1 = Math.fround(1 - beta1);
  const oneMinusBeta2 = Math.fround(1 - beta2);
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = Math.fround(Math.fround(mIn[i]! * beta1) + Math.fround(gi * oneMinusBeta1));
    const vi = Math.fround(Math.fround(vIn[i]! * beta2) + Math.fround(Math.fround(gi * gi) * oneMinusBeta2));
    const denom = Math.fround(Math.fround(Math.sqrt(vi) / sqrtBiasCorrection2) + eps);
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = Math.fround(p[i]! * decayFactor) - Math.fround(Math.fround(mi / denom) * stepSize);
  }
  return [
    backend.makeTensorInfo(param.shape, 'float32', pOut),
    backend.makeTensorInfo(param.shape, 'float32', mOut),
    backend.makeTensorInfo(param.shape, 'float32', vOut),
  ];
}

/** Registers the fused update for the `cpu` backend (idempotent); returns the kernel name. */
export function registerCpuAdamW(): string {
  if (!tf.getKernel(ADAMW_KERNEL, 'cpu')) {
    tf.registerKernel({ kernelName: ADAMW_KERNEL, backendName: 'cpu', kernelFunc: adamwCpu as unknown as tf.KernelFunc });
  }
  return ADAMW_KERNEL;
}
