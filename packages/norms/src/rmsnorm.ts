// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * weight, with no centring and no bias.
 * The `unit_offset` variant scales by (1 + weight) with a zero-initialised weight, as Gemma.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type NormManifest, type ParamSpec, type Params, type SlotOptions, type Tensor } from '@archzoo/core';

export interface RmsNormOptions extends SlotOptions {
  type: 'rmsnorm';
  /** Added to the mean square inside the square root. */
  eps: number;
  /** Scale by (1 + weight) with weight initialised to zeros, as Gemma. */
  unit_offset: boolean;
}

/** Scales `x` [..., D] by 1 / sqrt(mean(x^2) + eps) over its last axis, then by the weight. Returns [..., D]. */
export function rmsNorm(x: Tensor, eps: number, weight: Tensor, unitOffset = false): Tensor {
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), -1, true);
    const normalized = tf.mul(x, tf.rsqrt(tf.add(meanSquare, eps)));
    return tf.mul(normalized, unitOffset ? tf.add(weight, 1) : weight);
  });
}

export const rmsnorm: NormManifest<RmsNormOptions> = {
  id: 'rmsnorm',
  kind: 'norm',
  contract: CONTRACT_VERSION,
  package: '@archzoo/norms',
  description: 'RMSNorm over the model width: x / sqrt(mean(x^2) + eps) * weight, optionally with the (1 + weight) scale of Gemma',
  schema: {
    eps: { type: 'number', min: 0, exclusiveMin: true, description: 'added to the mean square inside the square root' },
    unit_offset: { type: 'boolean', description: 'scale by (1 + weight) with weight initialised to zeros (Gemma)' },
  },
  defaults: { eps: 1e-6, unit_offset: false },
  references: [
    'Zhang, Sennrich 2019, "Root Mean Square Layer Normalization", arXiv 1910.07467',
    'huggingface/transformers src/transformers/models/llama/modeling_llama.py, LlamaRMSNorm',
    'huggingface/transformers src/transformers/models/gemma/modeling_gemma.py, GemmaRMSNorm ((1 + weight) scale)',
  ],
  params(options: RmsNormOptions, dims: Dims, dim?: number): ParamSpec[] {
    return [{ name: 'weight', shape: [dim ?? dims.d_model], init: { kind: options.unit_offset ? 'zeros' : 'ones' }, decay: false }];
  },
  /** [..., D] -> [..., D]. */
  apply(params: Params, x: Tensor, options: RmsNormOptions, _ctx: ApplyContext): Tensor {
    return rmsNorm(x, options.eps, params.weight, options.unit_offset);
  },
};
