/** Hugging Face's SmolLM2 1.7B (2025): a small LLaMA-style decoder with tied embeddings. */
import { cells, type ZooSpec } from '../spec.js';

const LITGPT = 'litgpt config.py "SmolLM2-1.7B" (copied from HF HuggingFaceTB/SmolLM2-1.7B config.json)';
const PAPER = 'Allal et al. 2025, "SmolLM2: When Smol Goes Big", arXiv 2502.02737';

export const smollm2: ZooSpec = {
  id: 'smollm2',
  name: 'SmolLM2 (1.7B)',
  lectureName: 'SmolLM2 (1.7B)',
  year: 2025,
  config: {
    vocab_size: 49152,
    d_model: 2048,
    n_layers: 24,
    n_heads: 32,
    n_kv_heads: 32,
    d_ff: 8192,
    context_length: 8192,
    norm: { type: 'rmsnorm', eps: 1e-5 },
    position: { type: 'rope', theta: 130000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${LITGPT}: vocab_size 49152`,
    d_model: `${LITGPT}: n_embd 2048`,
    n_layers: `${LITGPT}: n_layer 24`,
    n_heads: `${LITGPT}: n_head 32`,
    n_kv_heads: `${LITGPT}: n_query_groups 32 (MHA)`,
    d_ff: `${LITGPT}: intermediate_size 8192`,
    context_length: `${LITGPT}: block_size 8192`,
    norm: `${LITGPT}: RMSNorm, norm_eps 1e-5`,
    position: `${LITGPT}: rope_base 130000`,
    attention: `${LITGPT}: bias false`,
    ffn: `${LITGPT}: LLaMAMLP (SwiGLU)`,
    stability: `${PAPER}: the Llama 2 architecture, no stability trick`,
    'block.placement': `${LITGPT}: pre-norm LLaMA blocks (norm_1 and norm_2 on the sublayer inputs)`,
    'block.layout': `${LITGPT}: parallel_residual false`,
    'block.final_norm': `${LITGPT}: final ln_f`,
    'block.embedding_norm': `${LITGPT}: no embedding norm`,
    tie_embeddings: 'HF HuggingFaceTB/SmolLM2-1.7B config.json (as copied by Sakalti/hamachi-1.7B and aloobun/Pruned-SmolLM2-1.4B): tie_word_embeddings true',
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: [],
  params: {
    value: 1.7e9,
    source: `${PAPER}: the 1.7B model (the name)`,
    tolerance: 0.02,
    toleranceReason: 'the name rounds to 0.1B; the config gives about 1.71B',
  },
  disagreements: {
    preNorm: `${LITGPT} builds SmolLM2 from LLaMA blocks with RMSNorm on each sublayer input, which is pre-norm`,
  },
  lectureRow: cells('RMSNorm', 'Serial', '☐', 'RoPE', 'SwiGLU', ''),
};
