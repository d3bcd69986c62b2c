/**
 * The published LLaMA-7B architecture (Touvron et al. 2023, "LLaMA: Open and Efficient Foundation
 * Language Models", arXiv 2302.13971), with the source of every number.
 */
import type { ModelConfig, PublishedArchitecture } from '@archzoo/core';

const PAPER = 'Touvron et al. 2023, arXiv 2302.13971';

export const llama7bConfig: ModelConfig = {
  vocab_size: 32000,
  d_model: 4096,
  n_layers: 32,
  n_heads: 32,
  d_ff: 11008,
  context_length: 2048,
  norm: { type: 'rmsnorm', eps: 1e-6 },
  position: { type: 'rope', theta: 10000, pairing: 'half' },
  attention: { type: 'causal' },
  ffn: { type: 'swiglu' },
  block: { placement: 'pre', layout: 'serial', final_norm: true },
  tie_embeddings: false,
};

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
    ffn: `${PAPER}, section 2.2: SwiGLU (Shazeer 2020) with 2/3 * 4d hidden`,
    attention: 'multi-head attention, 32 query and 32 key/value heads, no biases (Meta reference model.py)',
    tie_embeddings: 'untied: separate tok_embeddings and output matrices in the released checkpoint',
  },
};
