// Legend: N predicted tokens (B*T).
/**
 * z-loss: an auxiliary loss coefficient * mean(log(Z)^2) over the counted tokens, where log(Z)
 * is the log-sum-exp of a token's final logits. It pulls the softmax normaliser Z towards 1,
 * which PaLM reports makes training more stable. PaLM uses 1e-4 and OLMo 2 uses 1e-5.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type LossTerms, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';

export interface ZLossOptions extends SlotOptions {
  type: 'z_loss';
  /** Multiplier of mean(log(Z)^2), 1e-4 in PaLM and 1e-5 in OLMo 2. */
  coefficient: number;
}

/**
 * Computes coefficient * sum(weight * logsumexp^2) / count from logsumexp [N] and weight [N].
 * Returns a scalar []. Padding rows carry weight 0, and `count` is the number of weighted rows.
 */
export function zLossTerm(logsumexpN: Tensor, weightN: Tensor, count: number, coefficient: number): Tensor {
  return tf.tidy(() => tf.mul(tf.div(tf.sum(tf.mul(weightN, tf.square(logsumexpN))), count), coefficient));
}

export const zLoss: StabilityManifest<ZLossOptions> = {
  id: 'z_loss',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '@archzoo/stability',
  description: 'Auxiliary loss coefficient * mean(logsumexp(logits)^2) over counted tokens (PaLM, OLMo 2)',
  schema: {
    coefficient: { type: 'number', min: 0, description: 'multiplier of the mean squared log-sum-exp of the final logits' },
  },
  defaults: { coefficient: 1e-4 },
  references: [
    'Chowdhery et al. 2022, "PaLM: Scaling Language Modeling with Pathways", arXiv 2204.02311 (z-loss 1e-4 * log^2 Z)',
    'allenai/OLMo-core src/olmo_core/nn/functional/cross_entropy_loss.py, cross_entropy_loss (z_squared summed over non-ignored labels, divided by their count)',
    'OLMo 2 Team 2024, "2 OLMo 2 Furious", arXiv 2501.00656 (z-loss coefficient 1e-5)',
  ],
  params() {
    return [];
  },
  /** Returns the scalar [] that the model adds to the training loss. */
  loss(terms: LossTerms, options: ZLossOptions, _ctx: ApplyContext): Tensor {
    return zLossTerm(terms.logsumexpN, terms.weightN, terms.count, options.coefficient);
  },
};
