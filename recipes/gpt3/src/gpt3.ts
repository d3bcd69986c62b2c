/**
 * The GPT-3 recipe: the root of archzoo's recipe tree. GPT-3 is GPT-2 at 175B with dense and
 * locally banded sparse attention layers alternating; LLaMA and PaLM are written as diffs from it.
 */
import type { Recipe } from '@archzoo/core';
import { causal } from '@archzoo/attention';
import { mlp } from '@archzoo/activations';
import { layernorm } from '@archzoo/norms';
import { learned } from '@archzoo/positional';
import { gpt3_175b } from './published.js';
import { recorded } from './recorded.js';
import { small, tiny } from './scales.js';

export const gpt3: Recipe = {
  name: 'gpt3',
  title: 'GPT-3 (Brown et al. 2020)',
  changes: [],
  published: gpt3_175b,
  scales: { tiny, small },
  plugins: [layernorm, learned, causal, mlp],
  recorded,
};
