/**
 * The OLMo 2 recipe: LLaMA's decoder with RMSNorm moved onto the sub-layer outputs inside the
 * residual, QK-norm over the whole q and k projections, z-loss and RoPE base 500000.
 */
import type { Recipe } from '@archzoo/core';
import { causal } from '@archzoo/attention';
import { swiglu } from '@archzoo/activations';
import { rmsnorm } from '@archzoo/norms';
import { rope } from '@archzoo/positional';
import { qkNorm, zLoss } from '@archzoo/stability';
import { olmo2_7b } from './published.js';
import { recorded } from './recorded.js';
import { small, tiny } from './scales.js';

export const olmo2: Recipe = {
  name: 'olmo2',
  title: 'OLMo 2 (OLMo Team 2024)',
  parent: 'llama',
  changes: [
    'reordered norms: x + RMSNorm(f(x)) with no norm on the sub-layer inputs; the final norm stays',
    'QK-norm: RMSNorm over the whole query and key projections, not per head',
    'auxiliary z-loss with coefficient 1e-5',
    'RoPE base 500000 instead of 10000',
    '100k dolma2 vocabulary (100,352 embedding rows) and a 4096-token context',
  ],
  published: olmo2_7b,
  scales: { tiny, small },
  plugins: [rmsnorm, rope, causal, swiglu, zLoss, qkNorm],
  recorded,
};
