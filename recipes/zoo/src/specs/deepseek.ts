/** DeepSeek LLM 67B (2024): the LLaMA architecture with GQA and 95 layers. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'DeepSeek-AI 2024, "DeepSeek LLM: Scaling Open-Source Language Models with Longtermism", arXiv 2401.02954';
const CFG = 'HF deepseek-ai/deepseek-llm-67b-base config.json (as copied by Vivacem/DeepSeek-67B-MMIQC)';

export const deepseek: ZooSpec = {
  id: 'deepseek',
  name: 'DeepSeek (67B)',
  lectureName: 'DeepSeek (67B)',
  year: 2024,
  config: {
    vocab_size: 102400,
    d_model: 8192,
    n_layers: 95,
    n_heads: 64,
    n_kv_heads: 8,
    d_ff: 22016,
    context_length: 4096,
    norm: { type: 'rmsnorm', eps: 1e-6 },
    position: { type: 'rope', theta: 10000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${CFG}: vocab_size 102400`,
    d_model: `${CFG}: hidden_size 8192`,
    n_layers: `${CFG}: num_hidden_layers 95`,
    n_heads: `${CFG}: num_attention_heads 64`,
    n_kv_heads: `${CFG}: num_key_value_heads 8`,
    d_ff: `${CFG}: intermediate_size 22016`,
    context_length: `${CFG}: max_position_embeddings 4096`,
    norm: `${PAPER}, section 2.2: pre-norm RMSNorm as LLaMA; ${CFG}: rms_norm_eps 1e-6`,
    position: `${PAPER}, section 2.2: rotary embeddings; ${CFG}: rope_theta 10000`,
    attention: `${PAPER}, section 2.2: the LLaMA design, no biases`,
    ffn: `${PAPER}, section 2.2: SwiGLU FFN`,
    stability: `${PAPER}: no stability trick in the architecture`,
    'block.placement': `${PAPER}, section 2.2: pre-norm`,
    'block.layout': `${PAPER}, section 2.2: the LLaMA block`,
    'block.final_norm': `${PAPER}: the LLaMA final norm`,
    'block.embedding_norm': `${PAPER}: no embedding norm`,
    tie_embeddings: `${CFG}: tie_word_embeddings false`,
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: ['the 7B model is multi-head with 30 layers; only the 67B uses GQA'],
  params: {
    value: 67e9,
    source: `${PAPER}: the 67B model (the name)`,
    tolerance: 0.01,
    toleranceReason: 'the name rounds to whole billions',
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
};
