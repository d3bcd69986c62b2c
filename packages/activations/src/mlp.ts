// Legend: B batch, T sequence, D model width, F FFN width.
import { CONTRACT_VERSION, tf, type FfnManifest, type ParamSpec, type SlotOptions } from '@archzoo/core';
import { activate } from './activation-functions.js';
import { linear } from './linear.js';

export interface MlpOptions extends SlotOptions {
  type: 'mlp';
  /** Hidden activation; default exact (erf) GELU. */
  activation: 'gelu' | 'gelu_tanh' | 'relu' | 'relu2' | 'silu';
  /** Biases on both projections; default true (GPT-2, GPT-3, OPT). */
  bias: boolean;
}

/**
 * The two-layer position-wise FFN of Vaswani et al. 2017: act(x W_in + b_in) W_out + b_out,
 * [B, T, D] -> [B, T, D]. ReLU is the original; GELU is GPT/GPT-2/BERT; squared ReLU is Primer
 * (So et al. 2021) and Nemotron-4.
 */
export const mlp: FfnManifest<MlpOptions> = {
  id: 'mlp',
  kind: 'ffn',
  contract: CONTRACT_VERSION,
  package: '@archzoo/activations',
  description: 'Two-layer MLP with a pointwise activation (ReLU, GELU, squared ReLU, SiLU)',
  schema: {
    activation: {
      type: 'enum',
      values: ['gelu', 'gelu_tanh', 'relu', 'relu2', 'silu'],
      optional: true,
      description: 'hidden activation: gelu (exact erf), gelu_tanh (tanh approximation), relu, relu2 (squared ReLU), silu',
    },
    bias: { type: 'boolean', optional: true, description: 'add biases to fc_in and fc_out' },
  },
  defaults: { activation: 'gelu', bias: true },
  references: [
    'Vaswani et al. 2017, Attention Is All You Need, arXiv 1706.03762 (position-wise FFN)',
    'Hendrycks and Gimpel 2016, Gaussian Error Linear Units, arXiv 1606.08415',
    'So et al. 2021, Primer, arXiv 2109.08668 (squared ReLU)',
    'HF transformers models/gpt2/modeling_gpt2.py (GPT2MLP)',
  ],
  params(options, dims): ParamSpec[] {
    const specs: ParamSpec[] = [
      { name: 'fc_in.weight', shape: [dims.d_model, dims.d_ff], init: { kind: 'normal' }, decay: true },
      { name: 'fc_out.weight', shape: [dims.d_ff, dims.d_model], init: { kind: 'normal', residual: true }, decay: true },
    ];
    if (options.bias) {
      specs.push(
        { name: 'fc_in.bias', shape: [dims.d_ff], init: { kind: 'zeros' }, decay: false },
        { name: 'fc_out.bias', shape: [dims.d_model], init: { kind: 'zeros' }, decay: false },
      );
    }
    return specs;
  },
  apply(params, xBTD, options) {
    const y = tf.tidy(() => {
      const [batch, seq, dModel] = xBTD.shape;
      const x2d = tf.reshape(xBTD, [batch * seq, dModel]);
      const hiddenNF = activate(options.activation, linear(x2d, params['fc_in.weight'], params['fc_in.bias']));
      const y2d = linear(hiddenNF, params['fc_out.weight'], params['fc_out.bias']);
      return tf.reshape(y2d, [batch, seq, dModel]);
    });
    return { y };
  },
  flopsPerToken(_options, dims) {
    return 2 * 2 * dims.d_model * dims.d_ff;
  },
};
