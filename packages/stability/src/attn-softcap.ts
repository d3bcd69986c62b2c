// Legend: B batch, T sequence (queries), S sequence (keys), H query heads.
/**
 * Attention-logit soft-capping: scores <- cap * tanh(scores / cap), after the score scaling and
 * before the mask and softmax, as Gemma 2 does with attn_logit_softcapping 50.
 */
import { CONTRACT_VERSION, type ApplyContext, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';
import { softcap } from './softcap.js';

export interface AttnSoftcapOptions extends SlotOptions {
  type: 'attn_softcap';
  /** Bound of the capped scores; Gemma 2 uses 50. */
  cap: number;
}

export const attnSoftcap: StabilityManifest<AttnSoftcapOptions> = {
  id: 'attn_softcap',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '@archzoo/stability',
  description: 'Soft-caps attention scores to cap * tanh(scores / cap) before the mask (Gemma 2)',
  schema: {
    cap: { type: 'number', min: 0, exclusiveMin: true, description: 'bound of the capped attention scores' },
  },
  defaults: { cap: 50 },
  references: [
    'Gemma Team 2024, "Gemma 2: Improving Open Language Models at a Practical Size", arXiv 2408.00118 (attention logit soft-capping at 50)',
    'huggingface/transformers src/transformers/models/gemma2/modeling_gemma2.py, Gemma2Attention (attn_logit_softcapping, applied after scaling and before the mask)',
  ],
  params() {
    return [];
  },
  /** Scores [B, H, T, S] -> [B, H, T, S]. */
  scores(scoresBHTS: Tensor, options: AttnSoftcapOptions, _ctx: ApplyContext): Tensor {
    return softcap(scoresBHTS, options.cap);
  },
};
