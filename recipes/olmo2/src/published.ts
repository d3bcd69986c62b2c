/**
 * The published OLMo 2 7B architecture (OLMo Team 2024, "2 OLMo 2 Furious", arXiv 2501.00656,
 * and the released allenai/OLMo-2-1124-7B checkpoint) as a diff from LLaMA-7B, with the source
 * of every number. OLMo 2 7B keeps LLaMA-7B's widths, RMSNorm, SwiGLU and untied embeddings.
 */
import type { ModelConfig, PublishedArchitecture } from '@archzoo/core';
import { type ConfigDiff, deriveConfig } from '@archzoo/recipe-gpt3';
import { llama7bConfig } from '@archzoo/recipe-llama';

const PAPER = 'OLMo Team 2024, arXiv 2501.00656';
const HF_CONFIG = 'litgpt config.py "OLMo-2-1124-7B" (copied from HF allenai/OLMo-2-1124-7B config.json)';
const OLMO_CONFIG = 'allenai/OLMo configs/official-1124/OLMo2-7B-stage1.yaml';
const CARD = 'HF allenai/OLMo-2-1124-7B model card';
const OLMO_CORE = 'allenai/OLMo-core ReorderedNormTransformerBlock and src/scripts/train/OLMo2 training scripts';

/** The changes from LLaMA-7B to OLMo 2 7B: its vocabulary, context and the changes of `olmo2.changes`. */
export const olmo2Diff: ConfigDiff = {
  vocab_size: 100352,
  context_length: 4096,
  position: { type: 'rope', theta: 500000, pairing: 'half' },
  stability: [
    { type: 'z_loss', coefficient: 1e-5 },
    { type: 'qk_norm', scope: 'projection', eps: 1e-6 },
  ],
  block: { placement: 'reordered', layout: 'serial', final_norm: true, embedding_norm: false },
};

export const olmo2_7bConfig: ModelConfig = deriveConfig(llama7bConfig, olmo2Diff);

export const olmo2_7b: PublishedArchitecture = {
  name: 'OLMo 2 7B',
  config: olmo2_7bConfig,
  params: {
    value: 7.3e9,
    // The config gives 7,298,617,344 (0.02% below).
    tolerance: 0.007,
    source: `HF hub parameter count of allenai/OLMo-2-1124-7B, 7.3B (recalled, not checked against the page). Tolerance 0.7%: half a unit of the last printed digit (0.05B / 7.3B)`,
  },
  sources: {
    vocab_size: `${HF_CONFIG}: vocab_size 100278 padded to 100352`,
    d_model: `${CARD}: hidden size 4096`,
    n_layers: `${CARD}: 32 layers`,
    n_heads: `${CARD}: 32 attention heads (multi-head, as many key/value heads)`,
    d_ff: `${HF_CONFIG}: intermediate_size 11008`,
    context_length: `${CARD}: context length 4096`,
    norm: `${PAPER}: RMSNorm without bias; ${HF_CONFIG}: norm_eps 1e-6`,
    position: `${PAPER}: rotary positional embeddings; ${HF_CONFIG}: rope_base 500000`,
    attention: `${PAPER}: no bias terms; multi-head attention`,
    ffn: `${PAPER}: SwiGLU activation, no biases`,
    stability: `${PAPER}: QK-norm on queries and keys and z-loss regularization; ${OLMO_CORE}: QK-norm over the whole q and k projections, z-loss multiplier 1e-5`,
    block: `${PAPER}: h = x + RMSNorm(Attention(x)), out = h + RMSNorm(MLP(h)), the outputs of the sub-layers normalized instead of their inputs; ${OLMO_CORE}: a final norm and no embedding norm`,
    tie_embeddings: `${OLMO_CONFIG}: weight_tying false`,
  },
};
