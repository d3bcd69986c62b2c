/** T5 (2019), T5 v1.1 (2020) as a diff from T5, and mT5 (2020) from T5 v1.1; each represented by its decoder. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const T5_PAPER = 'Raffel et al. 2019, "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer", arXiv 1910.10683';
const T5_HF = 'HF transformers models/t5/modeling_t5.py';
const T5_11B_CFG = "HF google/t5-11b-ssm-nqo config.json (Google's T5 11B, further trained on Natural Questions; the architecture is unchanged)";
const T511_CARD = 'google/t5-v1_1-xxl model card and config.json (T5 v1.1 release notes)';
const MT5_PAPER = 'Xue et al. 2020, "mT5: A massively multilingual pre-trained text-to-text transformer", arXiv 2010.11934';
const MT5_README = 'google-research/multilingual-t5 README.md, the command that pre-trains mT5 on mc4 with the paper recipe';
const MT5_CFG = 'HF google/mt5-base config.json, as copied by fine-tunes that name it in _name_or_path (e.g. doc2query/msmarco-german-mt5-base-v1)';

const ENCODER_DECODER_NOTE =
  'an encoder-decoder model, represented by its decoder stack: causal self-attention with the same norm, position and FFN choices as the encoder';

export const t5: ZooSpec = {
  id: 't5',
  name: 'T5 (11B)',
  lectureName: 'T5 (11B)',
  year: 2019,
  config: {
    vocab_size: 32128,
    d_model: 1024,
    n_layers: 24,
    n_heads: 128,
    n_kv_heads: 128,
    head_dim: 128,
    d_ff: 65536,
    context_length: 512,
    norm: { type: 'rmsnorm', eps: 1e-6 },
    position: { type: 't5_relative', num_buckets: 32, max_distance: 128 },
    attention: { type: 'causal', qkv_bias: false, out_bias: false, score_scale: 'none' },
    ffn: { type: 'mlp', activation: 'relu', bias: false },
    stability: [{ type: 'logit_scale', scale: 1024 ** -0.5 }],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${T5_11B_CFG}: vocab_size 32128 (the 32,000-piece SentencePiece vocabulary plus sentinels)`,
    d_model: `${T5_11B_CFG}: d_model 1024`,
    n_layers: `${T5_11B_CFG}: num_layers and num_decoder_layers 24`,
    n_heads: `${T5_11B_CFG}: num_heads 128`,
    n_kv_heads: `${T5_PAPER}, section 2.1: standard multi-head attention`,
    head_dim: `${T5_11B_CFG}: d_kv 128`,
    d_ff: `${T5_11B_CFG}: d_ff 65536`,
    context_length: `${T5_PAPER}, section 3.1.2: pre-training on sequences of 512 tokens; google-research/text-to-text-transfer-transformer t5/models/gin/objectives/span.gin: inputs_length = 512 by default (the released runs' own settings are not checked)`,
    norm: `${T5_HF}: T5LayerNorm scales by the RMS with a weight, without mean subtraction or bias; ${T5_11B_CFG}: layer_norm_epsilon 1e-6`,
    position: `${T5_11B_CFG}: relative_attention_num_buckets 32; ${T5_HF}: max_distance 128 by default, a learned bias per bucket and head added to the attention logits`,
    attention: `${T5_HF}: no 1/sqrt(d_kv) score scaling (folded into the initialisation) and bias-free projections`,
    ffn: `${T5_11B_CFG}: feed_forward_proj "relu"; ${T5_HF}: T5DenseActDense with bias-free wi and wo`,
    stability: `${T5_HF}: the tied output projection rescales the decoder output by d_model^-0.5; no other stability trick`,
    'block.placement': `${T5_PAPER}, section 2.1: layer normalization applied to the input of each subcomponent`,
    'block.layout': `${T5_PAPER}, section 2.1: self-attention then feed-forward`,
    'block.final_norm': `${T5_PAPER}, section 2.1: a layer normalization after the final block of each stack`,
    'block.embedding_norm': `${T5_HF}: no norm on the embeddings`,
    tie_embeddings: `${T5_11B_CFG}: no tie_word_embeddings entry, so the HF PretrainedConfig default true applies`,
  },
  unknown: [],
  unverified: ['context_length'],
  limitations: ['encoder-decoder: the encoder, its bidirectional buckets and the cross-attention are not modelled'],
  notes: [ENCODER_DECODER_NOTE],
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'Relative', 'ReLU', ''),
};

/** T5 v1.1 XXL: T5 with GeGLU, an untied output layer without the rescale, and new widths. */
export const t5v11 = deriveSpec(t5, {
  id: 't5-v1.1',
  name: 'T5 v1.1 (XXL 11B)',
  lectureName: 'T5 (XXL 11B) v1.1',
  year: 2020,
  config: {
    d_model: 4096,
    n_layers: 24,
    n_heads: 64,
    n_kv_heads: 64,
    head_dim: 64,
    d_ff: 10240,
    ffn: { type: 'geglu', gelu: 'tanh', bias: false },
    stability: [],
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${T511_CARD}: vocab_size 32128`,
    d_model: `${T511_CARD}: d_model 4096`,
    n_layers: `${T511_CARD}: num_layers 24 (encoder and decoder)`,
    n_heads: `${T511_CARD}: num_heads 64`,
    head_dim: `${T511_CARD}: d_kv 64`,
    d_ff: `${T511_CARD}: d_ff 10240`,
    norm: `${T5_HF}: T5LayerNorm; ${T511_CARD}: layer_norm_epsilon 1e-6`,
    position: `${T511_CARD}: relative_attention_num_buckets 32; ${T5_HF}: max_distance 128 by default`,
    ffn: `${T511_CARD}: GEGLU ("gated-gelu", tanh-approximated GELU in ${T5_HF}) instead of ReLU`,
    stability: `${T511_CARD}: no logit rescaling once the embeddings are untied`,
    tie_embeddings: `${T511_CARD}: no parameter sharing between the embedding and the classifier layer (config tie_word_embeddings false)`,
  },
  unverified: ['context_length'],
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'Relative', 'GeGLU', ''),
});

/** mT5-base: the T5 v1.1 recipe with a 250k multilingual vocabulary. */
export const mt5 = deriveSpec(t5v11, {
  id: 'mt5',
  name: 'mT5',
  lectureName: 'mT5',
  year: 2020,
  config: {
    vocab_size: 250112,
    d_model: 768,
    n_layers: 12,
    n_heads: 12,
    n_kv_heads: 12,
    head_dim: 64,
    d_ff: 2048,
    context_length: 1024,
  },
  sources: {
    vocab_size: `${MT5_CFG}: vocab_size 250112`,
    d_model: `${MT5_CFG}: d_model 768`,
    n_layers: `${MT5_CFG}: num_layers 12`,
    n_heads: `${MT5_CFG}: num_heads 12`,
    head_dim: `${MT5_CFG}: d_kv 64`,
    d_ff: `${MT5_CFG}: d_ff 2048`,
    norm: `${T5_HF}: T5LayerNorm; ${MT5_CFG}: layer_norm_epsilon 1e-6`,
    position: `${MT5_CFG}: relative_attention_num_buckets 32, relative_attention_max_distance 128`,
    ffn: `${MT5_CFG}: feed_forward_proj "gated-gelu" with dense_act_fn "gelu_new" (tanh approximation), as T5 v1.1 (${MT5_PAPER})`,
    tie_embeddings: `${MT5_CFG}: tie_word_embeddings false`,
    context_length: `${MT5_README}: inputs_length = 1024`,
  },
  unverified: [],
  notes: [ENCODER_DECODER_NOTE, 'the base size; the lecture row names no size, and XXL uses d_ff / d_model = 2.5'],
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'Relative', 'GeGLU', ''),
});
