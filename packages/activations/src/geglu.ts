// Legend: B batch, T sequence, D model width, F FFN width (width of one input projection).
import { CONTRACT_VERSION, type FfnManifest } from '@archzoo/core';
import { GATED_SCHEMA, gatedFlops, gatedForward, gatedParams, type GatedOptions } from './gated.js';

export interface GegluOptions extends GatedOptions {
  type: 'geglu';
  /** GELU form on the gate: exact erf (default, as in the GLU paper) or the tanh approximation (Gemma). */
  gelu: 'exact' | 'tanh';
}

/**
 * GEGLU: (gelu(x W_gate) * (x W_up)) W_down, [B, T, D] -> [B, T, D]. T5 v1.1 and mT5
 * ("gated-gelu") and Gemma (tanh GELU) use it.
 */
export const geglu: FfnManifest<GegluOptions> = {
  id: 'geglu',
  kind: 'ffn',
  contract: CONTRACT_VERSION,
  package: '@archzoo/activations',
  description: 'GEGLU gated FFN: gelu(x W_gate) * (x W_up), then W_down',
  schema: {
    ...GATED_SCHEMA,
    gelu: { type: 'enum', values: ['exact', 'tanh'], optional: true, description: 'GELU on the gate: exact (erf) or tanh approximation' },
  },
  defaults: { bias: false, gelu: 'exact' },
  references: [
    'Shazeer 2020, GLU Variants Improve Transformer, arXiv 2002.05202',
    'HF transformers models/gemma/modeling_gemma.py (GemmaMLP, gelu_pytorch_tanh)',
  ],
  params: (options, dims) => gatedParams(dims.d_model, dims.d_ff, options.bias),
  apply: (params, xBTD, options) => ({ y: gatedForward(params, xBTD, options.gelu === 'tanh' ? 'gelu_tanh' : 'gelu') }),
  flopsPerToken: (_options, dims) => gatedFlops(dims),
};
