/**
 * The published PaLM 8B architecture (Chowdhery et al. 2022, "PaLM: Scaling Language Modeling
 * with Pathways", arXiv 2204.02311) as a diff from GPT-3 175B, with the source of every number.
 * PaLM's section 2 lists its changes to the standard decoder; each appears in `palmDiff`.
 */
import type { ModelConfig, PublishedArchitecture } from '@archzoo/core';
import { type ConfigDiff, deriveConfig, gpt3_175bConfig } from '@archzoo/recipe-gpt3';

const PAPER = 'Chowdhery et al. 2022, arXiv 2204.02311';

/** The changes from GPT-3 175B to PaLM 8B: its sizes and the architecture changes of `palm.changes`. */
export const palmDiff: ConfigDiff = {
  vocab_size: 256000,
  d_model: 4096,
  n_layers: 32,
  n_heads: 16,
  n_kv_heads: 1,
  head_dim: 256,
  d_ff: 4 * 4096,
  norm: { type: 'layernorm', eps: 1e-5, bias: false },
  position: { type: 'rope', theta: 10000, pairing: 'half' },
  attention: { type: 'causal', qkv_bias: false, out_bias: false },
  ffn: { type: 'swiglu', bias: false },
  stability: [
    { type: 'z_loss', coefficient: 1e-4 },
    { type: 'logit_scale', scale: 1 / Math.sqrt(4096) },
  ],
  block: { placement: 'pre', layout: 'parallel_shared_norm', final_norm: true, embedding_norm: false },
  embedding_init_std: 1,
  layer_pattern: null,
};

export const palm8bConfig: ModelConfig = deriveConfig(gpt3_175bConfig, palmDiff);

export const palm8b: PublishedArchitecture = {
  name: 'PaLM 8B',
  config: palm8bConfig,
  params: {
    value: 8.63e9,
    // The config gives 8,632,012,800 (0.023% above).
    tolerance: 0.0006,
    source: `${PAPER}, Table 1: 8.63B parameters for PaLM 8B. Tolerance 0.06%: half a unit of the last printed digit (0.005B / 8.63B)`,
  },
  sources: {
    vocab_size: `${PAPER}, section 2: a SentencePiece vocabulary of 256k tokens. ASSUMPTION: 256k is 256,000 (not 262,144); the published 8.63B count only fits 256,000 (262,144 would give 8.66B)`,
    d_model: `${PAPER}, Table 1: d_model 4096 for PaLM 8B`,
    n_layers: `${PAPER}, Table 1: 32 layers`,
    n_heads: `${PAPER}, Table 1: 16 heads`,
    n_kv_heads: `${PAPER}, section 2: multi-query attention, one key/value head shared by all query heads`,
    head_dim: `${PAPER}, Table 1: the attention head size is always 256`,
    d_ff: `${PAPER}, Table 1: the feed-forward size is always 4 * d_model (not shrunk for SwiGLU)`,
    context_length: `${PAPER}, section 5: a sequence length of 2048 for all models`,
    norm: `${PAPER}, section 2: no biases in any dense kernel or layer norm. ASSUMPTION: LayerNorm eps 1e-5, not published`,
    position: `${PAPER}, section 2: RoPE embeddings. ASSUMPTION: base 10000 and half-split pairing, neither published`,
    attention: `${PAPER}, section 2: multi-query attention and no biases in the dense kernels`,
    ffn: `${PAPER}, section 2: SwiGLU activations, Swish(xW) * xV, with three matrix multiplications`,
    stability: `${PAPER}, section 5: an auxiliary loss of 1e-4 * log^2 Z on the softmax normalizer, and pre-softmax logits scaled by 1/sqrt(d_model) because the embeddings are shared`,
    embedding_init_std: `${PAPER}, section 5 (weight initialization): input embeddings drawn from N(0, 1), since no layer norm follows them`,
    block: `${PAPER}, section 2: the parallel formulation y = x + MLP(LayerNorm(x)) + Attention(LayerNorm(x)) with one LayerNorm. ASSUMPTION: a final LayerNorm before the output, not described`,
    tie_embeddings: `${PAPER}, section 2: shared input and output embedding matrices`,
  },
};
