/** BLOOM 176B (BigScience, 2022): ALiBi positions and a LayerNorm right after the embedding. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'BigScience Workshop 2022, "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model", arXiv 2211.05100';
const HF = 'HF bigscience/bloom config.json and models/bloom/modeling_bloom.py';

export const bloom: ZooSpec = {
  id: 'bloom',
  name: 'BLOOM (175B)',
  lectureName: 'BLOOM (175B)',
  year: 2022,
  config: {
    vocab_size: 250880,
    d_model: 14336,
    n_layers: 70,
    n_heads: 112,
    n_kv_heads: 112,
    d_ff: 57344,
    context_length: 2048,
    norm: { type: 'layernorm', eps: 1e-5, bias: true },
    position: { type: 'alibi' },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'mlp', activation: 'gelu_tanh', bias: true },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: true },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${PAPER}: byte-level BPE of 250,680 tokens; ${HF}: embedding padded to 250880`,
    d_model: `${PAPER}, Table 3: hidden size 14336`,
    n_layers: `${PAPER}, Table 3: 70 layers`,
    n_heads: `${PAPER}, Table 3: 112 heads`,
    n_kv_heads: `${HF}: multi-head attention`,
    d_ff: `${HF}: MLP width 4 * hidden_size = 57344`,
    context_length: `${PAPER}, Table 3: sequence length 2048`,
    norm: `${HF}: LayerNorm with bias, layer_norm_epsilon 1e-5`,
    position: `${PAPER}, section 3.2: ALiBi, no position embeddings`,
    attention: `${HF}: biased query_key_value and dense projections`,
    ffn: `${HF}: bloom_gelu_forward (tanh approximation of GELU), biased projections`,
    stability: `${PAPER}, section 3.2: the embedding LayerNorm is the only stability measure (recorded under block.embedding_norm)`,
    'block.placement': `${HF}: input_layernorm and post_attention_layernorm on the sublayer inputs`,
    'block.layout': `${HF}: attention then MLP`,
    'block.final_norm': `${HF}: ln_f after the last block`,
    'block.embedding_norm': `${PAPER}, section 3.2: an additional layer normalization after the embedding layer, added for training stability`,
    tie_embeddings: `${HF}: lm_head tied to word_embeddings`,
  },
  unknown: [],
  unverified: ['vocab_size', 'd_model', 'n_layers', 'n_heads', 'd_ff', 'context_length', 'norm', 'position', 'attention', 'ffn', 'block.embedding_norm', 'tie_embeddings'],
  limitations: [],
  notes: [],
  params: {
    value: 176e9,
    source: `${PAPER}: a 176B-parameter model (the title)`,
    tolerance: 0.01,
    toleranceReason: 'the title rounds to whole billions',
  },
  disagreements: {
    stability: `${PAPER} adds a LayerNorm right after the embedding layer to stabilise training (recalled from the paper, not checked against it here), which the table does not list`,
  },
  lectureRow: cells('LayerNorm', 'Serial', '☑', 'AliBi', 'GeLU', ''),
};
