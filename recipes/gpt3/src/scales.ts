/**
 * GPT-3 at small scale, narrower and shallower, on the GPT-2 BPE that GPT-3 itself used. The
 * architecture is the 175B model's: pre-norm LayerNorm with bias, learned positions, a biased
 * GELU MLP of width 4d, tied embeddings, and dense and banded layers alternating.
 */
import type { ModelConfig, RecipeScale, TrainConfig } from '@archzoo/core';
import { GPT3_175B_BAND, gpt3_175bConfig } from './published.js';

type ScaleDims = Pick<ModelConfig, 'd_model' | 'n_layers' | 'n_heads' | 'context_length'>;

/**
 * Resizes the 175B config: d_ff stays 4 * d_model and the band keeps its assumed share of the
 * context (256 of 2048 tokens, 1/8).
 */
function scaled(dims: ScaleDims): ModelConfig {
  const band = Math.round((dims.context_length * GPT3_175B_BAND) / gpt3_175bConfig.context_length);
  return {
    ...gpt3_175bConfig,
    ...dims,
    d_ff: 4 * dims.d_model,
    layer_pattern: [{}, { attention: { window: band } }],
  };
}

/**
 * Published optimizer settings for every GPT-3 size (Brown et al. 2020, arXiv 2005.14165,
 * Appendix B): Adam with beta1 0.9, beta2 0.95, eps 1e-8, global gradient-norm clipping at 1.0,
 * weight decay 0.1, linear warmup then cosine decay to 10% of the peak rate. Peak rate, batch
 * and steps are chosen for the scale.
 */
export const PUBLISHED_OPTIMIZER = {
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weight_decay: 0.1,
  grad_clip: 1.0,
  schedule: 'cosine',
} as const satisfies Partial<TrainConfig>;

const tinyTrain: TrainConfig = {
  ...PUBLISHED_OPTIMIZER,
  steps: 600,
  batch_size: 8,
  seq_len: 128,
  grad_accum_steps: 1,
  lr: 5e-3,
  min_lr: 5e-4,
  warmup_steps: 50,
  eval_interval: 200,
  eval_batches: 32,
  log_interval: 10,
  seed: 1337,
};

const smallTrain: TrainConfig = {
  ...tinyTrain,
  steps: 5000,
  batch_size: 32,
  seq_len: 512,
  lr: 1e-3,
  min_lr: 1e-4,
  warmup_steps: 250,
  eval_interval: 500,
  log_interval: 50,
};

export const tiny: RecipeScale = {
  description: 'GPT-3 architecture at d_model 128, 4 layers, GPT-2 BPE; trains on two CPU cores in minutes',
  model: scaled({ d_model: 128, n_layers: 4, n_heads: 4, context_length: 128 }),
  train: tinyTrain,
  tokenizer: 'gpt2',
  assumptions: [
    'banded layers use a 16-token sliding window: the assumed 175B band of 256 tokens (never published) at the same 1/8 share of the context',
    'peak learning rate 5e-3 with batches of 8 x 128 tokens for 600 steps (GPT-3 Small used 6e-4 with 0.5M-token batches): a body of 0.8M parameters learns most per token with small batches and a large rate',
    'warmup 50 of 600 steps and cosine decay to 10% over the whole run (GPT-3: warmup over 375M tokens, decay over 260B tokens); no batch-size ramp',
  ],
};

export const small: RecipeScale = {
  description: 'GPT-3 architecture at d_model 512, 8 layers, GPT-2 BPE; sized for about an hour on one GPU',
  model: scaled({ d_model: 512, n_layers: 8, n_heads: 8, context_length: 512 }),
  train: smallTrain,
  tokenizer: 'gpt2',
  assumptions: [
    'banded layers use a 64-token sliding window: the assumed 175B band of 256 tokens (never published) at the same 1/8 share of the context',
    'peak learning rate 1e-3, batch 32 x 512 tokens, 5000 steps: chosen for the scale, not published',
  ],
};
