/** Mistral AI's Mistral 7B (2023) and Mixtral 8x7B (2024), a diff from Mistral 7B. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const MISTRAL = 'Jiang et al. 2023, "Mistral 7B", arXiv 2310.06825';
const MISTRAL_LITGPT = 'litgpt config.py "Mistral-7B-v0.1" (copied from HF mistralai/Mistral-7B-v0.1 config.json)';
const MIXTRAL = 'Jiang et al. 2024, "Mixtral of Experts", arXiv 2401.04088';
const MIXTRAL_CFG = 'HF mistralai/Mixtral-8x7B-v0.1 config.json';

export const mistral: ZooSpec = {
  id: 'mistral',
  name: 'Mistral (7B)',
  lectureName: 'Mistral (7B)',
  year: 2023,
  config: {
    vocab_size: 32000,
    d_model: 4096,
    n_layers: 32,
    n_heads: 32,
    n_kv_heads: 8,
    d_ff: 14336,
    context_length: 32768,
    norm: { type: 'rmsnorm', eps: 1e-5 },
    position: { type: 'rope', theta: 10000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false, window: 4096 },
    ffn: { type: 'swiglu', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${MISTRAL_LITGPT}: padded_vocab_size 32000`,
    d_model: `${MISTRAL_LITGPT}: n_embd 4096 (litgpt default)`,
    n_layers: `${MISTRAL_LITGPT}: n_layer 32`,
    n_heads: `${MISTRAL_LITGPT}: n_head 32 (litgpt default)`,
    n_kv_heads: `${MISTRAL_LITGPT}: n_query_groups 8`,
    d_ff: `${MISTRAL_LITGPT}: intermediate_size 14336`,
    context_length: `${MISTRAL_LITGPT}: its comment says the block size should be 32768 (max_position_embeddings)`,
    norm: `${MISTRAL_LITGPT}: RMSNorm, norm_eps 1e-5`,
    position: `${MISTRAL_LITGPT}: rope_base 10000 (litgpt default; v0.2 and later use 1e6)`,
    attention: `${MISTRAL}, section 2: sliding-window attention with W = 4096 in every layer; ${MISTRAL_LITGPT}: sliding_window_size 4096, bias false`,
    ffn: `${MISTRAL_LITGPT}: LLaMAMLP (SwiGLU)`,
    stability: `${MISTRAL}: no stability trick in the architecture`,
    'block.placement': `${MISTRAL_LITGPT}: parallel_residual false, pre-norm LLaMA blocks`,
    'block.layout': `${MISTRAL_LITGPT}: parallel_residual false`,
    'block.final_norm': `${MISTRAL_LITGPT}: litgpt's final ln_f`,
    'block.embedding_norm': `${MISTRAL_LITGPT}: no embedding norm`,
    tie_embeddings: 'HF mistralai/Mistral-7B-v0.1 config.json (as copied by dmayboroda/42_mistral_0.1): tie_word_embeddings false',
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: ['v0.1; v0.2 and later drop the sliding window and use RoPE base 1e6'],
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
};

/** Mixtral 8x7B: Mistral 7B with 8 SwiGLU experts (top-2) per layer, RoPE base 1e6 and no sliding window. */
export const mixtral = deriveSpec(mistral, {
  id: 'mixtral',
  name: 'Mixtral',
  lectureName: 'Mixtral of Experts',
  year: 2024,
  config: {
    position: { type: 'rope', theta: 1e6, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'moe', n_experts: 8, top_k: 2, expert: 'swiglu', aux_loss_coef: 0.02 },
  },
  sources: {
    vocab_size: `${MIXTRAL_CFG}: vocab_size 32000`,
    d_model: `${MIXTRAL_CFG}: hidden_size 4096`,
    n_layers: `${MIXTRAL_CFG}: num_hidden_layers 32`,
    n_heads: `${MIXTRAL_CFG}: num_attention_heads 32`,
    n_kv_heads: `${MIXTRAL_CFG}: num_key_value_heads 8`,
    d_ff: `${MIXTRAL_CFG}: intermediate_size 14336 per expert`,
    context_length: `${MIXTRAL_CFG}: max_position_embeddings 32768`,
    norm: `${MIXTRAL_CFG}: rms_norm_eps 1e-5`,
    position: `${MIXTRAL_CFG}: rope_theta 1e6`,
    attention: `${MIXTRAL_CFG}: sliding_window null (full causal attention)`,
    ffn: `${MIXTRAL}, section 2.1: 8 experts, 2 chosen per token; ${MIXTRAL_CFG}: num_local_experts 8, num_experts_per_tok 2, router_aux_loss_coef 0.02`,
    tie_embeddings: `${MIXTRAL_CFG}: tie_word_embeddings false`,
  },
  unverified: [],
  notes: ['Mixtral is a sparse mixture of experts; its dense parts are those of Mistral 7B'],
  params: {
    value: 46.7e9,
    source: `${MIXTRAL}: 47B total parameters (13B active); 46.7B is the commonly quoted exact figure, not checked against the paper here`,
    tolerance: 0.01,
    toleranceReason: 'the figure itself is quoted to 0.1B',
  },
  disagreements: {
    norm: `the table leaves Mixtral blank; ${MIXTRAL_CFG} gives RMSNorm (rms_norm_eps 1e-5), as Mistral 7B`,
    parallel: `the table leaves Mixtral blank; ${MIXTRAL_CFG} is a MixtralForCausalLM with serial attention and sparse-MoE sublayers`,
    preNorm: `the table shows ☐; the Mixtral block normalises each sublayer input (input_layernorm, post_attention_layernorm), as Mistral 7B`,
    position: `the table leaves Mixtral blank; ${MIXTRAL_CFG} gives rotary embeddings with rope_theta 1e6`,
    activation: `the table leaves Mixtral blank; ${MIXTRAL}, section 2.1: every expert is a SwiGLU FFN`,
  },
  lectureRow: cells('', '', '☐', '', '', ''),
});
