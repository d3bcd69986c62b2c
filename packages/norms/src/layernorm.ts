// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * LayerNorm over the last axis, with the variants decoder LMs use: with or without bias, without
 * any affine parameters (OLMo 1), and with a zero-centred scale applied as (1 + weight)
 * (Nemotron's LayerNorm1P).
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type NormManifest, type ParamSpec, type Params, type SlotOptions, type Tensor } from '@archzoo/core';

export interface LayerNormOptions extends SlotOptions {
  type: 'layernorm';
  /** Added to the variance inside the square root. */
  eps: number;
  /** Learn an additive bias (only when `affine`, as in torch.nn.LayerNorm). */
  bias: boolean;
  /** Learn a scale (and a bias if `bias`); false is the non-parametric LayerNorm of OLMo 1. */
  affine: boolean;
  /** Scale by (1 + weight) with weight initialised to zeros, as Nemotron's LayerNorm1P. */
  unit_offset: boolean;
}

/**
 * Normalises `x` [..., D] to zero mean and unit biased variance over its last axis:
 * (x - mean) / sqrt(var + eps), then scales and shifts. Returns [..., D].
 */
export function layerNorm(x: Tensor, eps: number, weight?: Tensor, bias?: Tensor, unitOffset = false): Tensor {
  return tf.tidy(() => {
    const centered = tf.sub(x, tf.mean(x, -1, true));
    const variance = tf.mean(tf.square(centered), -1, true);
    let y = tf.mul(centered, tf.rsqrt(tf.add(variance, eps)));
    if (weight) y = tf.mul(y, unitOffset ? tf.add(weight, 1) : weight);
    if (bias) y = tf.add(y, bias);
    return y;
  });
}

export const layernorm: NormManifest<LayerNormOptions> = {
  id: 'layernorm',
  kind: 'norm',
  contract: CONTRACT_VERSION,
  package: '@archzoo/norms',
  description: 'LayerNorm over the model width: (x - mean) / sqrt(var + eps) * scale + bias, with optional bias, affine parameters and (1 + weight) scale',
  schema: {
    eps: { type: 'number', min: 0, exclusiveMin: true, description: 'added to the variance inside the square root' },
    bias: { type: 'boolean', description: 'learn an additive bias (only with affine)' },
    affine: { type: 'boolean', description: 'learn a scale and bias; false gives the non-parametric LayerNorm of OLMo 1' },
    unit_offset: { type: 'boolean', description: 'scale by (1 + weight) with weight initialised to zeros (Nemotron LayerNorm1P)' },
  },
  defaults: { eps: 1e-5, bias: true, affine: true, unit_offset: false },
  references: [
    'Ba, Kiros, Hinton 2016, "Layer Normalization", arXiv 1607.06450',
    'PyTorch torch.nn.LayerNorm (biased variance, eps inside the square root, elementwise_affine, bias)',
    'Groeneveld et al. 2024, "OLMo: Accelerating the Science of Language Models", arXiv 2402.00838 (LayerNorm without affine parameters)',
    'huggingface/transformers src/transformers/models/nemotron/modeling_nemotron.py, NemotronLayerNorm1P ((1 + weight) scale)',
  ],
  validate(options) {
    if (!options.affine && options.unit_offset) {
      return ['unit_offset (true) needs affine true, because a non-parametric LayerNorm has no weight to offset; set affine true or unit_offset false'];
    }
    return [];
  },
  params(options: LayerNormOptions, dims: Dims, dim?: number): ParamSpec[] {
    if (!options.affine) return [];
    const width = dim ?? dims.d_model;
    const specs: ParamSpec[] = [{ name: 'weight', shape: [width], init: { kind: options.unit_offset ? 'zeros' : 'ones' }, decay: false }];
    if (options.bias) specs.push({ name: 'bias', shape: [width], init: { kind: 'zeros' }, decay: false });
    return specs;
  },
  /** [..., D] -> [..., D]. */
  apply(params: Params, x: Tensor, options: LayerNormOptions, _ctx: ApplyContext): Tensor {
    if (!options.affine) return layerNorm(x, options.eps);
    return layerNorm(x, options.eps, params.weight, options.bias ? params.bias : undefined, options.unit_offset);
  },
};
