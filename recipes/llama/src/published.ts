/**
 * The published LLaMA-7B architecture (Touvron et al. 2023, "LLaMA: Open and Efficient Foundation
 * Language Models", arXiv 2302.13971) as a diff from GPT-3 175B, with the source of every number.
 */
import type { ModelConfig, PublishedArchitecture } from '@archzoo/core';
import { type ConfigDiff, deriveConfig, gpt3_175bConfig } from '@archzoo/recipe-gpt3';

const PAPER = 'Touvron et al. 2023, arXiv 2302.13971';

/**
 * The changes from GPT-3 175B to LLaMA-7B: its sizes and the architecture changes of `llama.changes`.
 * The 2048-token context, the pre-norm block and the empty stability list stay.
 */
export const llamaDiff: ConfigDiff = {
  vocab_size: 32000,
  d_model: 4096,
  n_layers: 32,
  n_heads: 32,
  d_ff: 11008,
  norm: { type: 'rmsnorm', eps: 1e-6 },
  position: { type: 'rope', theta: 10000, pairing: 'half' },
  attention: { type: 'causal', qkv_bias: false, out_bias: false },
  ffn: { type: 'swiglu', bias: false },
  tie_embeddings: false,
  layer_pattern: null,
};

export const llama7bConfig: ModelConfig = deriveConfig(gpt3_175bConfig, llamaDiff);

export const llama7b: PublishedArchitecture = {
  name: 'LLaMA-7B',
  config: llama7bConfig,
  params: {
    value: 6_738_415_616,
    tolerance: 0,
    source:
      'released 7B checkpoint: HF Llama-2-7b-hf model.safetensors.index.json total_size 13,476,839,424 bytes = 2 bytes x 6,738,415,616 fp16 weights + 32 fp32 rotary inv_freq buffers of 64 values (LLaMA-7B and Llama-2-7B share this architecture); the paper rounds it to 6.7B (Table 2)',
  },
  sources: {
    vocab_size: `${PAPER}, section 2.1: SentencePiece BPE with 32k tokens`,
    d_model: `${PAPER}, Table 2 (dimension 4096)`,
    n_layers: `${PAPER}, Table 2 (32 layers)`,
    n_heads: `${PAPER}, Table 2 (32 heads)`,
    d_ff: 'Meta reference code: hidden = multiple_of(256) rounding of 2/3 * 4 * 4096 = 11008 (HF config intermediate_size 11008)',
    context_length: `${PAPER}, section 2.4: 2048-token context`,
    norm: `${PAPER}, section 2.2: RMSNorm pre-normalisation (Zhang and Sennrich 2019); eps 1e-6 from Meta's params.json norm_eps`,
    position: `${PAPER}, section 2.2: rotary embeddings (Su et al. 2021), base 10000; HF stores q/k permuted for half-split pairing`,
    ffn: `${PAPER}, section 2.2: SwiGLU (Shazeer 2020) with 2/3 * 4d hidden; no biases (Meta reference model.py)`,
    attention: 'multi-head attention, 32 query and 32 key/value heads, no biases (Meta reference model.py)',
    stability: `${PAPER}, section 2.2: pre-normalization, SwiGLU and rotary embeddings are the only changes listed to the GPT-3-style transformer`,
    block: `${PAPER}, section 2.2: the input of each sub-layer is normalized, as in GPT-3, with a final norm before the output (Meta reference model.py)`,
    tie_embeddings: 'untied: separate tok_embeddings and output matrices in the released checkpoint',
  },
};
