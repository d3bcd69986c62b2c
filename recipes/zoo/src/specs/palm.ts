/** PaLM 540B (Google, 2022): a parallel block, multi-query attention, SwiGLU and z-loss. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'Chowdhery et al. 2022, "PaLM: Scaling Language Modeling with Pathways", arXiv 2204.02311';

export const palm: ZooSpec = {
  id: 'palm',
  name: 'PaLM (540B)',
  lectureName: 'PaLM (540B)',
  year: 2022,
  config: {
    vocab_size: 256000,
    d_model: 18432,
    n_layers: 118,
    n_heads: 48,
    n_kv_heads: 1,
    head_dim: 256,
    d_ff: 73728,
    context_length: 2048,
    norm: { type: 'layernorm', eps: 1e-5, bias: false },
    position: { type: 'rope', theta: 10000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [{ type: 'z_loss', coefficient: 1e-4 }, { type: 'logit_scale', scale: 1 / Math.sqrt(18432) }],
    block: { placement: 'pre', layout: 'parallel_shared_norm', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${PAPER}, section 2: SentencePiece vocabulary of 256k tokens`,
    d_model: `${PAPER}, Table 1: d_model 18432 for 540B`,
    n_layers: `${PAPER}, Table 1: 118 layers`,
    n_heads: `${PAPER}, Table 1: 48 heads`,
    n_kv_heads: `${PAPER}, section 2: multi-query attention, keys and values shared across heads`,
    head_dim: `${PAPER}, Table 1: the attention head size is always 256 (table caption)`,
    d_ff: `${PAPER}, Table 1: feed-forward size 4 * d_model (not shrunk for SwiGLU)`,
    context_length: `${PAPER}, section 5 (training setup): a sequence length of 2048 for all models`,
    norm: `${PAPER}, section 2: no biases in any dense kernel or layer norm`,
    position: `${PAPER}, section 2: RoPE embeddings`,
    attention: `${PAPER}, section 2: no biases in the dense kernels`,
    ffn: `${PAPER}, section 2: SwiGLU activation`,
    stability: `${PAPER}, section 5: auxiliary z-loss with coefficient 1e-4 (also quoted by Wortsman et al. 2023, arXiv 2309.14322); because the embeddings are shared, the pre-softmax logits are scaled by 1/sqrt(d_model)`,
    'block.placement': `${PAPER}, section 2: the norm is applied to the block input (y = x + MLP(LN(x)) + Attention(LN(x)))`,
    'block.layout': `${PAPER}, section 2: the parallel formulation with one shared LayerNorm`,
    'block.embedding_norm': `${PAPER}, section 2: no norm after the embedding`,
    tie_embeddings: `${PAPER}, section 2: shared input and output embeddings`,
  },
  unknown: [
    { field: 'position.pairing', reason: 'the RoPE pairing convention is not stated', assumption: 'archzoo assumes the half-split pairing' },
    { field: 'position.theta', reason: 'the RoPE base is not stated', assumption: 'archzoo assumes 10000, the RoFormer default' },
    { field: 'norm.eps', reason: 'the LayerNorm epsilon is not stated', assumption: 'archzoo assumes 1e-5' },
    { field: 'block.final_norm', reason: 'a norm after the last layer is not described', assumption: 'archzoo assumes one, as every pre-norm decoder in this zoo' },
  ],
  unverified: ['d_model', 'n_layers', 'n_heads'],
  limitations: [],
  notes: [
    'the paper also initialises the input embeddings with std 1, which the config does not model',
    'the logit scale 1/sqrt(d_model) is recorded as logit_scale',
  ],
  params: {
    value: 540e9,
    source: `${PAPER}: the 540B model (the name)`,
    tolerance: 0.01,
    toleranceReason: 'the name rounds to whole billions',
  },
  disagreements: {
    norm: `${PAPER} uses LayerNorm without bias ("no biases were used in any of the dense kernels or layer norms"), not RMSNorm`,
  },
  lectureRow: cells('RMSNorm', 'Parallel', '☑', 'RoPE', 'SwiGLU', 'Z-loss'),
};
