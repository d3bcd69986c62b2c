// Legend: B batch, T sequence, D normalised width.
/**
 * Dynamic Tanh (DyT), a drop-in replacement for LayerNorm and RMSNorm that computes no
 * statistics: y = weight * tanh(alpha * x) + bias, with one learned scalar alpha per norm position.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type NormManifest, type ParamSpec, type Params, type SlotOptions, type Tensor } from '@archzoo/core';

export interface DytOptions extends SlotOptions {
  type: 'dyt';
  /** Initial value of the learned scalar alpha inside the tanh. */
  alpha_init: number;
}

/** Computes weight * tanh(alpha * x) + bias for `x` [..., D], `alpha` [1], `weight` and `bias` [D]. Returns [..., D]. */
export function dynamicTanh(x: Tensor, alpha: Tensor, weight: Tensor, bias: Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.mul(tf.tanh(tf.mul(x, alpha)), weight), bias));
}

export const dyt: NormManifest<DytOptions> = {
  id: 'dyt',
  kind: 'norm',
  contract: CONTRACT_VERSION,
  package: '@archzoo/dyt',
  description: 'Dynamic Tanh: weight * tanh(alpha * x) + bias with a learned scalar alpha, in place of a normalisation layer',
  schema: {
    alpha_init: { type: 'number', min: 0, exclusiveMin: true, description: 'initial value of the learned scalar alpha inside the tanh' },
  },
  defaults: { alpha_init: 0.5 },
  references: [
    'Zhu et al. 2025, "Transformers without Normalization", arXiv 2503.10622 (DyT, alpha initialised to 0.5 by default)',
  ],
  params(options: DytOptions, dims: Dims, dim?: number): ParamSpec[] {
    const width = dim ?? dims.d_model;
    return [
      { name: 'alpha', shape: [1], init: { kind: 'constant', value: options.alpha_init }, decay: false },
      { name: 'weight', shape: [width], init: { kind: 'ones' }, decay: false },
      { name: 'bias', shape: [width], init: { kind: 'zeros' }, decay: false },
    ];
  },
  /** [..., D] -> [..., D]. */
  apply(params: Params, x: Tensor, _options: DytOptions, _ctx: ApplyContext): Tensor {
    return dynamicTanh(x, params.alpha, params.weight, params.bias);
  },
};
