/**
 * Gemma 2 at small scale, narrower and shallower, on the GPT-2 BPE. The architecture is the 9B
 * model's: sandwich RMSNorm with (1 + w) scale, GeGLU, GQA with two query heads per key/value
 * head, sliding-window and global layers alternating, attention and final soft-caps, and tied
 * embeddings scaled by sqrt(d_model). Training uses the LLaMA scales' setups.
 */
import type { ModelConfig, RecipeScale } from '@archzoo/core';
import { small as llamaSmall, tiny as llamaTiny } from '@archzoo/recipe-llama';
import { GEMMA2_WINDOW, gemma2_9bConfig } from './published.js';

type ScaleDims = Pick<ModelConfig, 'vocab_size' | 'd_model' | 'n_layers' | 'n_heads' | 'context_length'>;

/**
 * Resizes the 9B config, keeping two query heads per key/value head, d_ff = 4 * d_model,
 * scores scaled by 1/sqrt(head_dim) as in 9B (query_pre_attn_scalar = head_dim) and the window
 * at half the context (4096 of 8192).
 */
function scaled(dims: ScaleDims): ModelConfig {
  const headDim = dims.d_model / dims.n_heads;
  const window = (dims.context_length * GEMMA2_WINDOW) / gemma2_9bConfig.context_length;
  return {
    ...gemma2_9bConfig,
    ...dims,
    n_kv_heads: dims.n_heads / 2,
    head_dim: headDim,
    d_ff: 4 * dims.d_model,
    attention: { ...gemma2_9bConfig.attention, query_pre_attn_scalar: headDim },
    layer_pattern: [{ attention: { window } }, {}],
  };
}

const TRAINING_ASSUMPTION =
  'the Gemma 2 report publishes no optimizer settings (and trains 9B by distillation from a larger model), so the scales use the LLaMA scales\' next-token training setup';

export const tiny: RecipeScale = {
  description: 'Gemma 2 architecture at d_model 128, 4 layers, GPT-2 BPE; trains on two CPU cores in minutes',
  model: scaled({ vocab_size: 50257, d_model: 128, n_layers: 4, n_heads: 4, context_length: 128 }),
  train: llamaTiny.train,
  tokenizer: 'gpt2',
  assumptions: [
    TRAINING_ASSUMPTION,
    'head size 32 (d_model / n_heads) instead of 256, which would exceed a 128-wide model; query_pre_attn_scalar follows it',
    'local layers use a 64-token window, half the 128-token context as 4096 is half of 8192',
    'GPT-2 BPE (50,257 tokens) instead of the 256k Gemma SentencePiece vocabulary, which is not installable offline',
  ],
};

export const small: RecipeScale = {
  description: 'Gemma 2 architecture at d_model 512, 8 layers, GPT-2 BPE; sized for about an hour on one GPU',
  model: scaled({ vocab_size: 50257, d_model: 512, n_layers: 8, n_heads: 8, context_length: 512 }),
  train: llamaSmall.train,
  tokenizer: 'gpt2',
  assumptions: [TRAINING_ASSUMPTION, 'local layers use a 256-token window, half the 512-token context'],
};
