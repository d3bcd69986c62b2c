/** Ai2's OLMo 7B (2024) and OLMo 2 7B (2024), a diff from OLMo. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const OLMO = 'Groeneveld et al. 2024, "OLMo: Accelerating the Science of Language Models", arXiv 2402.00838';
const OLMO_CFG = 'allenai/OLMo configs/official/OLMo-7B.yaml';
const OLMO_LITGPT = 'litgpt config.py "OLMo-7B-hf" (copied from HF allenai/OLMo-7B-hf config.json)';
const OLMO2_LITGPT = 'litgpt config.py "OLMo-2-1124-7B" (copied from HF allenai/OLMo-2-1124-7B config.json)';
const OLMO2_CORE = 'allenai/OLMo-core src/olmo_core/nn/transformer/block.py ReorderedNormTransformerBlock and src/scripts/train/OLMo2/OLMo2-7B.py';

export const olmo: ZooSpec = {
  id: 'olmo',
  name: 'OLMo',
  lectureName: 'OLMO',
  year: 2024,
  config: {
    vocab_size: 50304,
    d_model: 4096,
    n_layers: 32,
    n_heads: 32,
    n_kv_heads: 32,
    d_ff: 11008,
    context_length: 2048,
    norm: { type: 'layernorm', eps: 1e-5, affine: false, bias: false },
    position: { type: 'rope', theta: 10000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${OLMO_CFG}: vocab_size 50280 padded to embedding_size 50304`,
    d_model: `${OLMO_CFG}: d_model 4096`,
    n_layers: `${OLMO_CFG}: n_layers 32`,
    n_heads: `${OLMO_CFG}: n_heads 32`,
    n_kv_heads: `${OLMO_LITGPT}: multi-head attention (no n_query_groups)`,
    d_ff: `${OLMO_CFG}: fused SwiGLU hidden 22016 = 2 x 11008; ${OLMO_LITGPT}: intermediate_size 11008`,
    context_length: `${OLMO_CFG}: max_sequence_length 2048`,
    norm: `${OLMO_CFG}: layer_norm_with_affine false, a LayerNorm without gain or bias, eps 1e-5; ${OLMO}, section 2.1: non-parametric layer norm`,
    position: `${OLMO_LITGPT}: RoPE over the whole head, base 10000`,
    attention: `${OLMO}, section 2.1: no biases`,
    ffn: `${OLMO}, section 2.1: SwiGLU activation`,
    stability: `${OLMO_CFG}: the model section sets no clip_qkv, attention_layer_norm false (no QK-norm) and no softmax_auxiliary_loss (no z-loss); clip_qkv 8 arrived with the 0424 configs`,
    'block.placement': `${OLMO_LITGPT}: pre-norm LLaMA-style blocks`,
    'block.layout': `${OLMO_LITGPT}: parallel_residual false`,
    'block.final_norm': `${OLMO_LITGPT}: final ln_f`,
    'block.embedding_norm': `${OLMO_CFG}: no embedding norm`,
    tie_embeddings: `${OLMO_CFG}: weight_tying false for 7B (the 1B model ties)`,
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: ['the February 2024 OLMo-7B; OLMo 1.7 (0424) adds q/k/v clipping at 8 and a 4096 context'],
  disagreements: {
    norm: `${OLMO_CFG} sets layer_norm_with_affine false: a LayerNorm that subtracts the mean and has no gain or bias, not RMSNorm (litgpt config.py builds OLMo's norm as LayerNorm(elementwise_affine=False))`,
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
};

/** OLMo 2 7B: OLMo with RMSNorm on sublayer outputs inside the residual, whole-projection QK-norm and z-loss. */
export const olmo2 = deriveSpec(olmo, {
  id: 'olmo-2',
  name: 'OLMo 2',
  lectureName: 'Olmo 2',
  year: 2024,
  config: {
    vocab_size: 100352,
    context_length: 4096,
    norm: { type: 'rmsnorm', eps: 1e-6 },
    position: { type: 'rope', theta: 500000, pairing: 'half' },
    stability: [
      { type: 'z_loss', coefficient: 1e-5 },
      { type: 'qk_norm', scope: 'projection', eps: 1e-6 },
    ],
    block: { placement: 'reordered', layout: 'serial', final_norm: true, embedding_norm: false },
  },
  sources: {
    vocab_size: `${OLMO2_LITGPT}: vocab_size 100278 padded to 100352`,
    d_model: `${OLMO2_LITGPT}: n_embd 4096`,
    n_layers: `${OLMO2_LITGPT}: n_layer 32`,
    n_heads: `${OLMO2_LITGPT}: n_head 32`,
    n_kv_heads: `${OLMO2_LITGPT}: n_query_groups 32 (MHA)`,
    d_ff: `${OLMO2_LITGPT}: intermediate_size 11008`,
    context_length: `${OLMO2_LITGPT}: block_size 4096`,
    norm: `${OLMO2_LITGPT}: RMSNorm, norm_eps 1e-6`,
    position: `${OLMO2_LITGPT}: rope_base 500000`,
    stability: `${OLMO2_LITGPT}: norm_qk true with norm_qk_type "olmo2" (over the whole q and k projections); ${OLMO2_CORE}: z-loss multiplier 1e-5`,
    'block.placement': `${OLMO2_CORE}: h = x + Norm(Attn(x)), out = h + Norm(MLP(h)), no norm on the sublayer inputs; ${OLMO2_LITGPT}: norm_1 and norm_2 false, post_attention_norm and post_mlp_norm true`,
    'block.final_norm': `${OLMO2_LITGPT}: final ln_f`,
    tie_embeddings: 'allenai/OLMo configs/official-1124/OLMo2-7B-stage1.yaml: weight_tying false',
    attention: `${OLMO2_LITGPT}: bias false, MHA`,
    ffn: `${OLMO2_LITGPT}: LLaMAMLP (SwiGLU), bias false`,
    'block.layout': `${OLMO2_LITGPT}: parallel_residual false`,
    'block.embedding_norm': `${OLMO2_CORE}: no embedding norm`,
  },
  unverified: [],
  notes: ['the November 2024 OLMo-2-1124-7B'],
  lectureRow: cells('RMSNorm', 'Serial', '☐', 'RoPE', 'SwiGLU', 'Z-loss, QK-norm'),
});
