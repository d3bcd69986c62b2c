/**
 * LLaMA at small scale: the same architecture as the 7B model (pre-norm RMSNorm, RoPE, SwiGLU,
 * no biases, untied output), narrower and shallower, on a tiktoken vocabulary. Training runs use
 * GPT-3's scales unchanged: LLaMA published the same optimizer settings.
 */
import type { ModelConfig, RecipeScale } from '@archzoo/core';
import { small as gpt3Small, tiny as gpt3Tiny } from '@archzoo/recipe-gpt3';
import { llama7bConfig } from './published.js';

/** LLaMA's FFN width rule: 2/3 of 4 * d_model, rounded up to a multiple of `multipleOf`. */
export function llamaFfnWidth(dModel: number, multipleOf: number): number {
  const hidden = Math.floor((2 * 4 * dModel) / 3);
  return multipleOf * Math.ceil(hidden / multipleOf);
}

function scaled(dims: Pick<ModelConfig, 'd_model' | 'n_layers' | 'n_heads' | 'context_length' | 'vocab_size'>, multipleOf: number): ModelConfig {
  return { ...llama7bConfig, ...dims, d_ff: llamaFfnWidth(dims.d_model, multipleOf) };
}

// Published optimizer settings (Touvron et al. 2023, section 2.3): AdamW with beta1 0.9,
// beta2 0.95, weight decay 0.1, gradient clipping 1.0, warmup then cosine decay to 10% of the
// peak learning rate: GPT-3's settings, so the GPT-3 scales' training setups carry over.

export const tiny: RecipeScale = {
  description: 'LLaMA architecture at d_model 128, 4 layers, GPT-2 BPE; trains on two CPU cores in minutes',
  model: scaled({ vocab_size: 50257, d_model: 128, n_layers: 4, n_heads: 4, context_length: 128 }, 32),
  train: gpt3Tiny.train,
  tokenizer: 'gpt2',
  assumptions: [
    'peak learning rate 5e-3 (LLaMA-7B used 3e-4) and batches of 8 x 128 tokens, chosen so that 600 steps fit about 10 minutes on two CPU cores; batches of 16 at 3e-3 for 300 steps reached a similar validation loss (6.71 against 6.68)',
    'FFN width rounded to a multiple of 32 instead of 256, which would dominate a 128-wide model',
    'GPT-2 BPE (50,257 tokens) instead of LLaMA\'s 32k SentencePiece vocabulary, which is not installable offline',
    'warmup 50 of 600 steps (LLaMA: 2,000 steps) so the short run still warms up',
  ],
};

export const small: RecipeScale = {
  description: 'LLaMA architecture at d_model 512, 8 layers, GPT-2 BPE; sized for about an hour on one GPU',
  model: scaled({ vocab_size: 50257, d_model: 512, n_layers: 8, n_heads: 8, context_length: 512 }, 64),
  train: gpt3Small.train,
  tokenizer: 'gpt2',
  assumptions: ['peak learning rate 1e-3, batch 32 x 512 tokens: chosen for the scale, not published'],
};
