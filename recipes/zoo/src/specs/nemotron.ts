/** NVIDIA's Nemotron-4 340B (2024): LayerNorm with a unit offset, squared-ReLU MLP and partial RoPE. */
import { cells, type ZooSpec } from '../spec.js';

const REPORT = 'Nvidia 2024, "Nemotron-4 340B Technical Report", arXiv 2406.11704, and the nvidia/Nemotron-4-340B-Base model card';
const HF = 'HF transformers models/nemotron/configuration_nemotron.py and NemotronLayerNorm1P';
const NEMO = 'NVIDIA/NeMo nemo/collections/llm/gpt/model/nemotron.py';

export const nemotron4: ZooSpec = {
  id: 'nemotron-4',
  name: 'Nemotron-4 (340B)',
  lectureName: 'Nemotron-4 (340B)',
  year: 2024,
  config: {
    vocab_size: 256000,
    d_model: 18432,
    n_layers: 96,
    n_heads: 96,
    n_kv_heads: 8,
    d_ff: 73728,
    context_length: 4096,
    norm: { type: 'layernorm', eps: 1e-5, bias: true, unit_offset: true },
    position: { type: 'rope', theta: 10000, rotary_fraction: 0.5, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'mlp', activation: 'relu2', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    vocab_size: `${REPORT}: SentencePiece tokenizer with 256,000 tokens`,
    d_model: `${REPORT}: hidden dimension 18432`,
    n_layers: `${REPORT}: 96 transformer layers`,
    n_heads: `${REPORT}: 96 attention heads`,
    n_kv_heads: `${REPORT}: grouped-query attention with 8 KV heads`,
    d_ff: `${NEMO}: Nemotron4Config340B ffn_hidden_size 73728 (4 * d_model)`,
    context_length: `${REPORT}: sequence length 4096`,
    norm: `${HF}: LayerNorm1P, a LayerNorm with bias whose scale is (1 + w), norm_eps 1e-5`,
    position: `${REPORT}: rotary position embeddings; ${NEMO}: NemotronConfig rotary_percent 0.5, which Nemotron4Config340B inherits`,
    attention: `${REPORT}: no bias terms`,
    ffn: `${REPORT}: squared ReLU activation in a non-gated MLP, no biases`,
    stability: `${REPORT}: no stability trick beyond dropout 0`,
    'block.placement': `${HF}: input_layernorm and post_attention_layernorm on the sublayer inputs`,
    'block.layout': `${HF}: attention then MLP`,
    'block.final_norm': `${HF}: final norm`,
    'block.embedding_norm': `${HF}: no embedding norm`,
    tie_embeddings: `${REPORT}: untied input and output embeddings`,
  },
  unknown: [
    { field: 'position.theta', reason: 'the RoPE base of the 340B model is not among the checked sources', assumption: 'archzoo assumes 10000' },
  ],
  unverified: [],
  limitations: [],
  notes: [],
  params: {
    value: 340e9,
    source: `${REPORT}: the 340B model (the name)`,
    tolerance: 0.01,
    toleranceReason: 'the name rounds to tens of billions',
  },
  lectureRow: cells('LayerNorm', 'Serial', '☑', 'RoPE', 'SqRelu', ''),
};
