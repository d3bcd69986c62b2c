/** BLOOM 176B (BigScience, 2022): ALiBi positions and a LayerNorm right after the embedding. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'BigScience Workshop 2022, "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model", arXiv 2211.05100';
const HF = 'HF bigscience/bloom config.json and models/bloom/modeling_bloom.py';
const CFG = 'HF bigscience/bloom config.json (refs/pr/17)';
const RUN = 'bigscience-workshop/bigscience train/tr11-176B-ml/tr11-176B-ml.slurm, the 176B training script';

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
    vocab_size: `${CFG}: vocab_size 250880 (the 250,680-token byte-level BPE of ${PAPER}, padded)`,
    d_model: `${CFG}: n_embed 14336`,
    n_layers: `${CFG}: n_layer 70`,
    n_heads: `${CFG}: num_attention_heads 112`,
    n_kv_heads: `${HF}: multi-head attention`,
    d_ff: `${HF}: BloomMLP dense_h_to_4h is 4 * hidden_size = 57344 wide`,
    context_length: `${RUN}: SEQ_LEN=2048, passed as --seq-length`,
    norm: `${HF}: LayerNorm with bias; ${CFG}: layer_norm_epsilon 1e-5`,
    position: `${HF}: an ALiBi bias added to the attention scores, no position embeddings`,
    attention: `${HF}: biased query_key_value and dense projections`,
    ffn: `${HF}: bloom_gelu_forward (tanh approximation of GELU), biased projections`,
    stability: `${PAPER}, section 3.2: the embedding LayerNorm is the only stability measure (recorded under block.embedding_norm)`,
    'block.placement': `${HF}: input_layernorm and post_attention_layernorm on the sublayer inputs`,
    'block.layout': `${HF}: attention then MLP`,
    'block.final_norm': `${HF}: ln_f after the last block`,
    'block.embedding_norm': `${HF}: word_embeddings_layernorm after the token embedding`,
    tie_embeddings: `${CFG}: no tie_word_embeddings entry, so the HF PretrainedConfig default true ties lm_head to word_embeddings`,
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: [],
  params: {
    value: 176e9,
    source: `${PAPER}: a 176B-parameter model (the title)`,
    tolerance: 0.01,
    toleranceReason: 'the title rounds to whole billions',
  },
  disagreements: {
    stability: `${HF} applies a LayerNorm (word_embeddings_layernorm) right after the embedding layer, which the table does not list`,
  },
  lectureRow: cells('LayerNorm', 'Serial', '☑', 'AliBi', 'GeLU', ''),
};
