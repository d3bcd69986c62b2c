/**
 * Dropout with masks drawn from an archzoo `Rng`, so a seed fixes them on every backend.
 */
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';

/** Zeroes each element with probability `rate` and scales the rest by 1 / (1 - rate). Any shape. */
export function dropout(x: Tensor, rate: number, rng: Rng): Tensor {
  if (rate <= 0) return x;
  const keep = 1 - rate;
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() < keep ? 1 / keep : 0;
  return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
}
