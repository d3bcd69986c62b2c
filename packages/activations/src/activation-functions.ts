// Legend: B batch, T sequence, D model width, F FFN width; activations are elementwise on [..., F].
/**
 * Elementwise activations shared by the FFN plugins. Each is written with as few tensor passes as
 * tfjs allows, because every elementwise op is a full pass over [B*T, F] on the cpu backend.
 */
import { tf, type Tensor } from '@archzoo/core';

/** Activation names an FFN option can select. */
export type ActivationName = 'gelu' | 'gelu_tanh' | 'relu' | 'relu2' | 'silu' | 'sigmoid';

const INV_SQRT2 = Math.SQRT1_2;
// gelu_tanh(x) = 0.5 x (1 + tanh(u)) with u = sqrt(2/pi) (x + 0.044715 x^3). Because
// 0.5 (1 + tanh(u)) = sigmoid(2u), it equals x * sigmoid(x (A + B x^2)) with the constants below.
const TANH_A = 2 * Math.sqrt(2 / Math.PI);
const TANH_B = TANH_A * 0.044715;

/**
 * Applies `name` elementwise: [..., F] -> [..., F].
 * - gelu: exact GELU, x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)) (Hendrycks and Gimpel 2016).
 * - gelu_tanh: the tanh approximation used by GPT-2 and Gemma (HF `gelu_pytorch_tanh`).
 * - relu2: squared ReLU, relu(x)^2 (So et al. 2021, Primer; Nemotron-4).
 * - silu: x * sigmoid(x), also called Swish-1 (Ramachandran et al. 2017).
 */
export function activate(name: ActivationName, x: Tensor): Tensor {
  switch (name) {
    case 'gelu':
      return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, INV_SQRT2)), 1)));
    case 'gelu_tanh':
      return tf.tidy(() => tf.mul(x, tf.sigmoid(tf.mul(x, tf.add(tf.mul(tf.square(x), TANH_B), TANH_A)))));
    case 'relu':
      return tf.relu(x);
    case 'relu2':
      return tf.tidy(() => tf.square(tf.relu(x)));
    case 'silu':
      return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}
