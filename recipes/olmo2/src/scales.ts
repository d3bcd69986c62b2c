/**
 * OLMo 2 at small scale, on the GPT-2 BPE. The architecture is the 7B model's: reordered RMSNorm
 * on the sub-layer outputs, QK-norm over the whole q and k projections, z-loss, RoPE, SwiGLU and
 * untied embeddings. The widths and training setups are the LLaMA scales', so the two recipes
 * differ only in the OLMo 2 changes.
 */
import type { RecipeScale } from '@archzoo/core';
import { deriveConfig } from '@archzoo/recipe-gpt3';
import { small as llamaSmall, tiny as llamaTiny } from '@archzoo/recipe-llama';
import { olmo2Diff } from './published.js';

/** Applies the OLMo 2 changes to a LLaMA scale, keeping its vocabulary and context. */
function fromLlama(scale: RecipeScale) {
  return deriveConfig(scale.model, { ...olmo2Diff, vocab_size: scale.model.vocab_size, context_length: scale.model.context_length });
}

const TRAINING_ASSUMPTION =
  'the LLaMA scales\' AdamW setup; OLMo 2\'s own peak rate, schedule and its exclusion of embeddings from weight decay were not checked here, and archzoo\'s trainer decays embeddings';

export const tiny: RecipeScale = {
  description: 'OLMo 2 architecture at d_model 128, 4 layers, GPT-2 BPE; trains on two CPU cores in minutes',
  model: fromLlama(llamaTiny),
  train: llamaTiny.train,
  tokenizer: 'gpt2',
  assumptions: [
    TRAINING_ASSUMPTION,
    'FFN width 352, LLaMA\'s 2/3 * 4d rule rounded to a multiple of 32 (OLMo 2 7B shares LLaMA-7B\'s 11008)',
    'GPT-2 BPE (50,257 tokens) instead of the 100k dolma2 vocabulary',
  ],
};

export const small: RecipeScale = {
  description: 'OLMo 2 architecture at d_model 512, 8 layers, GPT-2 BPE; sized for about an hour on one GPU',
  model: fromLlama(llamaSmall),
  train: llamaSmall.train,
  tokenizer: 'gpt2',
  assumptions: [TRAINING_ASSUMPTION],
};
