/** GPT-J 6B (EleutherAI, 2021): a parallel block with one shared LayerNorm and partial interleaved RoPE. */
import { cells, type ZooSpec } from '../spec.js';

const REPO = 'Wang and Komatsuzaki 2021, GPT-J-6B, kingoflolz/mesh-transformer-jax';
const HF = 'HF EleutherAI/gpt-j-6b config.json (as copied by hivemind/gpt-j-6B-8bit) and models/gptj/modeling_gptj.py';
const CARD = 'EleutherAI/gpt-j-6b model card';

export const gptJ: ZooSpec = {
  id: 'gpt-j',
  name: 'GPT-J',
  lectureName: 'GPTJ',
  year: 2021,
  config: {
    vocab_size: 50400,
    d_model: 4096,
    n_layers: 28,
    n_heads: 16,
    n_kv_heads: 16,
    d_ff: 16384,
    context_length: 2048,
    norm: { type: 'layernorm', eps: 1e-5, bias: true },
    position: { type: 'rope', theta: 10000, rotary_fraction: 0.25, pairing: 'interleaved' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'mlp', activation: 'gelu_tanh', bias: true },
    stability: [],
    block: { placement: 'pre', layout: 'parallel_shared_norm', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${HF}: vocab_size 50400 (the GPT-2 BPE padded)`,
    d_model: `${CARD}: model dimension 4096`,
    n_layers: `${CARD}: 28 layers`,
    n_heads: `${CARD}: 16 heads of 256`,
    n_kv_heads: `${HF}: multi-head attention`,
    d_ff: `${CARD}: feedforward dimension 16384; ${HF}: n_inner null, so 4 * n_embd`,
    context_length: `${CARD}: n_ctx 2048`,
    norm: `${HF}: one LayerNorm ln_1 with gain and bias, layer_norm_epsilon 1e-5`,
    position: `${HF}: rotary_dim 64 of the 256 dims of a head, rotate_every_two (adjacent pairs), base 10000`,
    attention: `${HF}: q/k/v and output projections without bias`,
    ffn: `${HF}: activation_function "gelu_new" (tanh approximation), biased fc_in and fc_out`,
    stability: `${REPO}: no stability trick`,
    'block.placement': `${HF}: the norm is applied to the block input`,
    'block.layout': `${HF}: x + attn(ln_1(x)) + mlp(ln_1(x)), one norm feeding both branches`,
    'block.final_norm': `${HF}: ln_f after the last block`,
    'block.embedding_norm': `${HF}: no embedding norm`,
    tie_embeddings: `${HF}: separate lm_head (with a bias)`,
  },
  unknown: [],
  unverified: [],
  limitations: ['the LM head bias of GPT-J is not expressible; the output projection has no bias'],
  notes: [],
  lectureRow: cells('LayerNorm', 'Parallel', '☑', 'RoPE', 'GeLU', ''),
};
