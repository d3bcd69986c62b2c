/** TII's Falcon 2 11B (2024): a parallel block with one LayerNorm, GQA and z-loss. */
import { cells, type ZooSpec } from '../spec.js';

const REPORT = 'Malartic et al. 2024, "Falcon2-11B Technical Report", arXiv 2407.14885';
const CARD = 'tiiuae/falcon-11B model card';
const HF = 'HF transformers models/falcon (FalconConfig defaults)';

export const falcon2: ZooSpec = {
  id: 'falcon-2',
  name: 'Falcon 2 11B',
  lectureName: 'Falcon 2 11B',
  year: 2024,
  config: {
    vocab_size: 65024,
    d_model: 4096,
    n_layers: 60,
    n_heads: 32,
    n_kv_heads: 8,
    d_ff: 16384,
    context_length: 8192,
    norm: { type: 'layernorm', eps: 1e-5, bias: true },
    position: { type: 'rope', theta: 500042, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'mlp', activation: 'gelu', bias: false },
    stability: [{ type: 'z_loss', coefficient: 1e-4 }],
    block: { placement: 'pre', layout: 'parallel_shared_norm', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${CARD}: vocabulary of 65,024 tokens`,
    d_model: `${CARD}: d_model 4096`,
    n_layers: `${CARD}: 60 layers`,
    n_heads: `${CARD}: head dimension 128, so 4096 / 128 = 32 query heads`,
    n_kv_heads: `${REPORT}: grouped-query attention with 8 KV heads`,
    d_ff: `${HF}: MLP width 4 * hidden_size`,
    context_length: `${CARD}: trained up to 8192 tokens (2048 -> 4096 -> 8192)`,
    norm: `${HF}: LayerNorm with bias, layer_norm_epsilon 1e-5`,
    position: `${CARD}: rotary embeddings; base 500,042 per https://apxml.com/models/falcon2-11b`,
    attention: `${HF}: bias false`,
    ffn: `${HF}: GELU 4x MLP without biases`,
    stability: `${REPORT}: z-loss with coefficient 1e-4`,
    'block.placement': `${CARD}: norm on the block input`,
    'block.layout': `${CARD}: parallel attention/MLP; ${HF}: num_ln_in_parallel_attn 1 (one shared LayerNorm)`,
    'block.final_norm': `${HF}: final ln_f`,
    'block.embedding_norm': `${HF}: no embedding norm`,
    tie_embeddings: `${HF}: tie_word_embeddings true by default`,
  },
  unknown: [],
  unverified: ['d_ff', 'norm', 'position.theta', 'attention', 'ffn', 'block.layout', 'tie_embeddings'],
  limitations: [],
  notes: ['the third-party page that gives the RoPE base mis-states the layers and heads (40, MQA); the card and report are followed for those'],
  params: {
    value: 11e9,
    source: `${CARD}: an 11B parameter model (the name)`,
    tolerance: 0.02,
    toleranceReason: 'the name rounds to whole billions; the config gives about 10.8B',
  },
  lectureRow: cells('LayerNorm', 'Parallel', '☑', 'RoPE', 'GeLU', 'Z-loss'),
};
