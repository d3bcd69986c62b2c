/** Google's Gemma 2 27B (2024) and Gemma 3 27B (2025), a diff from Gemma 2. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const GEMMA2 = 'Gemma Team 2024, "Gemma 2: Improving Open Language Models at a Practical Size", arXiv 2408.00118';
const GEMMA2_LITGPT = 'litgpt config.py "Gemma-2-27b" (copied from HF google/gemma-2-27b config.json)';
const GEMMA2_CFG = 'HF google/gemma-2-27b-it config.json (as copied by bullerwins/Big-Tiger-Gemma-27B-v1-exl2_6.0bpw)';
const GEMMA2_HF = 'HF transformers models/gemma2/configuration_gemma2.py';
const GEMMA3 = 'Gemma Team 2025, "Gemma 3 Technical Report", arXiv 2503.19786';
const GEMMA3_HF = 'HF transformers models/gemma3 (configuration_gemma3.py and modeling_gemma3.py)';
const GEMMA3_LITGPT = 'litgpt config.py "Gemma-3-27b-it" (copied from HF google/gemma-3-27b-it config.json)';

export const gemma2: ZooSpec = {
  id: 'gemma-2',
  name: 'Gemma 2 (27B)',
  lectureName: 'Gemma 2 (27B)',
  year: 2024,
  config: {
    vocab_size: 256000,
    d_model: 4608,
    n_layers: 46,
    n_heads: 32,
    n_kv_heads: 16,
    head_dim: 128,
    d_ff: 36864,
    context_length: 8192,
    norm: { type: 'rmsnorm', eps: 1e-6, unit_offset: true },
    position: { type: 'rope', theta: 10000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false, query_pre_attn_scalar: 144 },
    ffn: { type: 'geglu', gelu: 'tanh', bias: false },
    stability: [{ type: 'attn_softcap', cap: 50 }, { type: 'final_softcap', cap: 30 }, { type: 'embedding_scale' }],
    block: { placement: 'sandwich', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
    layer_pattern: [{ attention: { window: 4096 } }, {}],
  },
  sources: {
    vocab_size: `${GEMMA2_LITGPT}: vocab_size 256000`,
    d_model: `${GEMMA2_LITGPT}: n_embd 4608`,
    n_layers: `${GEMMA2_LITGPT}: n_layer 46`,
    n_heads: `${GEMMA2_LITGPT}: n_head 32`,
    n_kv_heads: `${GEMMA2_LITGPT}: n_query_groups 16`,
    head_dim: `${GEMMA2_LITGPT}: head_size 128`,
    d_ff: `${GEMMA2_LITGPT}: intermediate_size 36864`,
    context_length: `${GEMMA2_LITGPT}: block_size 8192`,
    norm: `${GEMMA2_LITGPT}: RMSNorm with add_unit_offset (scale 1 + w) for Gemma models; ${GEMMA2_CFG}: rms_norm_eps 1e-6`,
    position: `${GEMMA2_LITGPT}: rotary_percentage 1.0, rope_base 10000 (litgpt default)`,
    attention: `${GEMMA2_LITGPT}: attention_scores_scalar 144 (scores scaled by 1/sqrt(4608 / 32), not 1/sqrt(128)); sliding_window_size 4096 on layers 0, 2, 4, ...`,
    ffn: `${GEMMA2_LITGPT}: GemmaMLP (GeGLU) with gelu_approximate "tanh", bias false`,
    stability: `${GEMMA2_LITGPT}: attention_logit_softcapping 50, final_logit_softcapping 30, scale_embeddings true (x sqrt(d_model))`,
    'block.placement': `${GEMMA2_LITGPT}: post_attention_norm and post_mlp_norm true on top of the input norms (pre+post sandwich)`,
    'block.layout': `${GEMMA2_LITGPT}: parallel_residual false`,
    'block.final_norm': `${GEMMA2_LITGPT}: final ln_f`,
    'block.embedding_norm': `${GEMMA2_LITGPT}: no embedding norm`,
    tie_embeddings: `${GEMMA2_CFG} sets no tie_word_embeddings, and ${GEMMA2_HF} defaults it to true`,
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: ['local and global layers alternate 1:1, the local (4096-token window) layers first'],
  params: {
    value: 27e9,
    source: `${GEMMA2}: the 27B model (the name)`,
    tolerance: 0.02,
    toleranceReason: 'the name rounds to whole billions; the config gives about 27.2B',
  },
  lectureRow: cells('RMSNorm', 'Serial', '☐', 'RoPE', 'GeGLU', 'Logit soft capping, Pre+post norm'),
};

/** Gemma 3 27B: Gemma 2 with QK-norm instead of soft-capping, 5 local layers per global layer and two RoPE bases. */
export const gemma3 = deriveSpec(gemma2, {
  id: 'gemma-3',
  name: 'Gemma 3',
  lectureName: 'Gemma 3',
  year: 2025,
  config: {
    vocab_size: 262144,
    d_model: 5376,
    n_layers: 62,
    n_heads: 32,
    n_kv_heads: 16,
    head_dim: 128,
    d_ff: 21504,
    context_length: 131072,
    attention: { type: 'causal', qkv_bias: false, out_bias: false, query_pre_attn_scalar: 168 },
    stability: [{ type: 'qk_norm', scope: 'head', eps: 1e-6, unit_offset: true }, { type: 'embedding_scale' }],
    layer_pattern: [
      { attention: { window: 1024 } },
      { attention: { window: 1024 } },
      { attention: { window: 1024 } },
      { attention: { window: 1024 } },
      { attention: { window: 1024 } },
      { position: { theta: 1e6, scaling: 'linear', scaling_factor: 8 } },
    ],
  },
  sources: {
    vocab_size: `${GEMMA3_LITGPT}: vocab_size 262144`,
    d_model: `${GEMMA3_LITGPT}: n_embd 5376`,
    n_layers: `${GEMMA3_LITGPT}: n_layer 62`,
    n_heads: `${GEMMA3_LITGPT}: n_head 32`,
    n_kv_heads: `${GEMMA3_LITGPT}: n_query_groups 16`,
    head_dim: `${GEMMA3_LITGPT}: head_size 128`,
    d_ff: `${GEMMA3_LITGPT}: intermediate_size 21504`,
    context_length: `${GEMMA3_LITGPT}: block_size 131072`,
    position: `${GEMMA3_LITGPT}: rope_local_base_freq 10000 on the sliding layers, rope_base 1e6 with rope_adjustments factor 8 on every sixth (global) layer`,
    attention: `${GEMMA3_LITGPT}: attention_scores_scalar 168, sliding_window_size 1024 on 5 of every 6 layers`,
    norm: `${GEMMA3_HF}: Gemma3RMSNorm scales by (1 + weight); eps 1e-6 is the Gemma3TextConfig default`,
    stability: `${GEMMA3_LITGPT}: norm_qk true and no soft-capping; scale_embeddings true. ${GEMMA3}: QK-norm replaces the soft-capping of Gemma 2. ${GEMMA3_HF}: q_norm and k_norm are Gemma3RMSNorm, scaled by (1 + weight)`,
    tie_embeddings: `${GEMMA3}: tied embeddings as Gemma 2; ${GEMMA3_HF}: tie_word_embeddings defaults to true in Gemma3TextConfig`,
  },
  unverified: ['norm.eps', 'tie_embeddings'],
  notes: ['five local layers (1024-token window, RoPE base 10k) then one global layer (RoPE base 1M, linear scaling 8)'],
  params: {
    value: 27e9,
    source: `${GEMMA3}: the 27B model (the name)`,
    tolerance: 0.03,
    toleranceReason: 'the name rounds to whole billions and the vision encoder is not part of this config',
  },
  lectureRow: cells('RMSNorm', 'Serial', '☐', 'RoPE', 'GeGLU', 'Pre+post norm, QK-norm'),
});
