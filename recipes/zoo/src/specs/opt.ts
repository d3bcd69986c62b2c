/** OPT-175B (Meta, 2022): a GPT-3-like pre-norm decoder with ReLU. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'Zhang et al. 2022, "OPT: Open Pre-trained Transformer Language Models", arXiv 2205.01068';
const HF = 'HF facebook/opt configs and models/opt/modeling_opt.py';

export const opt: ZooSpec = {
  id: 'opt',
  name: 'OPT (175B)',
  lectureName: 'OPT (175B)',
  year: 2022,
  config: {
    vocab_size: 50272,
    d_model: 12288,
    n_layers: 96,
    n_heads: 96,
    n_kv_heads: 96,
    d_ff: 49152,
    context_length: 2048,
    norm: { type: 'layernorm', eps: 1e-5, bias: true },
    position: { type: 'learned' },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'mlp', activation: 'relu', bias: true },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${HF}: vocab_size 50272 (GPT-2 BPE)`,
    d_model: `${PAPER}, Table 1: hidden size 12288 for 175B`,
    n_layers: `${PAPER}, Table 1: 96 layers`,
    n_heads: `${PAPER}, Table 1: 96 heads`,
    n_kv_heads: `${HF}: multi-head attention`,
    d_ff: `${HF}: ffn_dim = 4 * hidden_size`,
    context_length: `${PAPER}: sequence length 2048`,
    norm: `${HF}: LayerNorm with bias, eps 1e-5`,
    position: `${HF}: learned positions with an index offset of 2`,
    attention: `${HF}: biased q/k/v and output projections`,
    ffn: `${PAPER}, section 2.1: ReLU activation`,
    stability: `${PAPER}: no architectural stability trick`,
    'block.placement': `${HF}: do_layer_norm_before true for every size except 350M (post-norm)`,
    'block.layout': `${HF}: attention then FFN`,
    'block.final_norm': `${HF}: final_layer_norm when do_layer_norm_before`,
    'block.embedding_norm': `${HF}: no embedding norm`,
    tie_embeddings: `${HF}: lm_head tied to embed_tokens`,
  },
  unknown: [],
  unverified: ['vocab_size', 'd_model', 'n_layers', 'n_heads', 'd_ff', 'context_length', 'norm', 'position', 'attention', 'block.placement', 'tie_embeddings'],
  limitations: ['the learned position table of OPT has 2 extra rows (index offset 2); archzoo indexes from 0, which changes nothing for a model trained from scratch'],
  notes: [],
  lectureRow: cells('LayerNorm', 'Serial', '☑', 'Absolute', 'ReLU', ''),
};
