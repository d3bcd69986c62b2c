/** GPT-NeoX-20B (EleutherAI, 2022): a parallel block with two LayerNorms and half-split RoPE on 25% of each head. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'Black et al. 2022, "GPT-NeoX-20B: An Open-Source Autoregressive Language Model", arXiv 2204.06745';
const HF = 'HF EleutherAI/gpt-neox-20b config.json and models/gpt_neox/modeling_gpt_neox.py';

export const gptNeoX: ZooSpec = {
  id: 'gpt-neox',
  name: 'GPT-NeoX',
  lectureName: 'GPT-NeoX',
  year: 2022,
  config: {
    vocab_size: 50432,
    d_model: 6144,
    n_layers: 44,
    n_heads: 64,
    n_kv_heads: 64,
    d_ff: 24576,
    context_length: 2048,
    norm: { type: 'layernorm', eps: 1e-5, bias: true },
    position: { type: 'rope', theta: 10000, rotary_fraction: 0.25, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'mlp', activation: 'gelu', bias: true },
    stability: [],
    block: { placement: 'pre', layout: 'parallel_two_norms', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${HF}: vocab_size 50432 (the Pile BPE padded)`,
    d_model: `${PAPER}, Table 1: hidden size 6144`,
    n_layers: `${PAPER}, Table 1: 44 layers`,
    n_heads: `${PAPER}, Table 1: 64 heads`,
    n_kv_heads: `${HF}: multi-head attention`,
    d_ff: `${HF}: intermediate_size 24576`,
    context_length: `${PAPER}: sequence length 2048`,
    norm: `${HF}: input_layernorm and post_attention_layernorm, LayerNorm with bias, eps 1e-5`,
    position: `${PAPER}, section 2: rotary embeddings on the first 25% of each head's dims; ${HF}: rotary_pct 0.25, rotate_half pairing, base 10000`,
    attention: `${HF}: biased fused query_key_value and dense projections`,
    ffn: `${HF}: hidden_act "gelu" (exact), biased dense_h_to_4h and dense_4h_to_h`,
    stability: `${PAPER}: no stability trick`,
    'block.placement': `${HF}: norms on the block input`,
    'block.layout': `${PAPER}, section 2: attention and FFN computed in parallel, x + attn(ln1(x)) + ff(ln2(x)), with two separate norms`,
    'block.final_norm': `${HF}: final_layer_norm`,
    'block.embedding_norm': `${HF}: no embedding norm`,
    tie_embeddings: `${PAPER}, section 2: untied input and output embeddings (${HF} tie_word_embeddings false)`,
  },
  unknown: [],
  unverified: ['vocab_size', 'd_model', 'n_layers', 'n_heads', 'd_ff', 'context_length', 'norm', 'position', 'attention', 'ffn', 'block.layout', 'tie_embeddings'],
  limitations: [],
  notes: [],
  params: {
    value: 20e9,
    source: `${PAPER}: a 20 billion parameter model (the name)`,
    tolerance: 0.04,
    toleranceReason: 'the name rounds to whole billions; the exact count is not among the checked sources',
  },
  lectureRow: cells('LayerNorm', 'Parallel', '☑', 'RoPE', 'GeLU', ''),
};
