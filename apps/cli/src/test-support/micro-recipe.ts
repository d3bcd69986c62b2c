/**
 * A LLaMA recipe with one extra scale, `micro`, small enough that a few training steps take well
 * under a second on one CPU core: d_model 32, one layer, 16-token context, batch 2.
 */
import type { Recipe, RecipeScale } from '@archzoo/core';
import { llama, tiny } from '@archzoo/recipe-llama';

export const micro: RecipeScale = {
  description: 'LLaMA architecture at d_model 32, 1 layer, 16-token context (tests only)',
  model: { ...tiny.model, d_model: 32, n_layers: 1, n_heads: 2, d_ff: 64, context_length: 16 },
  train: { ...tiny.train, steps: 3, batch_size: 2, seq_len: 16, warmup_steps: 1, eval_interval: 0, eval_batches: 2, log_interval: 1, seed: 7 },
  tokenizer: 'gpt2',
  assumptions: [],
};

/** `llama` plus the `micro` scale, and a `narrow-vocab` scale whose 1000-id vocabulary cannot hold GPT-2's ids. */
export const microLlama: Recipe = {
  ...llama,
  scales: {
    ...llama.scales,
    micro,
    'narrow-vocab': { ...micro, model: { ...micro.model, vocab_size: 1000 } },
  },
  recorded: [],
};
