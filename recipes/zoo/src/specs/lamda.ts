/** Google's LaMDA 137B (2021): T5 relative attention and gated GELU, with an unpublished norm type and placement. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'Thoppilan et al. 2022, "LaMDA: Language Models for Dialog Applications", arXiv 2201.08239';

export const lamda: ZooSpec = {
  id: 'lamda',
  name: 'LaMDA',
  lectureName: 'LaMDA',
  year: 2021,
  config: {
    vocab_size: 32000,
    d_model: 8192,
    n_layers: 64,
    n_heads: 128,
    n_kv_heads: 128,
    head_dim: 128,
    d_ff: 65536,
    context_length: 2048,
    norm: { type: 'rmsnorm', eps: 1e-6 },
    position: { type: 't5_relative', num_buckets: 32, max_distance: 128 },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'geglu', gelu: 'exact', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${PAPER}, section 3: SentencePiece vocabulary of 32K tokens`,
    d_model: `${PAPER}, section 3: d_model 8192 for the 137B model`,
    n_layers: `${PAPER}, section 3: 64 layers`,
    n_heads: `${PAPER}, section 3: 128 heads`,
    n_kv_heads: `${PAPER}, section 3: multi-head attention`,
    head_dim: `${PAPER}, section 3: d_k = d_v = 128`,
    d_ff: `${PAPER}, section 3: d_ff 65536`,
    position: `${PAPER}, section 3: relative attention as described in T5`,
    attention: `${PAPER}, section 3: causal multi-head attention (biases: see the unknown list)`,
    ffn: `${PAPER}, section 3: gated-GELU activation as in Raffel et al. (T5)`,
    stability: `${PAPER}: no stability trick described`,
  },
  unknown: [
    { field: 'norm', reason: 'the normalisation type is not described', assumption: 'archzoo assumes the T5 RMS-style norm (RMSNorm, eps 1e-6)' },
    { field: 'block.placement', reason: 'the norm placement is not described', assumption: 'archzoo assumes pre-norm, as T5' },
    { field: 'block.layout', reason: 'serial or parallel sublayers are not described', assumption: 'archzoo assumes serial' },
    { field: 'block.final_norm', reason: 'not described', assumption: 'archzoo assumes a final norm, as T5' },
    { field: 'block.embedding_norm', reason: 'not described', assumption: 'archzoo assumes none' },
    { field: 'tie_embeddings', reason: 'not described', assumption: 'archzoo assumes untied' },
    { field: 'context_length', reason: 'the context length is not given', assumption: 'archzoo assumes 2048' },
    { field: 'attention.qkv_bias', reason: 'linear-layer biases are not described', assumption: 'archzoo assumes none, as T5' },
    { field: 'ffn.gelu', reason: 'the GELU variant inside the gated-GELU is not named', assumption: 'archzoo assumes the exact (erf) GELU' },
  ],
  unverified: [],
  limitations: [],
  notes: ['decoder-only, 137B parameters'],
  disagreements: {
    preNorm: `${PAPER} describes a decoder-only Transformer with T5 relative attention and gated GELU but not where its norms sit, so no public source backs the ☑`,
  },
  lectureRow: cells('', '', '☑', 'Relative', 'GeGLU', ''),
};
