/**
 * Soft-capping, the tanh squashing that Gemma 2 applies to attention scores and final logits.
 */
import { tf, type Tensor } from '@archzoo/core';

/**
 * Computes cap * tanh(x / cap) elementwise: close to x where |x| is much smaller than cap, and
 * never beyond ±cap (it rounds to exactly ±cap in float32 once |x| / cap exceeds about 9).
 * [...] -> [...].
 */
export function softcap(x: Tensor, cap: number): Tensor {
  return tf.tidy(() => tf.mul(tf.tanh(tf.div(x, cap)), cap));
}
