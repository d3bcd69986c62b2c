/** GPT-NeoX-20B (EleutherAI, 2022): a parallel block with two LayerNorms and half-split RoPE on 25% of each head. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'Black et al. 2022, "GPT-NeoX-20B: An Open-Source Autoregressive Language Model", arXiv 2204.06745';
const HF = 'HF EleutherAI/gpt-neox-20b config.json (as copied by Dahoas/gptneox-sft-static) and models/gpt_neox/modeling_gpt_neox.py';

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
    ffn: { type: 'mlp', activation: 'gelu_tanh', bias: true },
    stability: [],
    block: { placement: 'pre', layout: 'parallel_two_norms', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${HF}: vocab_size 50432 (the Pile BPE padded)`,
    d_model: `${HF}: hidden_size 6144`,
    n_layers: `${HF}: num_hidden_layers 44`,
    n_heads: `${HF}: num_attention_heads 64`,
    n_kv_heads: `${HF}: multi-head attention`,
    d_ff: `${HF}: intermediate_size 24576`,
    context_length: `${HF}: max_position_embeddings 2048`,
    norm: `${HF}: input_layernorm and post_attention_layernorm, LayerNorm with bias, layer_norm_eps 1e-5`,
    position: `${HF}: rotary_pct 0.25 and rotary_emb_base 10000, applied with rotate_half pairing`,
    attention: `${HF}: biased fused query_key_value and dense projections`,
    ffn: `${HF}: hidden_act "gelu_fast", which HF activations.py computes with the tanh approximation; biased dense_h_to_4h and dense_4h_to_h`,
    stability: `${PAPER}: no stability trick`,
    'block.placement': `${HF}: norms on the block input`,
    'block.layout': `${HF}: use_parallel_residual true, so x + attn(input_layernorm(x)) + mlp(post_attention_layernorm(x)) with two separate norms`,
    'block.final_norm': `${HF}: final_layer_norm`,
    'block.embedding_norm': `${HF}: no embedding norm`,
    tie_embeddings: `${HF}: tie_word_embeddings false`,
  },
  unknown: [],
  unverified: [],
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
