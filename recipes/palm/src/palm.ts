/**
 * The PaLM recipe: GPT-3's decoder with a parallel block under one bias-free LayerNorm,
 * multi-query attention, RoPE, SwiGLU of width 4d, no biases, z-loss and logits scaled by
 * 1/sqrt(d_model) over N(0, 1) embeddings.
 */
import type { Recipe } from '@archzoo/core';
import { causal } from '@archzoo/attention';
import { swiglu } from '@archzoo/activations';
import { layernorm } from '@archzoo/norms';
import { rope } from '@archzoo/positional';
import { logitScale, zLoss } from '@archzoo/stability';
import { palm8b } from './published.js';
import { recorded } from './recorded.js';
import { small, tiny } from './scales.js';

export const palm: Recipe = {
  name: 'palm',
  title: 'PaLM (Chowdhery et al. 2022)',
  parent: 'gpt3',
  changes: [
    'parallel block x + attn(LN(x)) + ffn(LN(x)) with one LayerNorm shared by both branches, instead of serial sublayers',
    'LayerNorm without bias (gain only)',
    'multi-query attention: one key/value head, head size 256 independent of d_model / n_heads',
    'rotary position embeddings instead of learned absolute positions',
    'SwiGLU FFN of width 4d (not shrunk to 2/3) instead of a GeLU MLP',
    'no biases in any dense kernel',
    'auxiliary z-loss 1e-4 * log^2 Z',
    'output logits scaled by 1/sqrt(d_model), with input embeddings initialised from N(0, 1)',
    'dense attention in every layer (no banded sparse layers)',
    '256k SentencePiece vocabulary; shared input and output embeddings as GPT-3',
  ],
  published: palm8b,
  scales: { tiny, small },
  plugins: [layernorm, rope, causal, swiglu, zLoss, logitScale],
  recorded,
};
