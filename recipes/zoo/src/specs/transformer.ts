/** The original Transformer (Vaswani et al. 2017), represented by its decoder. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'Vaswani et al. 2017, "Attention Is All You Need", arXiv 1706.03762';

export const transformer: ZooSpec = {
  id: 'transformer',
  name: 'Original transformer',
  lectureName: 'Original transformer',
  year: 2017,
  config: {
    vocab_size: 37000,
    d_model: 512,
    n_layers: 6,
    n_heads: 8,
    n_kv_heads: 8,
    d_ff: 2048,
    context_length: 512,
    norm: { type: 'layernorm', eps: 1e-6, bias: true },
    position: { type: 'sinusoidal', base: 10000 },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'mlp', activation: 'relu', bias: true },
    stability: [{ type: 'embedding_scale' }],
    block: { placement: 'post', layout: 'serial', final_norm: false, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${PAPER}, section 5.1: a shared source-target BPE vocabulary of about 37,000 tokens (EN-DE)`,
    d_model: `${PAPER}, section 3.1: sub-layers and embeddings output d_model = 512`,
    n_layers: `${PAPER}, section 3.1: N = 6 decoder layers`,
    n_heads: `${PAPER}, section 3.2.2: h = 8 heads`,
    n_kv_heads: `${PAPER}, section 3.2.2: multi-head attention, one key/value head per query head`,
    d_ff: `${PAPER}, section 3.3: inner FFN width 2048`,
    norm: `${PAPER}, section 3.1: LayerNorm(x + Sublayer(x)), a LayerNorm with gain and bias`,
    position: `${PAPER}, section 3.5: sinusoidal encodings with wavelengths up to 10000 * 2pi, added to the embeddings`,
    attention: `${PAPER}, section 3.2.2: the q/k/v and output projections are bias-free parameter matrices (W^Q, W^K, W^V, W^O)`,
    ffn: `${PAPER}, section 3.3: FFN(x) = max(0, x W1 + b1) W2 + b2`,
    stability: `${PAPER}, section 3.4: embedding weights multiplied by sqrt(d_model); no other stability trick`,
    'block.placement': `${PAPER}, section 3.1: output of each sublayer is LayerNorm(x + Sublayer(x)) (post-norm)`,
    'block.layout': `${PAPER}, Figure 1: attention then FFN in series`,
    'block.final_norm': `${PAPER}, section 3.1: no norm beyond the per-sublayer post-norms`,
    'block.embedding_norm': `${PAPER}, section 3.5: embeddings plus positions go straight into the first layer`,
    tie_embeddings: `${PAPER}, section 3.4: the two embedding layers and the pre-softmax projection share one weight matrix`,
  },
  unknown: [
    {
      field: 'context_length',
      reason: 'the paper sets no maximum sequence length; sinusoidal positions extrapolate',
      assumption: 'archzoo assumes 512 so that the config is finite',
    },
    {
      field: 'norm.eps',
      reason: 'the paper does not give the LayerNorm epsilon',
      assumption: 'archzoo assumes 1e-6, the tensor2tensor default',
    },
  ],
  unverified: [],
  limitations: [
    'encoder-decoder: the config is the decoder stack alone, without the encoder and its cross-attention',
  ],
  notes: [
    'an encoder-decoder model, represented by its decoder: masked self-attention, post-norm, sinusoidal positions, ReLU FFN',
    'the base model (Table 3); the big model has d_model 1024, 16 heads and d_ff 4096',
  ],
  lectureRow: cells('LayerNorm', 'Serial', '☐', 'Sine', 'ReLU', ''),
};
