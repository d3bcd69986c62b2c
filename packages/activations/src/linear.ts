// Legend: N rows (B*T tokens), D input width, F output width.
import { tf, type Tensor } from '@archzoo/core';

/**
 * Computes x W (+ b) on 2-D inputs: x [N, D], W [D, F], b [F] -> [N, F]. Weights are stored
 * [in, out], so this is one plain GEMM; the bias is fused into the matmul kernel where the
 * backend has a fused kernel.
 */
export function linear(x2d: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  if (bias === undefined) return tf.matMul(x2d, weight);
  return tf.fused.matMul({ a: x2d, b: weight, bias });
}
