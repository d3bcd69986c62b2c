/**
 * NoPE: no position information at all (Kazemnejad et al. 2023). Causal attention alone lets a
 * decoder infer positions. Command A uses it on its global-attention layers.
 */
import { CONTRACT_VERSION, type ParamSpec, type PositionManifest, type SlotOptions } from '@archzoo/core';

export interface NoPositionOptions extends SlotOptions {
  type: 'none';
}

export const none: PositionManifest<NoPositionOptions> = {
  id: 'none',
  kind: 'position',
  contract: CONTRACT_VERSION,
  package: '@archzoo/positional',
  description: 'No position encoding (NoPE); the causal mask is the only source of order',
  schema: {},
  defaults: {},
  references: ['Kazemnejad et al. 2023, "The Impact of Positional Encoding on Length Generalization in Transformers", arXiv 2305.19466'],
  params(): ParamSpec[] {
    return [];
  },
};
