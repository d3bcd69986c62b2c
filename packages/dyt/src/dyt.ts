// Legend: B batch, T sequence, D normalised width.
/**
 * dyt: a norm-slot plugin.
 *
 * TODO: replace the math. As generated, apply multiplies each channel by a learned weight
 * (y = x * weight), a real function that passes the conformance kit but normalises nothing.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type NormManifest, type ParamSpec, type Params, type SlotOptions, type Tensor } from '@archzoo/core';

export interface DytOptions extends SlotOptions {
  type: 'dyt';
  /** Initial value of every channel of the weight. */
  init_scale: number;
}

export const dyt: NormManifest<DytOptions> = {
  id: 'dyt',
  kind: 'norm',
  contract: CONTRACT_VERSION,
  package: '@archzoo/dyt',
  description: 'Learned per-channel scale y = x * weight over the last axis',
  schema: {
    init_scale: { type: 'number', description: 'initial value of every channel of the weight' },
  },
  defaults: { init_scale: 1 },
  references: ['TODO: the paper or reference implementation this norm follows'],
  params(options: DytOptions, dims: Dims, dim?: number): ParamSpec[] {
    return [{ name: 'weight', shape: [dim ?? dims.d_model], init: { kind: 'constant', value: options.init_scale }, decay: false }];
  },
  /** [..., D] -> [..., D]. */
  apply(params: Params, x: Tensor, _options: DytOptions, _ctx: ApplyContext): Tensor {
    return tf.mul(x, params.weight);
  },
};
