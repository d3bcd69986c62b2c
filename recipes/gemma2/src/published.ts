/**
 * The published Gemma 2 9B architecture (Gemma Team 2024, "Gemma 2: Improving Open Language
 * Models at a Practical Size", arXiv 2408.00118, and the released google/gemma-2-9b checkpoint)
 * as a diff from LLaMA-7B, with the source of every number.
 */
import type { ModelConfig, PublishedArchitecture } from '@archzoo/core';
import { type ConfigDiff, deriveConfig } from '@archzoo/recipe-gpt3';
import { llama7bConfig } from '@archzoo/recipe-llama';

const PAPER = 'Gemma Team 2024, arXiv 2408.00118';
const HF_CONFIG = 'HF google/gemma-2-9b config.json';
const HF_MODEL = 'HF transformers models/gemma2/modeling_gemma2.py';

/** Sliding-window width of the local layers, in tokens. */
export const GEMMA2_WINDOW = 4096;

/** The changes from LLaMA-7B to Gemma 2 9B: its sizes and the architecture changes of `gemma2.changes`. */
export const gemma2Diff: ConfigDiff = {
  vocab_size: 256000,
  d_model: 3584,
  n_layers: 42,
  n_heads: 16,
  n_kv_heads: 8,
  head_dim: 256,
  d_ff: 14336,
  context_length: 8192,
  norm: { type: 'rmsnorm', eps: 1e-6, unit_offset: true },
  attention: { type: 'causal', qkv_bias: false, out_bias: false, query_pre_attn_scalar: 256 },
  ffn: { type: 'geglu', gelu: 'tanh', bias: false },
  stability: [{ type: 'attn_softcap', cap: 50 }, { type: 'final_softcap', cap: 30 }, { type: 'embedding_scale' }],
  block: { placement: 'sandwich', layout: 'serial', final_norm: true, embedding_norm: false },
  tie_embeddings: true,
  layer_pattern: [{ attention: { window: GEMMA2_WINDOW } }, {}],
};

export const gemma2_9bConfig: ModelConfig = deriveConfig(llama7bConfig, gemma2Diff);

/** Non-embedding parameters of Gemma 2 9B in Table 2 of the Gemma 2 report; the config gives exactly this count. */
export const GEMMA2_9B_NON_EMBEDDING = 8_324_201_984;

export const gemma2_9b: PublishedArchitecture = {
  name: 'Gemma 2 9B',
  config: gemma2_9bConfig,
  params: {
    value: 917_962_752 + GEMMA2_9B_NON_EMBEDDING,
    tolerance: 5e-5,
    source: `${PAPER}, Table 2: 917,962,752 embedding + 8,324,201,984 non-embedding parameters = 9,242,164,736. The config gives 9,241,705,984: the non-embedding count matches exactly, and the paper's embedding counts 256,128 rows (Table 1 vocab size) where the released checkpoint has 256,000, a difference of 128 * 3584 = 458,752 (0.005%), hence the tolerance`,
  },
  sources: {
    vocab_size: `${HF_CONFIG}: vocab_size 256000 (${PAPER}, Table 1, counts 256,128)`,
    d_model: `${PAPER}, Table 1: d_model 3584; ${HF_CONFIG}: hidden_size 3584`,
    n_layers: `${PAPER}, Table 1: 42 layers`,
    n_heads: `${PAPER}, Table 1: 16 heads`,
    n_kv_heads: `${PAPER}, Table 1: 8 key/value heads (GQA)`,
    head_dim: `${PAPER}, Table 1: head size 256`,
    d_ff: `${HF_CONFIG}: intermediate_size 14336 (${PAPER}, Table 1, gives 28672 for the gate and up projections together)`,
    context_length: `${PAPER}, Table 1: global attention span 8192`,
    norm: `${HF_MODEL}: Gemma2RMSNorm scales by (1 + weight); ${HF_CONFIG}: rms_norm_eps 1e-6`,
    position: `${PAPER}, section 2: rotary position embeddings; ${HF_CONFIG}: rope_theta 10000`,
    attention: `${HF_CONFIG}: query_pre_attn_scalar 256 (scores scaled by 1/sqrt(256)), attention_bias false`,
    ffn: `${PAPER}, section 2: the approximated GeGLU non-linearity; ${HF_CONFIG}: hidden_activation gelu_pytorch_tanh`,
    stability: `${PAPER}, section 2: soft-capping of attention logits at 50 and final logits at 30; ${HF_MODEL}: embeddings multiplied by sqrt(hidden_size)`,
    block: `${PAPER}, section 2: RMSNorm on the input and the output of each sub-layer (post-norm and pre-norm); ${HF_MODEL}: input, post-attention, pre-feedforward and post-feedforward norms and a final norm`,
    tie_embeddings: `${PAPER}, Table 1: tied embeddings`,
    layer_pattern: `${PAPER}, section 2: local sliding-window attention (4096 tokens) and global attention alternate every other layer; ${HF_MODEL}: layers with even index use the sliding window`,
  },
};
