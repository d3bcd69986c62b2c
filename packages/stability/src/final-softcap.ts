// Legend: N predicted tokens (B*T), V vocabulary.
/**
 * Final-logit soft-capping: logits <- cap * tanh(logits / cap) before the softmax and the loss,
 * as Gemma 2 does with final_logit_softcapping 30.
 */
import { CONTRACT_VERSION, type ApplyContext, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';
import { softcap } from './softcap.js';

export interface FinalSoftcapOptions extends SlotOptions {
  type: 'final_softcap';
  /** Bound of the capped logits; Gemma 2 uses 30. */
  cap: number;
}

export const finalSoftcap: StabilityManifest<FinalSoftcapOptions> = {
  id: 'final_softcap',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '@archzoo/stability',
  description: 'Soft-caps the final logits to cap * tanh(logits / cap) (Gemma 2)',
  schema: {
    cap: { type: 'number', min: 0, exclusiveMin: true, description: 'bound of the capped output logits' },
  },
  defaults: { cap: 30 },
  references: [
    'Gemma Team 2024, "Gemma 2: Improving Open Language Models at a Practical Size", arXiv 2408.00118 (final logit soft-capping at 30)',
    'huggingface/transformers src/transformers/models/gemma2/modeling_gemma2.py, Gemma2ForCausalLM (final_logit_softcapping)',
  ],
  params() {
    return [];
  },
  /** Logits [N, V] -> [N, V]. */
  logits(logitsNV: Tensor, options: FinalSoftcapOptions, _ctx: ApplyContext): Tensor {
    return softcap(logitsNV, options.cap);
  },
};
