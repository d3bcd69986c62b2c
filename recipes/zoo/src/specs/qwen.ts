/** Alibaba's Qwen 14B (2023) and Qwen 2 / 2.5 72B (2024), a diff from Qwen. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const QWEN = 'Bai et al. 2023, "Qwen Technical Report", arXiv 2309.16609';
const QWEN_HF = 'HF Qwen/Qwen-14B config.json and modeling_qwen.py';
const QWEN25_LITGPT = 'litgpt config.py "Qwen2.5-72B" (copied from HF Qwen/Qwen2.5-72B config.json)';
const QWEN2 = 'Yang et al. 2024, "Qwen2 Technical Report", arXiv 2407.10671';

export const qwen: ZooSpec = {
  id: 'qwen',
  name: 'Qwen (14B)',
  lectureName: 'Qwen (14B)',
  year: 2024,
  config: {
    vocab_size: 152064,
    d_model: 5120,
    n_layers: 40,
    n_heads: 40,
    n_kv_heads: 40,
    d_ff: 13696,
    context_length: 2048,
    norm: { type: 'rmsnorm', eps: 1e-6 },
    position: { type: 'rope', theta: 10000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: true, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${QWEN_HF}: vocab_size 152064 (151,851 tokens padded)`,
    d_model: `${QWEN}, Table 1: hidden size 5120 for 14B`,
    n_layers: `${QWEN}, Table 1: 40 layers`,
    n_heads: `${QWEN}, Table 1: 40 heads`,
    n_kv_heads: `${QWEN}, section 2.2: multi-head attention`,
    d_ff: `${QWEN}, section 2.2: SwiGLU with hidden width 8/3 of d_model; ${QWEN_HF}: intermediate_size 27392 = 2 x 13696`,
    context_length: `${QWEN}, section 2.2: pre-training context of 2048 tokens`,
    norm: `${QWEN}, section 2.2: RMSNorm pre-normalization; ${QWEN_HF}: layer_norm_epsilon 1e-6`,
    position: `${QWEN}, section 2.2: RoPE, base 10000`,
    attention: `${QWEN}, section 2.2: biases removed except in the QKV layer`,
    ffn: `${QWEN}, section 2.2: SwiGLU activation`,
    stability: `${QWEN}: no stability trick in the architecture`,
    'block.placement': `${QWEN}, section 2.2: pre-normalization`,
    'block.layout': `${QWEN_HF}: attention then MLP`,
    'block.final_norm': `${QWEN_HF}: final ln_f`,
    'block.embedding_norm': `${QWEN_HF}: no embedding norm`,
    tie_embeddings: `${QWEN}, section 2.2: untied input embedding and output projection`,
  },
  unknown: [],
  unverified: [
    'vocab_size', 'd_model', 'n_layers', 'n_heads', 'n_kv_heads', 'd_ff', 'context_length', 'norm', 'position', 'attention', 'ffn',
    'block.placement', 'block.final_norm', 'tie_embeddings',
  ],
  limitations: [],
  notes: ['the lecture table dates Qwen (14B) 2024; the Qwen technical report is from 2023'],
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
};

/** Qwen 2.5 72B (the lecture's "Qwen 2 (72b) - same for 2.5"): Qwen with GQA, RoPE base 1e6 and a 128k context. */
export const qwen2 = deriveSpec(qwen, {
  id: 'qwen-2',
  name: 'Qwen 2 (72B)',
  lectureName: 'Qwen 2 (72b) - same for 2.5',
  year: 2024,
  config: {
    vocab_size: 152064,
    d_model: 8192,
    n_layers: 80,
    n_heads: 64,
    n_kv_heads: 8,
    d_ff: 29568,
    context_length: 131072,
    norm: { type: 'rmsnorm', eps: 1e-5 },
    position: { type: 'rope', theta: 1e6, pairing: 'half' },
  },
  sources: {
    vocab_size: `${QWEN25_LITGPT}: vocab_size 151643 padded to 152064`,
    d_model: `${QWEN25_LITGPT}: n_embd 8192`,
    n_layers: `${QWEN25_LITGPT}: n_layer 80`,
    n_heads: `${QWEN25_LITGPT}: n_head 64`,
    n_kv_heads: `${QWEN25_LITGPT}: n_query_groups 8`,
    d_ff: `${QWEN25_LITGPT}: intermediate_size 29568`,
    context_length: `${QWEN25_LITGPT}: block_size 131072`,
    norm: `${QWEN25_LITGPT}: RMSNorm, norm_eps 1e-5`,
    position: `${QWEN25_LITGPT}: rope_base 1000000`,
    attention: `${QWEN25_LITGPT}: attn_bias true (q/k/v only), bias false elsewhere`,
    ffn: `${QWEN25_LITGPT}: LLaMAMLP (SwiGLU)`,
    'block.placement': `${QWEN25_LITGPT}: pre-norm LLaMA-style blocks`,
    'block.layout': `${QWEN25_LITGPT}: parallel_residual false`,
    'block.final_norm': `${QWEN25_LITGPT}: final ln_f`,
    tie_embeddings: `${QWEN2}: untied embeddings for the large models (small models tie)`,
    stability: `${QWEN25_LITGPT}: no QK-norm, soft-capping or other stability option`,
    'block.embedding_norm': `${QWEN25_LITGPT}: no embedding norm`,
  },
  unverified: ['tie_embeddings'],
  notes: ['the Qwen2.5-72B checkpoint; the lecture row covers Qwen 2 and 2.5, which share the architecture'],
  params: {
    value: 72.7e9,
    source: 'HF Qwen/Qwen2.5-72B model card: 72.7B parameters (quoted, not checked here)',
    tolerance: 0.01,
    toleranceReason: 'the card quotes 0.1B',
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
});
