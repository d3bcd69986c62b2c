/** TII's Falcon 2 11B (2024): a parallel block with one LayerNorm, GQA and z-loss. */
import { cells, type ZooSpec } from '../spec.js';

const REPORT = 'Malartic et al. 2024, "Falcon2-11B Technical Report", arXiv 2407.14885';
const CARD = 'tiiuae/falcon-11B model card';
const HF = 'HF transformers models/falcon/modeling_falcon.py';
const CFG = 'HF tiiuae/falcon-11B config.json (as copied by thesven/falcon-11B-GPTQ-4bit)';

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
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${CARD}: vocabulary of 65,024 tokens`,
    d_model: `${CARD}: d_model 4096`,
    n_layers: `${CARD}: 60 layers`,
    n_heads: `${CARD}: head dimension 128, so 4096 / 128 = 32 query heads`,
    n_kv_heads: `${REPORT}: grouped-query attention with 8 KV heads`,
    d_ff: `${CFG}: ffn_hidden_size 16384 (ff_factor 4)`,
    context_length: `${CARD}: trained up to 8192 tokens (2048 -> 4096 -> 8192)`,
    norm: `${HF}: torch LayerNorm (gain and bias); ${CFG}: layer_norm_epsilon 1e-5`,
    position: `${CARD}: rotary embeddings; ${CFG}: rope_theta 500042`,
    attention: `${CFG}: bias false`,
    ffn: `${CFG}: activation "gelu" and bias false`,
    stability: `${REPORT}: z-loss with coefficient 1e-4`,
    'block.placement': `${CARD}: norm on the block input`,
    'block.layout': `${CFG}: parallel_attn true and num_ln_in_parallel_attn 1; ${HF}: with one LayerNorm, input_layernorm feeds both attention and MLP`,
    'block.final_norm': `${HF}: final ln_f`,
    'block.embedding_norm': `${HF}: no embedding norm`,
    tie_embeddings: `${CFG}: tie_word_embeddings false`,
  },
  unknown: [],
  unverified: [],
  limitations: [],
  notes: [],
  params: {
    value: 11e9,
    source: `${CARD}: an 11B parameter model (the name)`,
    tolerance: 0.02,
    toleranceReason: 'the name rounds to whole billions; the config gives about 11.1B',
  },
  lectureRow: cells('LayerNorm', 'Parallel', '☑', 'RoPE', 'GeLU', 'Z-loss'),
};
