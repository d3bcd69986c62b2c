/**
 * The TensorFlow.js module every archzoo package uses. Importing `@tensorflow/tfjs` (not only
 * tfjs-core) is what registers the gradients under Node ESM. Importing it selects no backend.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type { Tensor, Variable, Rank } from '@tensorflow/tfjs';
