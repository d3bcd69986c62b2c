// Legend: B batch, T sequence, N heads (H or G), K head dim, D model width.
import { tf, type Tensor } from '@archzoo/core';

/** Splits a projection into heads: [B, T, N*K] -> [B, N, T, K]. */
export function splitHeads(xBTNK: Tensor, nHeads: number, headDim: number): Tensor {
  const [batch, seq] = xBTNK.shape;
  return tf.transpose(tf.reshape(xBTNK, [batch, seq, nHeads, headDim]), [0, 2, 1, 3]);
}

/** Merges heads into token rows: [B, N, T, K] -> [B*T, N*K]. */
export function mergeHeadsToRows(xBNTK: Tensor): Tensor {
  const [batch, nHeads, seq, headDim] = xBNTK.shape;
  return tf.reshape(tf.transpose(xBNTK, [0, 2, 1, 3]), [batch * seq, nHeads * headDim]);
}

/**
 * Computes x W (+ b) on token rows: x [N, D], W [D, F], b [F] -> [N, F], one plain GEMM with
 * the bias fused where the backend has a fused kernel.
 */
export function linear(x2d: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  if (bias === undefined) return tf.matMul(x2d, weight);
  return tf.fused.matMul({ a: x2d, b: weight, bias });
}
