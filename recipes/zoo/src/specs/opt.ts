/** OPT-175B (Meta, 2022): a GPT-3-like pre-norm decoder with ReLU. */
import { cells, type ZooSpec } from '../spec.js';

const PAPER = 'Zhang et al. 2022, "OPT: Open Pre-trained Transformer Language Models", arXiv 2205.01068';
const HF = 'HF facebook/opt configs and models/opt/modeling_opt.py';
const METASEQ = 'facebookresearch/metaseq, the OPT training code';
const SIZES = `${METASEQ} metaseq/launcher/opt_job_constants.py: MODEL_SIZES["175b"]`;
const RUN = `${METASEQ} metaseq/launcher/opt_baselines.py`;
const HF_CFG = 'HF facebook/opt-125m and facebook/opt-13b config.json (as copied by fine-tunes); the 175B weights are not on the Hub';

export const opt: ZooSpec = {
  id: 'opt',
  name: 'OPT (175B)',
  lectureName: 'OPT (175B)',
  year: 2022,
  config: {
    vocab_size: 50272,
    d_model: 12288,
    n_layers: 96,
    n_heads: 96,
    n_kv_heads: 96,
    d_ff: 49152,
    context_length: 2048,
    norm: { type: 'layernorm', eps: 1e-5, bias: true },
    position: { type: 'learned' },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'mlp', activation: 'relu', bias: true },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: true,
  },
  sources: {
    vocab_size: `${HF_CFG}: vocab_size 50272; ${RUN}: every size trains on the same GPT-2 BPE files`,
    d_model: `${SIZES}: emb_size 12288`,
    n_layers: `${SIZES}: n_layers 96`,
    n_heads: `${SIZES}: n_heads 96 of d_head 128`,
    n_kv_heads: `${HF}: multi-head attention`,
    d_ff: `${SIZES}: ffn_size = 4 * emb_size = 49152`,
    context_length: `${RUN}: SEQ_LEN 2048 (--tokens-per-sample)`,
    norm: `${HF_CFG}: layer_norm_elementwise_affine true, a LayerNorm with gain and bias; ${METASEQ} metaseq/modules/transformer_decoder_layer.py builds both layer norms without an eps, and metaseq/modules/layer_norm.py defaults it to 1e-5`,
    position: `${RUN}: --decoder-learned-pos; ${HF}: learned positions with an index offset of 2`,
    attention: `${HF_CFG}: enable_bias true, biased q/k/v and output projections`,
    ffn: `${PAPER}, section 2.1: ReLU activation`,
    stability: `${PAPER}: no architectural stability trick`,
    'block.placement': `${HF_CFG}: do_layer_norm_before true; ${HF}: every size except 350M (post-norm)`,
    'block.layout': `${HF}: attention then FFN`,
    'block.final_norm': `${HF}: final_layer_norm when do_layer_norm_before`,
    'block.embedding_norm': `${HF}: no embedding norm`,
    tie_embeddings: `${RUN}: --share-decoder-input-output-embed`,
  },
  unknown: [],
  unverified: [],
  limitations: ['the learned position table of OPT has 2 extra rows (index offset 2); archzoo indexes from 0, which changes nothing for a model trained from scratch'],
  notes: [],
  lectureRow: cells('LayerNorm', 'Serial', '☑', 'Absolute', 'ReLU', ''),
};
