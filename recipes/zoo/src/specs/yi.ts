/** 01.AI's Yi-34B (2024): the LLaMA architecture with GQA and a 5e6 RoPE base. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = '01.AI 2024, "Yi: Open Foundation Models by 01.AI", arXiv 2403.04652';
const HF = 'HF 01-ai/Yi-34B configuration_yi.py defaults';
const CFG = 'HF 01-ai/Yi-34B config.json (as copied by GreenBitAI/yi-34b-w4a16g32)';

export const yi: ZooSpec = {
  id: 'yi',
  name: 'Yi (34B)',
  lectureName: 'Yi (34B)',
  year: 2024,
  config: {
    vocab_size: 64000,
    d_model: 7168,
    n_layers: 60,
    n_heads: 56,
    n_kv_heads: 8,
    d_ff: 20480,
    context_length: 4096,
    norm: { type: 'rmsnorm', eps: 1e-5 },
    position: { type: 'rope', theta: 5e6, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${HF}: vocab_size 64000`,
    d_model: `${CFG}: hidden_size 7168`,
    n_layers: `${CFG}: num_hidden_layers 60`,
    n_heads: `${CFG}: num_attention_heads 56`,
    n_kv_heads: `${CFG}: num_key_value_heads 8 (GQA)`,
    d_ff: `${CFG}: intermediate_size 20480`,
    context_length: `${CFG}: max_position_embeddings 4096 (a 200K variant exists)`,
    norm: `${HF}: rms_norm_eps 1e-5; ${PAPER}: the LLaMA pre-norm RMSNorm block`,
    position: `${HF}: rope_theta 5,000,000`,
    attention: `${PAPER}, section 2: the LLaMA design, no biases`,
    ffn: `${PAPER}, section 2: SwiGLU`,
    stability: `${PAPER}: no stability trick in the architecture`,
    'block.placement': `${PAPER}, section 2: pre-norm`,
    'block.layout': `${PAPER}, section 2: the LLaMA block`,
    'block.final_norm': `${PAPER}: the LLaMA final norm`,
    'block.embedding_norm': `${PAPER}: no embedding norm`,
    tie_embeddings: `${HF}: tie_word_embeddings false`,
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: [],
  params: {
    value: 34e9,
    source: `${PAPER}: the 34B model (the name)`,
    tolerance: 0.02,
    toleranceReason: 'the name rounds to whole billions; the config gives about 34.4B',
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
};
