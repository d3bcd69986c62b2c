/**
 * The Gemma 2 recipe with one extra scale, `micro`: its tiny architecture shrunk to d_model 32,
 * two layers and a 16-token context. Layer 0 slides with an 8-token window and layer 1 attends
 * globally. It trains with the LLaMA `micro` setup, so three steps take a few seconds.
 */
import type { Recipe, RecipeScale } from '@archzoo/core';
import { gemma2, tiny } from '@archzoo/recipe-gemma2';

import { micro as microLlama } from './micro-recipe.js';

export const microGemma2Scale: RecipeScale = {
  description: 'Gemma 2 architecture at d_model 32, 2 layers, 16-token context (tests only)',
  model: {
    ...tiny.model,
    d_model: 32,
    n_layers: 2,
    n_heads: 2,
    n_kv_heads: 1,
    head_dim: 16,
    d_ff: 64,
    context_length: 16,
    attention: { ...tiny.model.attention, query_pre_attn_scalar: 16 },
    layer_pattern: [{ attention: { window: 8 } }, {}],
  },
  train: microLlama.train,
  tokenizer: 'gpt2',
  assumptions: [],
};

export const microGemma2: Recipe = { ...gemma2, scales: { ...gemma2.scales, micro: microGemma2Scale }, recorded: [] };
