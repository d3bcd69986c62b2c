/** OpenAI's GPT decoders: GPT (2018), GPT-2 (2019) as a diff from GPT, GPT-3 (2020) from GPT-2. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const GPT_PAPER = 'Radford et al. 2018, "Improving Language Understanding by Generative Pre-Training" (OpenAI report)';
const GPT_HF = 'HF openai-community/openai-gpt config.json';
const GPT_CODE = 'openai/finetune-transformer-lm train.py (the released GPT code)';
const GPT2_HF = 'HF openai-community/gpt2-xl config.json';
const GPT2_CODE = 'openai/gpt-2 src/model.py';
const GPT3_PAPER = 'Brown et al. 2020, "Language Models are Few-Shot Learners", arXiv 2005.14165';

export const gpt: ZooSpec = {
  id: 'gpt',
  name: 'GPT',
  lectureName: 'GPT',
  year: 2018,
  config: {
    vocab_size: 40478,
    d_model: 768,
    n_layers: 12,
    n_heads: 12,
    n_kv_heads: 12,
    d_ff: 3072,
    context_length: 512,
    norm: { type: 'layernorm', eps: 1e-5, bias: true },
    position: { type: 'learned' },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'mlp', activation: 'gelu_tanh', bias: true },
    stability: [],
    block: { placement: 'post', layout: 'serial', final_norm: false, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${GPT_HF}: vocab_size 40478 (BPE with 40,000 merges)`,
    d_model: `${GPT_HF}: n_embd 768; ${GPT_CODE}: n_embd default 768`,
    n_layers: `${GPT_HF}: n_layer 12`,
    n_heads: `${GPT_HF}: n_head 12`,
    n_kv_heads: `${GPT_PAPER}: masked multi-head self-attention`,
    d_ff: `${GPT_CODE}: the MLP is nx * 4 = 3072 wide`,
    context_length: `${GPT_HF}: n_ctx and n_positions 512`,
    norm: `${GPT_CODE}: norm() applies a gain g and bias b with epsilon 1e-5; ${GPT_HF}: layer_norm_epsilon 1e-5`,
    position: `${GPT_CODE}: position rows n_vocab + n_special .. + n_ctx of the learned embedding matrix we`,
    attention: `${GPT_HF}: biased q/k/v and output projections (Conv1D layers)`,
    ffn: `${GPT_CODE}: gelu() is the tanh approximation, and conv1d c_fc and c_proj carry biases`,
    stability: `${GPT_PAPER}: no stability trick beyond the original post-norm block`,
    'block.placement': `${GPT_CODE}: block() computes n = norm(x + attn(x)), then norm(n + mlp(n)), so post-norm`,
    'block.layout': `${GPT_HF}: attention then MLP`,
    'block.final_norm': `${GPT_CODE}: no norm after the last block`,
    'block.embedding_norm': `${GPT_HF}: no embedding LayerNorm`,
    tie_embeddings: `${GPT_CODE}: the language-model logits multiply the hidden states by the transposed token embedding we`,
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: [],
  lectureRow: cells('LayerNorm', 'Serial', '☐', 'Absolute', 'GeLU', ''),
};

/** GPT-2 XL: GPT with the norm moved to each sublayer input and a final norm after the last block. */
export const gpt2 = deriveSpec(gpt, {
  id: 'gpt-2',
  name: 'GPT-2',
  lectureName: 'GPT2',
  year: 2019,
  config: {
    vocab_size: 50257,
    d_model: 1600,
    n_layers: 48,
    n_heads: 25,
    n_kv_heads: 25,
    d_ff: 6400,
    context_length: 1024,
    ffn: { type: 'mlp', activation: 'gelu_tanh', bias: true },
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
  },
  sources: {
    vocab_size: `${GPT2_HF}: vocab_size 50257`,
    d_model: `${GPT2_HF}: n_embd 1600`,
    n_layers: `${GPT2_HF}: n_layer 48`,
    n_heads: `${GPT2_HF}: n_head 25`,
    n_kv_heads: `${GPT2_HF}: multi-head attention`,
    d_ff: `${GPT2_CODE}: the MLP is nx * 4 = 6400 wide`,
    context_length: `${GPT2_HF}: n_ctx and n_positions 1024`,
    norm: `${GPT2_CODE}: norm() applies a gain g and bias b with epsilon 1e-5; ${GPT2_HF}: layer_norm_epsilon 1e-5`,
    ffn: `${GPT2_CODE}: gelu() is the tanh approximation, and conv1d c_fc and c_proj carry biases; ${GPT2_HF}: activation_function "gelu_new"`,
    'block.placement': `${GPT2_CODE}: block() feeds norm(x, 'ln_1') to attention and norm(x, 'ln_2') to the MLP, so pre-norm`,
    'block.final_norm': `${GPT2_CODE}: norm(h, 'ln_f') after the last block`,
    tie_embeddings: `${GPT2_CODE}: the logits multiply the hidden states by the transposed token embedding wte`,
  },
  unverified: [],
  notes: ['the XL size (1.5B); the HF gpt2 family shares every choice except the widths'],
  lectureRow: cells('LayerNorm', 'Serial', '☑', 'Absolute', 'GeLU', ''),
});

/** GPT-3 175B: GPT-2 at 175B scale with dense and locally banded sparse attention layers alternating. */
export const gpt3 = deriveSpec(gpt2, {
  id: 'gpt-3',
  name: 'GPT-3 (175B)',
  lectureName: 'GPT3 (175B)',
  year: 2020,
  config: {
    d_model: 12288,
    n_layers: 96,
    n_heads: 96,
    n_kv_heads: 96,
    d_ff: 49152,
    context_length: 2048,
    layer_pattern: [{}, { attention: { window: 256 } }],
  },
  sources: {
    vocab_size: `${GPT3_PAPER}, section 2.1: the reversible tokenization of GPT-2, whose BPE has 50,257 tokens`,
    d_model: `${GPT3_PAPER}, Table 2.1: d_model 12288`,
    n_layers: `${GPT3_PAPER}, Table 2.1: 96 layers`,
    n_heads: `${GPT3_PAPER}, Table 2.1: 96 heads of 128`,
    n_kv_heads: `${GPT3_PAPER}, section 2.1: multi-head attention as GPT-2`,
    d_ff: `${GPT3_PAPER}, section 2.1: the feedforward layer is four times the bottleneck layer, d_ff = 4 * d_model`,
    context_length: `${GPT3_PAPER}, section 2.1: context window of 2048 tokens for all models`,
    attention: `${GPT3_PAPER}, section 2.1: alternating dense and locally banded sparse attention patterns in the layers, similar to the Sparse Transformer`,
    ffn: `${GPT3_PAPER}, section 2.1: the GPT-2 MLP (GELU, biased, four times d_model)`,
    norm: `${GPT3_PAPER}, section 2.1: the same model and architecture as GPT-2, including its modified initialization and pre-normalization`,
    'block.placement': `${GPT3_PAPER}, section 2.1: pre-normalization as GPT-2`,
    'block.final_norm': `${GPT3_PAPER}, section 2.1: the GPT-2 architecture, which ends with a final LayerNorm (ln_f in ${GPT2_CODE})`,
  },
  unknown: [
    {
      field: 'attention.window',
      reason: 'the width and block layout of the locally banded sparse layers are not published',
      assumption: 'archzoo assumes a sliding window of 256 tokens on every second layer (layer_pattern [{}, {window: 256}])',
    },
    {
      field: 'tie_embeddings',
      reason: 'the paper does not say whether the output projection shares the token embedding',
      assumption: 'archzoo assumes tied, as GPT-2',
    },
    {
      field: 'ffn.activation',
      reason: 'the paper says "the same model as GPT-2" but does not name the GELU variant',
      assumption: 'archzoo assumes the tanh approximation of GPT-2',
    },
  ],
  unverified: [],
  notes: ['the order of dense and banded layers (dense first) is part of the window assumption'],
  params: {
    value: 175e9,
    source: `${GPT3_PAPER}, Table 2.1: 175.0B parameters for GPT-3 175B`,
    tolerance: 0.01,
    toleranceReason: 'the paper rounds to 0.1B and does not say whether position embeddings are counted',
  },
  lectureRow: cells('LayerNorm', 'Serial', '☑', 'Absolute', 'GeLU', ''),
});
