/**
 * LLaMA with Dynamic Tanh (DyT, Zhu et al. 2025, arXiv 2503.10622) in place of every RMSNorm: the
 * LLaMA recipe plus one change, and the example of a contributed plugin training in a recipe.
 */
import type { ModelConfig, Recipe, RecipeScale } from '@archzoo/core';
import { dyt } from '@archzoo/dyt';
import { llama } from './llama.js';

const DYT_NORM = { type: 'dyt', alpha_init: 0.5 };

function withDyt(config: ModelConfig): ModelConfig {
  return { ...config, norm: DYT_NORM };
}

function scaleWithDyt(scale: RecipeScale): RecipeScale {
  return {
    ...scale,
    description: `${scale.description}, with DyT in place of RMSNorm`,
    model: withDyt(scale.model),
    assumptions: [...scale.assumptions, 'alpha_init 0.5, the DyT paper\'s default for non-LLM models; its LLaMA runs tuned it per width'],
  };
}

// DyT has a weight and a bias vector plus a scalar alpha where RMSNorm has one weight vector, so
// LLaMA-7B's 65 norms gain 65 * (4096 + 1) = 266,305 parameters, 4.0e-5 of the published count.
const DYT_EXTRA_PARAMS_7B = 65 * (4096 + 1);

export const llamaDyt: Recipe = {
  name: 'llama-dyt',
  title: 'LLaMA with DyT (Zhu et al. 2025)',
  parent: 'llama',
  changes: ['Dynamic Tanh, weight * tanh(alpha * x) + bias, in place of every RMSNorm (block inputs and the final norm)'],
  published: {
    ...llama.published,
    name: 'LLaMA-7B with DyT',
    config: withDyt(llama.published.config),
    params: {
      value: llama.published.params.value + DYT_EXTRA_PARAMS_7B,
      tolerance: 0,
      source: `LLaMA-7B's published 6,738,415,616 plus DyT's extra bias vector and alpha per norm (65 x 4,097 = ${DYT_EXTRA_PARAMS_7B.toLocaleString('en-US')}); the DyT paper gives no exact count`,
    },
    sources: { ...llama.published.sources, norm: 'Zhu et al. 2025, arXiv 2503.10622: DyT(x) = weight * tanh(alpha * x) + bias replaces each normalisation layer' },
  },
  scales: Object.fromEntries(Object.entries(llama.scales).map(([name, scale]) => [name, scaleWithDyt(scale)])),
  plugins: [...llama.plugins.filter((plugin) => plugin.id !== 'rmsnorm'), dyt],
  recorded: [],
};
