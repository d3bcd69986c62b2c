/** Microsoft's Phi-3-small 7B (2024): GeGLU, GQA and dense layers alternating with block-sparse ones. */
import { cells, type ZooSpec } from '../spec.js';

const REPORT = 'Abdin et al. 2024, "Phi-3 Technical Report", arXiv 2404.14219';
const CFG = 'microsoft/Phi-3-small-8k-instruct configuration_phi3_small.py (Phi3SmallConfig defaults, as mirrored in an MLX port)';

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
    layer_pattern: [{}, { attention: { window: 1024 } }],
  },
  sources: {
    vocab_size: `${CFG}: tiktoken vocabulary of 100,352`,
    d_model: `${CFG}: hidden_size 4096`,
    n_layers: `${CFG}: num_hidden_layers 32`,
    n_heads: `${CFG}: num_attention_heads 32`,
    n_kv_heads: `${CFG}: num_key_value_heads 8`,
    d_ff: `${CFG}: ff_intermediate_size 14336`,
    context_length: `${REPORT}: 8K default context (a 128K variant exists)`,
    norm: `${CFG}: LayerNorm, layer_norm_epsilon 1e-5`,
    position: `${CFG}: rope_embedding_base 1e6`,
    attention: `${CFG}: dense_attention_every_n_layers (dense and block-sparse layers alternate), blocksparse_block_size 64, blocksparse_num_local_blocks 16, blocksparse_vert_stride 8`,
    ffn: `${CFG}: GeGLU ("gegelu") with gegelu_limit 20`,
    stability: `${CFG}: muP multipliers, mup_embedding_multiplier 10 and mup_width_multiplier 8 (output logits divided by it)`,
    'block.placement': `${REPORT}: pre-norm decoder blocks`,
    'block.layout': `${CFG}: attention then MLP`,
    'block.final_norm': `${CFG}: final LayerNorm`,
    'block.embedding_norm': `${CFG}: no embedding norm`,
  },
  unknown: [
    {
      field: 'attention.window',
      reason: 'archzoo has no Phi-3 block-sparse mask, and dense_attention_every_n_layers is not among the checked values',
      assumption: 'archzoo assumes every second layer is sparse and approximates it by a sliding window of 1024 (16 local blocks of 64)',
    },
    {
      field: 'tie_embeddings',
      reason: 'embedding tying is not among the checked config values',
      assumption: 'archzoo assumes tied',
    },
    {
      field: 'attention.qkv_bias',
      reason: 'linear-layer biases are not among the checked config values',
      assumption: 'archzoo assumes biases on attention and MLP projections',
    },
  ],
  unverified: ['d_model', 'n_layers', 'n_heads', 'n_kv_heads', 'd_ff', 'context_length', 'norm', 'stability'],
  limitations: [
    'the vertical-stride blocks of the Phi-3 block-sparse pattern are not modelled; sparse layers become sliding-window layers',
    'the GeGLU clamp (gegelu_limit 20) is not modelled',
  ],
  notes: ['the muP embedding multiplier and width multiplier are recorded as embedding_scale and logit_scale'],
  disagreements: {
    norm: `${CFG} uses LayerNorm (recalled, not checked); the table row, labelled "same for phi4", matches Phi-3-mini and phi-4, which use RMSNorm (litgpt config.py "Phi-3-mini-4k-instruct" and "phi-4": norm_class_name RMSNorm)`,
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'GeGLU', ''),
};
