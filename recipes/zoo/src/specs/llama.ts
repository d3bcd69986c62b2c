/** Meta's LLaMA (2023), LLaMA 2 (2023) as a diff from LLaMA, and Llama 3 (2024) from LLaMA 2. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const LLAMA = 'Touvron et al. 2023, "LLaMA: Open and Efficient Foundation Language Models", arXiv 2302.13971';
const LLAMA_HF = "HF huggyllama/llama-65b config.json (converted from Meta's 65B checkpoint)";
const LLAMA2 = 'Touvron et al. 2023, "Llama 2: Open Foundation and Fine-Tuned Chat Models", arXiv 2307.09288';
const LLAMA2_LITGPT = 'litgpt config.py "Llama-2-70b-hf" (copied from HF meta-llama/Llama-2-70b-hf config.json)';
const LLAMA3 = 'Llama Team 2024, "The Llama 3 Herd of Models", arXiv 2407.21783';
const LLAMA3_LITGPT = 'litgpt config.py "Llama-3-70B" (copied from HF meta-llama/Meta-Llama-3-70B config.json)';

export const llama: ZooSpec = {
  id: 'llama',
  name: 'LLaMA (65B)',
  lectureName: 'LLaMA (65B)',
  year: 2023,
  config: {
    vocab_size: 32000,
    d_model: 8192,
    n_layers: 80,
    n_heads: 64,
    n_kv_heads: 64,
    d_ff: 22016,
    context_length: 2048,
    norm: { type: 'rmsnorm', eps: 1e-5 },
    position: { type: 'rope', theta: 10000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${LLAMA}, section 2.1: SentencePiece BPE with 32k tokens`,
    d_model: `${LLAMA_HF}: hidden_size 8192`,
    n_layers: `${LLAMA_HF}: num_hidden_layers 80`,
    n_heads: `${LLAMA_HF}: num_attention_heads 64`,
    n_kv_heads: `${LLAMA}: multi-head attention (Meta reference model.py)`,
    d_ff: `Meta reference model.py: 2/3 * 4 * 8192 rounded up to a multiple of 256 = 22016`,
    context_length: `${LLAMA}, section 2.4: 2048-token context`,
    norm: `${LLAMA}, section 2.2: RMSNorm pre-normalization; ${LLAMA_HF}: rms_norm_eps 1e-5`,
    position: `${LLAMA}, section 2.2: rotary embeddings, base 10000; HF checkpoints permute q/k for the half-split pairing`,
    attention: `Meta reference model.py: bias-free wq, wk, wv, wo`,
    ffn: `${LLAMA}, section 2.2: SwiGLU with 2/3 * 4d hidden`,
    stability: `${LLAMA}: no stability trick in the architecture`,
    'block.placement': `${LLAMA}, section 2.2: pre-normalization as GPT-3`,
    'block.layout': `${LLAMA}: serial blocks`,
    'block.final_norm': `Meta reference model.py: a final RMSNorm before the output layer`,
    'block.embedding_norm': `Meta reference model.py: no embedding norm`,
    tie_embeddings: `Meta reference model.py: separate tok_embeddings and output matrices`,
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: ["Meta's reference code rotates adjacent pairs; the half-split pairing used here is the HF convention and equivalent for a model trained from scratch"],
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
};

/** LLaMA 2 70B: LLaMA with grouped-query attention (8 KV heads), a 4k context and a wider FFN. */
export const llama2 = deriveSpec(llama, {
  id: 'llama-2',
  name: 'LLaMA 2 (70B)',
  lectureName: 'LLaMA2 (70B)',
  year: 2023,
  config: { n_kv_heads: 8, d_ff: 28672, context_length: 4096, norm: { type: 'rmsnorm', eps: 1e-5 } },
  sources: {
    d_model: `${LLAMA2_LITGPT}: n_embd 8192`,
    n_layers: `${LLAMA2_LITGPT}: n_layer 80`,
    n_heads: `${LLAMA2_LITGPT}: n_head 64`,
    n_kv_heads: `${LLAMA2}, section 2.2: grouped-query attention for 34B and 70B; ${LLAMA2_LITGPT}: n_query_groups 8`,
    d_ff: `${LLAMA2_LITGPT}: intermediate_size 28672`,
    context_length: `${LLAMA2}, section 2.2: context length doubled to 4096`,
    norm: `${LLAMA2_LITGPT}: RMSNorm with litgpt's default eps 1e-5 (HF rms_norm_eps 1e-5)`,
  },
  unverified: [],
  params: {
    value: 70e9,
    source: `${LLAMA2}: the 70B model (the name)`,
    tolerance: 0.02,
    toleranceReason: 'the name rounds to tens of billions; the config gives about 69.0B',
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
});

/** Llama 3 70B: LLaMA 2 70B with a 128k tiktoken vocabulary, RoPE base 500,000 and an 8k context. */
export const llama3 = deriveSpec(llama2, {
  id: 'llama-3',
  name: 'Llama 3 (70B)',
  lectureName: 'Llama 3 (70B)',
  year: 2024,
  config: { vocab_size: 128256, context_length: 8192, position: { type: 'rope', theta: 500000, pairing: 'half' } },
  sources: {
    vocab_size: `${LLAMA3}, section 3.2: 128K-token vocabulary; ${LLAMA3_LITGPT}: padded_vocab_size 128256`,
    d_model: `${LLAMA3_LITGPT}: n_embd 8192`,
    n_layers: `${LLAMA3_LITGPT}: n_layer 80`,
    n_heads: `${LLAMA3_LITGPT}: n_head 64`,
    n_kv_heads: `${LLAMA3_LITGPT}: n_query_groups 8 (GQA at every size)`,
    d_ff: `${LLAMA3_LITGPT}: intermediate_size 28672`,
    context_length: `${LLAMA3_LITGPT}: block_size 8192`,
    position: `${LLAMA3_LITGPT}: rope_base 500000`,
    norm: `${LLAMA3_LITGPT}: RMSNorm, eps 1e-5`,
  },
  params: {
    value: 70e9,
    source: `${LLAMA3}: the 70B model (the name)`,
    tolerance: 0.02,
    toleranceReason: 'the name rounds to tens of billions; the config gives about 70.6B',
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
});
