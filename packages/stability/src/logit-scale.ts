// Legend: N predicted tokens (B*T), V vocabulary.
/**
 * Logit scaling: the final logits are multiplied by a constant before the softmax, as Cohere's
 * Command R does with logit_scale 0.0625.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';

export interface LogitScaleOptions extends SlotOptions {
  type: 'logit_scale';
  /** Multiplier of the final logits; 0.0625 is Command R's value. */
  scale: number;
}

export const logitScale: StabilityManifest<LogitScaleOptions> = {
  id: 'logit_scale',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '@archzoo/stability',
  description: 'Multiplies the final logits by a constant scale (Cohere Command R)',
  schema: {
    scale: { type: 'number', min: 0, exclusiveMin: true, description: 'multiplier of the final logits' },
  },
  defaults: { scale: 0.0625 },
  references: [
    'huggingface/transformers src/transformers/models/cohere/modeling_cohere.py, CohereForCausalLM (logits * logit_scale)',
    'huggingface/transformers src/transformers/models/cohere/configuration_cohere.py, CohereConfig (logit_scale default 0.0625)',
  ],
  params() {
    return [];
  },
  /** Logits [N, V] -> [N, V]. */
  logits(logitsNV: Tensor, options: LogitScaleOptions, _ctx: ApplyContext): Tensor {
    return tf.mul(logitsNV, options.scale);
  },
};
