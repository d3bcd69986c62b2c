// Legend: B batch, T sequence, D model width.
/**
 * Embedding scaling: token embeddings are multiplied by sqrt(d_model) (or a given scale) before
 * the first layer, as Gemma does with its tied embeddings.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';

export interface EmbeddingScaleOptions extends SlotOptions {
  type: 'embedding_scale';
  /** Multiplier of the embeddings; sqrt(d_model) when absent. */
  scale?: number;
}

export const embeddingScale: StabilityManifest<EmbeddingScaleOptions> = {
  id: 'embedding_scale',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '@archzoo/stability',
  description: 'Multiplies token embeddings by sqrt(d_model) or a given scale (Gemma)',
  schema: {
    scale: { type: 'number', min: 0, exclusiveMin: true, optional: true, description: 'multiplier of the token embeddings; sqrt(d_model) when absent' },
  },
  defaults: {},
  references: [
    'Gemma Team 2024, "Gemma: Open Models Based on Gemini Research and Technology", arXiv 2403.08295',
    'huggingface/transformers src/transformers/models/gemma/modeling_gemma.py, GemmaModel.forward (embeddings times normalizer = hidden_size ** 0.5)',
  ],
  params() {
    return [];
  },
  /** Embeddings [B, T, D] -> [B, T, D]. */
  embedding(xBTD: Tensor, options: EmbeddingScaleOptions, ctx: ApplyContext): Tensor {
    // NOTE: HF GemmaModel rounds sqrt(hidden_size) to the activation dtype first, and bfloat16 turns
    // sqrt(3072) = 55.43 into 55.5. archzoo computes in float32, so bfloat16 checkpoints used a slightly different scale.
    const scale = options.scale ?? Math.sqrt(ctx.dims.d_model);
    return tf.mul(xBTD, scale);
  },
};
