/**
 * Soft-capping, the tanh squashing that Gemma 2 applies to attention scores and final logits.
 * A backend may register the fused kernels `ArchzooSoftcap` and `ArchzooSoftcapGrad` (see
 * @archzoo/kernels-native), which do the forward and the backward pass in one sweep each;
 * otherwise this composes standard TensorFlow.js ops, which compute the same values.
 */
import { tf, type Tensor } from '@archzoo/core';

export const SOFTCAP_KERNEL = 'ArchzooSoftcap';
export const SOFTCAP_GRAD_KERNEL = 'ArchzooSoftcapGrad';

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/**
 * Computes cap * tanh(x / cap) elementwise: close to x where |x| is much smaller than cap, and
 * never beyond ±cap (it rounds to exactly ±cap in float32 once |x| / cap exceeds about 9).
 * [...] -> [...].
 */
export function softcap(x: Tensor, cap: number): Tensor {
  if (!hasKernel(SOFTCAP_KERNEL) || !hasKernel(SOFTCAP_GRAD_KERNEL)) {
    return tf.tidy(() => tf.mul(tf.tanh(tf.div(x, cap)), cap));
  }
  const attrs = { cap };
  const op = tf.customGrad(((input: Tensor, save: tf.GradSaveFunc) => {
    const y = tf.engine().runKernel(SOFTCAP_KERNEL, { x: input }, attrs) as Tensor;
    save([y]);
    return {
      value: y,
      // d/dx cap * tanh(x / cap) = 1 - tanh^2(x / cap) = 1 - (y / cap)^2.
      gradFunc: (dy: Tensor | Tensor[], [saved]: Tensor[]) =>
        tf.engine().runKernel(SOFTCAP_GRAD_KERNEL, { dy: dy as Tensor, y: saved! }, attrs) as Tensor,
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as Tensor;
}
