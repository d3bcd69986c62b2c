/**
 * PaLM at small scale, narrower and shallower, on the GPT-2 BPE. The architecture is the 8B
 * model's: one shared bias-free LayerNorm feeding attention and MLP in parallel, multi-query
 * attention, RoPE, SwiGLU of width 4d, shared embeddings and z-loss. Training uses GPT-3's scales.
 */
import type { ModelConfig, RecipeScale } from '@archzoo/core';
import { small as gpt3Small, tiny as gpt3Tiny } from '@archzoo/recipe-gpt3';
import { palm8bConfig } from './published.js';

type ScaleDims = Pick<ModelConfig, 'vocab_size' | 'd_model' | 'n_layers' | 'n_heads' | 'context_length'>;

/**
 * Resizes the 8B config, keeping one key/value head, n_heads * head_dim = d_model, d_ff = 4 * d_model
 * as in every PaLM size, and the logit scale at 1/sqrt(d_model).
 */
function scaled(dims: ScaleDims): ModelConfig {
  const stability = (palm8bConfig.stability ?? []).map((options) =>
    options.type === 'logit_scale' ? { ...options, scale: 1 / Math.sqrt(dims.d_model) } : options,
  );
  return { ...palm8bConfig, ...dims, n_kv_heads: 1, head_dim: dims.d_model / dims.n_heads, d_ff: 4 * dims.d_model, stability };
}

// PaLM trained with Adafactor (no factorization) at 1e-2 for 10k steps, then 1/sqrt(step) decay,
// beta1 0.9, beta2 = 1 - step^-0.8, clipping at 1.0 and weight decay lr^2 (Chowdhery et al. 2022,
// section 5). archzoo's trainer is AdamW, so the scales keep GPT-3's AdamW setup instead.
const OPTIMIZER_ASSUMPTION =
  'AdamW with GPT-3\'s settings (beta2 0.95, weight decay 0.1, cosine decay) instead of PaLM\'s Adafactor with beta2 = 1 - step^-0.8, weight decay lr^2 and 1/sqrt(step) decay, which archzoo\'s trainer does not implement; clipping at 1.0 matches PaLM';

export const tiny: RecipeScale = {
  description: 'PaLM architecture at d_model 128, 4 layers, GPT-2 BPE; trains on two CPU cores in minutes',
  model: scaled({ vocab_size: 50257, d_model: 128, n_layers: 4, n_heads: 4, context_length: 128 }),
  train: gpt3Tiny.train,
  tokenizer: 'gpt2',
  assumptions: [
    OPTIMIZER_ASSUMPTION,
    'peak learning rate 5e-3 and batches of 8 x 128 tokens for 600 steps, as the GPT-3 and LLaMA tiny scales, so the recipes compare at equal budgets',
    'GPT-2 BPE (50,257 tokens) instead of PaLM\'s 256k SentencePiece vocabulary, which is not installable offline',
    'head size 32 (d_model / n_heads) instead of 256, which would exceed a 128-wide model',
    'weight matrices initialised with std 0.02 as GPT-3, not PaLM\'s fan-in scaling N(0, 1/n_in); the embeddings keep PaLM\'s N(0, 1)',
  ],
};

export const small: RecipeScale = {
  description: 'PaLM architecture at d_model 512, 8 layers, GPT-2 BPE; sized for about an hour on one GPU',
  model: scaled({ vocab_size: 50257, d_model: 512, n_layers: 8, n_heads: 8, context_length: 512 }),
  train: gpt3Small.train,
  tokenizer: 'gpt2',
  assumptions: [OPTIMIZER_ASSUMPTION, 'peak learning rate 1e-3, batch 32 x 512 tokens: chosen for the scale, not published'],
};
