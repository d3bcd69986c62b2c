/** Cohere's Command R+ (2024) and Command A (2025), a diff from Command R+. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const HF_COHERE = 'HF transformers models/cohere/modular_cohere.py';
const RPLUS_DUMP = 'CohereForAI/c4ai-command-r-plus config.json values as reproduced in a third-party dump';
const RPLUS_CFG = 'HF CohereForAI/c4ai-command-r-plus config.json (as copied by alpindale/c4ai-command-r-plus-GPTQ)';
const HF_COHERE2 = 'HF transformers models/cohere2/modular_cohere2.py and configuration_cohere2.py';
const CMD_A = 'Cohere 2025, "Command A: An Enterprise-Ready Large Language Model", arXiv 2504.00698';

export const commandRPlus: ZooSpec = {
  id: 'command-r-plus',
  name: 'Command R+',
  lectureName: 'Command R+',
  year: 2024,
  config: {
    vocab_size: 256000,
    d_model: 12288,
    n_layers: 64,
    n_heads: 96,
    n_kv_heads: 8,
    d_ff: 33792,
    context_length: 131072,
    norm: { type: 'layernorm', eps: 1e-5, bias: false },
    position: { type: 'rope', theta: 75e6, pairing: 'interleaved' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [{ type: 'qk_norm', scope: 'head', eps: 1e-5 }, { type: 'logit_scale', scale: 0.8333 }],
    block: { placement: 'pre', layout: 'parallel_shared_norm', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${RPLUS_DUMP}: vocab_size 256000`,
    d_model: `${RPLUS_DUMP}: hidden_size 12288`,
    n_layers: `${RPLUS_DUMP}: num_hidden_layers 64`,
    n_heads: `${RPLUS_DUMP}: num_attention_heads 96`,
    n_kv_heads: `${RPLUS_DUMP}: num_key_value_heads 8`,
    d_ff: `${RPLUS_DUMP}: intermediate_size 33792`,
    context_length: `CohereForAI/c4ai-command-r-plus model card: 128k context; ${RPLUS_CFG}: model_max_length 131072`,
    norm: `${HF_COHERE}: CohereLayerNorm with weight and no bias, layer_norm_eps 1e-5`,
    position: `${HF_COHERE}: rotary embedding applied to interleaved (adjacent) pairs; ${RPLUS_CFG}: rope_theta 75,000,000`,
    attention: `${HF_COHERE}: attention_bias false`,
    ffn: `${HF_COHERE}: gate/up/down MLP with SiLU (SwiGLU)`,
    stability: `${HF_COHERE}: use_qk_norm applies a LayerNorm over each head's q and k, and logits are multiplied by logit_scale; ${RPLUS_CFG}: logit_scale 0.8333 and use_qk_norm true (the dump's use_qk_norm false does not match it)`,
    'block.placement': `${HF_COHERE}: input_layernorm on the block input`,
    'block.layout': `${HF_COHERE}: x + attn(n) + mlp(n) with n = input_layernorm(x), one norm for both branches`,
    'block.final_norm': `${HF_COHERE}: final norm before the LM head`,
    'block.embedding_norm': `${HF_COHERE}: no embedding norm`,
    tie_embeddings: `${HF_COHERE}: tie_word_embeddings true`,
  },
  unknown: [],
  unverified: [],
  limitations: ['archzoo QK-norm options do not select the norm type; Cohere uses a LayerNorm over each head'],
  notes: ['the 104B model; Command R (35B) shares the block with different widths'],
  params: {
    value: 104e9,
    source: 'CohereForAI/c4ai-command-r-plus model card: a 104B parameter model',
    tolerance: 0.01,
    toleranceReason: 'the card rounds to whole billions',
  },
  disagreements: {
    stability: `${HF_COHERE} has a per-head LayerNorm QK-norm (use_qk_norm), which ${RPLUS_CFG} turns on; converters in mlc-ai/mlc-llm and llama.cpp also need the q/k norm weights to load Command R+`,
  },
  lectureRow: cells('LayerNorm', 'Parallel', '☑', 'RoPE', 'SwiGLU', ''),
};

/** Command A 111B: the Command R+ block with 3 sliding-window RoPE layers per global NoPE layer. */
export const commandA = deriveSpec(commandRPlus, {
  id: 'command-a',
  name: 'Command A',
  lectureName: 'Command A',
  year: 2025,
  config: {
    d_ff: 36864,
    context_length: 262144,
    stability: [{ type: 'logit_scale', scale: 0.8333 }],
    layer_pattern: [
      { attention: { window: 4096 } },
      { attention: { window: 4096 } },
      { attention: { window: 4096 } },
      { position: null },
    ],
  },
  sources: {
    vocab_size: `${CMD_A}: the 256k Cohere tokenizer of Command R+`,
    d_model: `${CMD_A}: hidden size 12288 for 111B`,
    n_layers: `${CMD_A}: 64 layers`,
    n_heads: `${CMD_A}: 96 query heads`,
    n_kv_heads: `${HF_COHERE2}: grouped-query attention; ${CMD_A}: 8 KV heads`,
    d_ff: `${CMD_A}: intermediate width 36864 for 111B`,
    context_length: `${CMD_A}: 256k context`,
    position: `${HF_COHERE2}: RoPE (interleaved pairs) on sliding-window layers only; every fourth layer is global with no positional encoding`,
    attention: `${HF_COHERE2}: sliding_window 4096 with sliding_window_pattern 4 (three local layers, then one global)`,
    stability: `${HF_COHERE2}: logits multiplied by logit_scale; no QK-norm in the Cohere2 block`,
    'block.placement': `${HF_COHERE2}: input_layernorm on the block input, as Cohere`,
    'block.layout': `${HF_COHERE2}: parallel attention and MLP from one norm, as Cohere`,
  },
  unknown: [
    { field: 'position.theta', reason: 'the RoPE base of Command A is not among the checked sources', assumption: "archzoo keeps Command R+'s 75,000,000" },
    { field: 'stability.logit_scale.scale', reason: 'the logit scale value of Command A is not among the checked sources', assumption: "archzoo keeps Command R+'s 0.8333" },
  ],
  unverified: ['d_model', 'n_layers', 'n_heads', 'n_kv_heads', 'd_ff', 'vocab_size'],
  limitations: [],
  notes: ['the 111B model; widths follow the Command R+ block and are not checked against the report'],
  params: {
    value: 111e9,
    source: `${CMD_A}: a 111B parameter model`,
    tolerance: 0.01,
    toleranceReason: 'the report rounds to whole billions',
  },
  disagreements: {
    preNorm: `${HF_COHERE2} applies input_layernorm to the block input and feeds its output to both attention and MLP, which is pre-norm with a parallel layout`,
  },
  lectureRow: cells('LayerNorm', 'Parallel', '☐', 'Hybrid (RoPE+NoPE)', 'SwiGLU', ''),
});
