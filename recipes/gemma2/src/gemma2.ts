/**
 * The Gemma 2 recipe: LLaMA's decoder with sandwich norms, (1 + w) RMSNorm, GeGLU, GQA,
 * alternating local and global attention, logit soft-capping and tied, scaled embeddings.
 */
import type { Recipe } from '@archzoo/core';
import { causal } from '@archzoo/attention';
import { geglu } from '@archzoo/activations';
import { rmsnorm } from '@archzoo/norms';
import { rope } from '@archzoo/positional';
import { attnSoftcap, embeddingScale, finalSoftcap } from '@archzoo/stability';
import { gemma2_9b } from './published.js';
import { recorded } from './recorded.js';
import { small, tiny } from './scales.js';

export const gemma2: Recipe = {
  name: 'gemma2',
  title: 'Gemma 2 (Gemma Team 2024)',
  parent: 'llama',
  changes: [
    'sandwich norms: RMSNorm on the input and on the output of each sub-layer, x + norm(f(norm(x)))',
    'RMSNorm scales by (1 + weight), weights initialised to zero',
    'GeGLU FFN with the tanh GELU, width 4d, instead of SwiGLU with 2/3 * 4d',
    'grouped-query attention (16 query heads, 8 key/value heads) with head size 256 independent of d_model / n_heads',
    'scores scaled by 1/sqrt(query_pre_attn_scalar), 256 for 9B',
    'sliding-window attention (4096 tokens) on even layers, global attention on odd layers',
    'attention logits soft-capped at 50 and final logits at 30',
    'tied input and output embeddings, embeddings multiplied by sqrt(d_model)',
    '256k SentencePiece vocabulary and an 8192-token context',
  ],
  published: gemma2_9b,
  scales: { tiny, small },
  plugins: [rmsnorm, rope, causal, geglu, attnSoftcap, finalSoftcap, embeddingScale],
  recorded,
};
