// Legend: B batch, T sequence, D model width, F FFN width (width of one input projection).
/**
 * The gated linear unit family of Shazeer 2020, "GLU Variants Improve Transformer"
 * (arXiv 2002.05202): FFN(x) = (act(x W_gate) * (x W_up)) W_down. The variants differ only in
 * `act`; parameter names follow the HF transformers Llama MLP (`gate_proj`, `up_proj`, `down_proj`).
 */
import { CONTRACT_VERSION, tf, type Dims, type FfnManifest, type ParamSpec, type Params, type SlotOptions, type Tensor } from '@archzoo/core';
import { activate, type ActivationName } from './activation-functions.js';
import { linear } from './linear.js';

export interface GatedOptions extends SlotOptions {
  /** Biases on gate_proj, up_proj and down_proj; default false (LLaMA, PaLM, T5 v1.1). */
  bias: boolean;
}

/** Schema of the `bias` option every GLU variant has. */
export const GATED_SCHEMA = {
  bias: { type: 'boolean', optional: true, description: 'add biases to gate_proj, up_proj and down_proj' },
} as const;

const GLU_PAPER = 'Shazeer 2020, GLU Variants Improve Transformer, arXiv 2002.05202';

/** Parameters of one gated FFN with input width D and hidden width F. */
export function gatedParams(dModel: number, dFf: number, bias: boolean, prefix = ''): ParamSpec[] {
  const specs: ParamSpec[] = [
    { name: `${prefix}gate_proj.weight`, shape: [dModel, dFf], init: { kind: 'normal' }, decay: true },
    { name: `${prefix}up_proj.weight`, shape: [dModel, dFf], init: { kind: 'normal' }, decay: true },
    { name: `${prefix}down_proj.weight`, shape: [dFf, dModel], init: { kind: 'normal', residual: true }, decay: true },
  ];
  if (bias) {
    specs.push(
      { name: `${prefix}gate_proj.bias`, shape: [dFf], init: { kind: 'zeros' }, decay: false },
      { name: `${prefix}up_proj.bias`, shape: [dFf], init: { kind: 'zeros' }, decay: false },
      { name: `${prefix}down_proj.bias`, shape: [dModel], init: { kind: 'zeros' }, decay: false },
    );
  }
  return specs;
}

/**
 * Applies a gated FFN to token rows: x [N, D] -> [N, D]. `activation` null is the bilinear
 * variant (no nonlinearity on the gate).
 */
export function gatedRows(params: Params, x2d: Tensor, activation: ActivationName | null, prefix = ''): Tensor {
  return tf.tidy(() => {
    const gateNF = linear(x2d, params[`${prefix}gate_proj.weight`], params[`${prefix}gate_proj.bias`]);
    const upNF = linear(x2d, params[`${prefix}up_proj.weight`], params[`${prefix}up_proj.bias`]);
    const hiddenNF = tf.mul(activation === null ? gateNF : activate(activation, gateNF), upNF);
    return linear(hiddenNF, params[`${prefix}down_proj.weight`], params[`${prefix}down_proj.bias`]);
  });
}

/** Applies a gated FFN: [B, T, D] -> [B, T, D]. */
export function gatedForward(params: Params, xBTD: Tensor, activation: ActivationName | null): Tensor {
  return tf.tidy(() => {
    const [batch, seq, dModel] = xBTD.shape;
    const y2d = gatedRows(params, tf.reshape(xBTD, [batch * seq, dModel]), activation);
    return tf.reshape(y2d, [batch, seq, dModel]);
  });
}

/** Forward FLOPs per token of a gated FFN: three D x F matrix products. */
export function gatedFlops(dims: Dims): number {
  return 3 * 2 * dims.d_model * dims.d_ff;
}

/** Builds the manifest of a GLU variant whose gate activation is fixed (null: bilinear). */
export function gatedManifest(
  id: string,
  activation: ActivationName | null,
  description: string,
  references: string[],
): FfnManifest<GatedOptions> {
  return {
    id,
    kind: 'ffn',
    contract: CONTRACT_VERSION,
    package: '@archzoo/activations',
    description,
    schema: GATED_SCHEMA,
    defaults: { bias: false },
    references: [GLU_PAPER, ...references],
    params: (options, dims) => gatedParams(dims.d_model, dims.d_ff, options.bias),
    apply: (params, xBTD) => ({ y: gatedForward(params, xBTD, activation) }),
    flopsPerToken: (_options, dims) => gatedFlops(dims),
  };
}
