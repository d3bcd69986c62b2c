/** DeepMind's Gopher (2021) and Chinchilla (2022), a diff from Gopher. */
import { cells, deriveSpec, type ZooSpec } from '../spec.js';

const GOPHER = 'Rae et al. 2021, "Scaling Language Models: Methods, Analysis & Insights from Training Gopher", arXiv 2112.11446';
const CHINCHILLA = 'Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv 2203.15556';

export const gopher: ZooSpec = {
  id: 'gopher',
  name: 'Gopher (280B)',
  lectureName: 'Gopher (280B)',
  year: 2021,
  config: {
    vocab_size: 32000,
    d_model: 16384,
    n_layers: 80,
    n_heads: 128,
    n_kv_heads: 128,
    head_dim: 128,
    d_ff: 65536,
    context_length: 2048,
    norm: { type: 'rmsnorm', eps: 1e-6 },
    position: { type: 't5_relative', num_buckets: 32, max_distance: 128 },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'mlp', activation: 'gelu_tanh', bias: true },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${GOPHER}, section 3: SentencePiece tokenizer with a 32,000-token vocabulary`,
    d_model: `${GOPHER}, Table 1, and ${CHINCHILLA}, Table 4: d_model 16,384 for Gopher 280B`,
    n_layers: `${GOPHER}, Table 1, and ${CHINCHILLA}, Table 4: 80 layers`,
    n_heads: `${GOPHER}, Table 1, and ${CHINCHILLA}, Table 4: 128 heads`,
    n_kv_heads: `${GOPHER}: the GPT-2 architecture, multi-head attention`,
    head_dim: `${GOPHER}, Table 1, and ${CHINCHILLA}, Table 4: key/value size 128`,
    d_ff: `${CHINCHILLA}, Table 4: the feed-forward size is always 4 * d_model, for Gopher as for Chinchilla`,
    context_length: `${GOPHER}, section 3: all models train with a 2048-token context window`,
    norm: `${GOPHER}, section 3: RMSNorm instead of LayerNorm`,
    attention: `${GOPHER}, section 3: the autoregressive Transformer of Radford et al. 2019 (GPT-2), so its causal multi-head attention (biases: see the unknown list)`,
    position: `${GOPHER}, section 3: the relative positional encoding of Transformer-XL (Dai et al. 2019)`,
    ffn: `${GOPHER}, section 3: the architecture of Radford et al. 2019 (GPT-2) with two modifications, so the GPT-2 GELU MLP`,
    stability: `${GOPHER}: no stability trick in the architecture`,
    'block.placement': `${GOPHER}: GPT-2's pre-norm blocks`,
    'block.layout': `${GOPHER}: GPT-2's serial blocks`,
    'block.final_norm': `${GOPHER}: GPT-2's final norm`,
    'block.embedding_norm': `${GOPHER}: no embedding norm in GPT-2`,
  },
  unknown: [
    {
      field: 'tie_embeddings',
      reason: 'the paper does not say whether input and output embeddings are shared',
      assumption: 'archzoo assumes tied, as GPT-2',
    },
    {
      field: 'attention.qkv_bias',
      reason: 'linear-layer biases are not stated',
      assumption: 'archzoo assumes biases everywhere, as GPT-2',
    },
    {
      field: 'ffn.activation',
      reason: 'GELU follows from "the GPT-2 architecture", but the variant is not named',
      assumption: "archzoo assumes GPT-2's tanh approximation",
    },
    {
      field: 'norm.eps',
      reason: 'the RMSNorm epsilon is not stated',
      assumption: 'archzoo assumes 1e-6',
    },
  ],
  unverified: [],
  limitations: [
    'archzoo has no Transformer-XL relative encoding (sinusoidal relative terms with learned u, v biases); the config uses T5 relative buckets, another learned relative scheme, as its stand-in',
  ],
  notes: [],
  disagreements: {
    activation: `${GOPHER} takes GPT-2's architecture and changes only the norm (RMSNorm) and the positions (relative), which leaves GPT-2's GELU MLP (section 3); no ReLU is stated`,
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'Relative', 'ReLU', ''),
};

/** Chinchilla 70B: the Gopher architecture at 70B, trained with AdamW on more tokens. */
export const chinchilla = deriveSpec(gopher, {
  id: 'chinchilla',
  name: 'Chinchilla',
  lectureName: 'Chinchilla',
  year: 2022,
  config: {
    d_model: 8192,
    n_layers: 80,
    n_heads: 64,
    n_kv_heads: 64,
    head_dim: 128,
    d_ff: 32768,
  },
  sources: {
    d_model: `${CHINCHILLA}, Table 4: d_model 8192`,
    n_layers: `${CHINCHILLA}, Table 4: 80 layers`,
    n_heads: `${CHINCHILLA}, Table 4: 64 heads`,
    head_dim: `${CHINCHILLA}, Table 4: key/value size 128`,
    d_ff: `${CHINCHILLA}, Table 4: feed-forward size 4 * d_model`,
    norm: `${CHINCHILLA}, section 4.1: the same architecture as Gopher (RMSNorm)`,
    position: `${CHINCHILLA}, section 4.1: Gopher's relative positional encoding`,
    ffn: `${CHINCHILLA}, section 4.1: Gopher's GPT-2 style MLP`,
  },
  unverified: ['vocab_size'],
  notes: [
    'trained with AdamW instead of Adam and a tokenizer without NFKC normalisation; neither changes the architecture',
    'the vocabulary size is taken from Gopher; the checked text of the Chinchilla paper does not restate it for the modified tokenizer',
  ],
  disagreements: {
    activation: `${CHINCHILLA}, section 4.1, keeps the Gopher architecture, whose MLP is GPT-2's GELU MLP; no ReLU is stated`,
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'Relative', 'ReLU', ''),
});
