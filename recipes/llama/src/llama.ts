/**
 * The LLaMA recipe: GPT-3's dense decoder with RMSNorm pre-normalisation, rotary positions,
 * SwiGLU and no biases.
 */
import type { Recipe } from '@archzoo/core';
import { causal } from '@archzoo/attention';
import { swiglu } from '@archzoo/activations';
import { rmsnorm } from '@archzoo/norms';
import { rope } from '@archzoo/positional';
import { llama7b } from './published.js';
import { recorded } from './recorded.js';
import { small, tiny } from './scales.js';

export const llama: Recipe = {
  name: 'llama',
  title: 'LLaMA (Touvron et al. 2023)',
  parent: 'gpt3',
  changes: [
    'RMSNorm (eps 1e-6, weight only) instead of LayerNorm, still pre-norm with a final norm',
    'rotary position embeddings (base 10000) instead of learned absolute positions',
    'SwiGLU FFN with hidden width 2/3 * 4d (rounded) instead of a GeLU MLP with 4d',
    'no biases in any linear layer or norm',
    'untied input embedding and output projection',
    'dense attention in every layer (no banded sparse layers)',
  ],
  published: llama7b,
  scales: { tiny, small },
  plugins: [rmsnorm, rope, causal, swiglu],
  recorded,
};
