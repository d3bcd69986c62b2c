// Legend: B batch (broadcast over all leading dimensions), M rows of op(a), N columns of op(b), K shared dim.
/**
 * BatchMatMul through the addon's GEMM (OpenBLAS when linked). Unlike the stock cpu kernel
 * (tfjs-backend-cpu 4.22), batch dimensions broadcast on both sides: [2,1,M,K] x [1,3,K,N]
 * gives [2,3,M,N].
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { broadcastBatchIndices, broadcastShape } from '../broadcast.js';
import { floatValues, sizeOf, type NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';
import { uninitializedFloat32 } from '../alloc.js';

export interface MatMulResult {
  shape: number[];
  values: Float32Array;
}

/**
 * a [...Ba, M, K] (or [..., K, M] transposed) times b [...Bb, K, N] (or [..., N, K]) ->
 * [...broadcast(Ba, Bb), M, N], or null when the inputs are not float32 or do not match.
 */
export function matMulValues(
  addon: NativeAddon,
  args: NativeKernelArgs,
  a: TensorInfo | undefined,
  b: TensorInfo | undefined,
  transposeA: boolean,
  transposeB: boolean,
): MatMulResult | null {
  const aValues = floatValues(args.backend, a);
  const bValues = floatValues(args.backend, b);
  if (!a || !b || !aValues || !bValues || a.shape.length < 2 || b.shape.length < 2) return null;

  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const m = transposeA ? a.shape[aRank - 1]! : a.shape[aRank - 2]!;
  const kA = transposeA ? a.shape[aRank - 2]! : a.shape[aRank - 1]!;
  const kB = transposeB ? b.shape[bRank - 1]! : b.shape[bRank - 2]!;
  const n = transposeB ? b.shape[bRank - 2]! : b.shape[bRank - 1]!;
  if (kA !== kB) return null;

  const aBatchShape = a.shape.slice(0, -2);
  const bBatchShape = b.shape.slice(0, -2);
  const batchShape = broadcastShape(aBatchShape, bBatchShape);
  if (!batchShape) return null;
  const batches = sizeOf(batchShape);
  const values = uninitializedFloat32(batches * m * n);
  if (values.length === 0) return { shape: [...batchShape, m, n], values };

  if (sizeOf(bBatchShape) === 1 && !transposeA && sizeOf(aBatchShape) === batches) {
    // Every batch of a meets the same b: one GEMM of [B*M, K] x [K, N].
    const single = new Int32Array(1);
    addon.batchMatMul(aValues, bValues, values, batches * m, n, kA, false, transposeB, single, single);
  } else {
    const aBatch = broadcastBatchIndices(aBatchShape, batchShape);
    const bBatch = broadcastBatchIndices(bBatchShape, batchShape);
    addon.batchMatMul(aValues, bValues, values, m, n, kA, transposeA, transposeB, aBatch, bBatch);
  }
  return { shape: [...batchShape, m, n], values };
}

export function batchMatMul(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const { a, b } = args.inputs;
  const transposeA = Boolean(args.attrs.transposeA);
  const transposeB = Boolean(args.attrs.transposeB);
  const result = matMulValues(addon, args, a, b, transposeA, transposeB);
  return result ? args.backend.makeTensorInfo(result.shape, 'float32', result.values) : null;
}
