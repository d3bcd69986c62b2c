/** Microsoft's Phi-3-small 7B (2024): GeGLU, GQA and dense layers alternating with block-sparse ones. */
import { cells, type ZooSpec } from '../spec.js';

const REPORT = 'Abdin et al. 2024, "Phi-3 Technical Report", arXiv 2404.14219';
const CFG = 'HF microsoft/Phi-3-small-8k-instruct config.json (revision 32e8066)';
const CODE = 'microsoft/Phi-3-small-8k-instruct modeling_phi3_small.py (as copied in public repositories)';
const CONFIG_CODE = 'microsoft/Phi-3-small-8k-instruct configuration_phi3_small.py';

export const phi3Small: ZooSpec = {
  id: 'phi-3-small',
  name: 'Phi-3 small',
  lectureName: 'Phi3 (small) - same for phi4',
  year: 2024,
  config: {
    vocab_size: 100352,
    d_model: 4096,
    n_layers: 32,
    n_heads: 32,
    n_kv_heads: 8,
    d_ff: 14336,
    context_length: 8192,
    norm: { type: 'layernorm', eps: 1e-5, bias: true },
    position: { type: 'rope', theta: 1e6, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'geglu', gelu: 'tanh', bias: true },
    stability: [{ type: 'embedding_scale', scale: 10 }, { type: 'logit_scale', scale: 1 / 8 }],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
    layer_pattern: [{ attention: { window: 1024 } }, {}],
  },
  sources: {
    vocab_size: `${CONFIG_CODE}: Phi3SmallConfig vocab_size 100352 (the tiktoken vocabulary)`,
    d_model: `${CFG}: hidden_size 4096`,
    n_layers: `${CFG}: num_hidden_layers 32`,
    n_heads: `${CFG}: num_attention_heads 32`,
    n_kv_heads: `${CFG}: num_key_value_heads 8`,
    d_ff: `${CFG}: ff_intermediate_size 14336`,
    context_length: `${CFG}: max_position_embeddings 8192; ${REPORT}: 8K default context (a 128K variant exists)`,
    norm: `${CODE}: nn.LayerNorm (gain and bias) for input_layernorm, post_attention_layernorm and final_layernorm; ${CFG}: layer_norm_epsilon 1e-5`,
    position: `${CONFIG_CODE}: Phi3SmallConfig rope_embedding_base 10**6`,
    attention: `${CFG}: dense_attention_every_n_layers 2, blocksparse_block_size 64, blocksparse_num_local_blocks 16, blocksparse_vert_stride 8; ${CODE}: layer i is dense when (i + 1) is a multiple of 2, so layers 0, 2, 4, ... are block-sparse; query_key_value and dense are nn.Linear with bias`,
    ffn: `${CFG}: hidden_act "gegelu", gegelu_limit 20; ${CODE}: up_proj and down_proj are nn.Linear with bias`,
    stability: `${CFG}: mup_embedding_multiplier 10 and mup_width_multiplier 8; ${CODE}: embeddings multiplied by the first, logits divided by the second`,
    'block.placement': `${CODE}: input_layernorm before attention and post_attention_layernorm before the MLP, both on the residual branch`,
    'block.layout': `${CODE}: attention then MLP`,
    'block.final_norm': `${CODE}: final_layernorm`,
    'block.embedding_norm': `${CODE}: no embedding norm`,
    tie_embeddings: `${CFG}: no tie_word_embeddings key, so the PretrainedConfig default true applies; ${CODE}: Phi3SmallForCausalLM lists lm_head.weight in _tied_weights_keys`,
  },
  unknown: [
    {
      field: 'attention.window',
      reason: 'archzoo has no Phi-3 block-sparse mask',
      assumption: 'archzoo assumes a sliding window of 1024 (16 local blocks of 64) in place of each block-sparse layer',
    },
  ],
  unverified: [],
  limitations: [
    'the vertical-stride blocks of the Phi-3 block-sparse pattern are not modelled; sparse layers become sliding-window layers',
    'the GeGLU clamp (gegelu_limit 20) is not modelled',
    'the Phi-3-small gate uses the sigmoid GELU approximation x * sigmoid(1.702x) and multiplies it by (linear + 1); archzoo uses the tanh GELU and the plain product',
    'with mup_use_scaling the attention scores are scaled by mup_attn_multiplier / head_dim (1/128); archzoo scales by 1/sqrt(head_dim)',
  ],
  notes: ['the muP embedding multiplier and width multiplier are recorded as embedding_scale and logit_scale'],
  disagreements: {
    norm: `${CODE} uses LayerNorm; the table row, labelled "same for phi4", matches Phi-3-mini and phi-4, which use RMSNorm (litgpt config.py "Phi-3-mini-4k-instruct" and "phi-4": norm_class_name RMSNorm)`,
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'GeGLU', ''),
};
