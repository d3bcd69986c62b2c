/**
 * Gemma 2 (transformers models/gemma2/modeling_gemma2.py) has sandwich RMSNorms that scale by
 * (1 + weight), embeddings times sqrt(hidden_size), GeGLU with tanh GELU and tied embeddings.
 * Attention scores are scaled by query_pre_attn_scalar^-0.5 and soft-capped before the mask, and
 * the final logits are soft-capped. Even layers slide (Gemma2DecoderLayer sets `is_sliding = not
 * bool(layer_idx % 2)`) unless config.json lists `layer_types`.
 */
import { ConfigError, type ModelConfig, type SlotOptions } from '@archzoo/core';

import type { Family } from '../family.js';
import { boolField, type HfConfig, intField, layerTypes, numberField, optionalNumberField, windowOptions } from '../hf-config.js';
import { llamaBase, llamaStyleTensor } from './llama.js';

const SANDWICH_NORMS: Record<string, string> = {
  attn_norm: 'input_layernorm',
  attn_post_norm: 'post_attention_layernorm',
  ffn_norm: 'pre_feedforward_layernorm',
  ffn_post_norm: 'post_feedforward_layernorm',
};

function gemma2Config(hf: HfConfig): ModelConfig {
  const activation = hf.hidden_activation ?? hf.hidden_act ?? 'gelu_pytorch_tanh';
  if (activation !== 'gelu_pytorch_tanh' && activation !== 'gelu_tanh') {
    throw new ConfigError(`config.json: hidden_activation must be "gelu_pytorch_tanh" for gemma2, got ${JSON.stringify(activation)}`);
  }
  const base = llamaBase(hf, 1e-6);
  const stability: SlotOptions[] = [{ type: 'embedding_scale' }];
  const attnCap = optionalNumberField(hf, 'attn_logit_softcapping');
  if (attnCap !== undefined) stability.push({ type: 'attn_softcap', cap: attnCap });
  const finalCap = optionalNumberField(hf, 'final_logit_softcapping');
  if (finalCap !== undefined) stability.push({ type: 'final_softcap', cap: finalCap });
  const bias = boolField(hf, 'attention_bias', false);
  const types = layerTypes(hf, base.n_layers, (layer) => (layer % 2 === 0 ? 'sliding_attention' : 'full_attention'));
  const { window, layer_pattern } = windowOptions(types, optionalNumberField(hf, 'sliding_window'), base.context_length);

  return {
    ...base,
    norm: { type: 'rmsnorm', eps: numberField(hf, 'rms_norm_eps', 1e-6), unit_offset: true },
    attention: {
      type: 'causal',
      qkv_bias: bias,
      out_bias: bias,
      query_pre_attn_scalar: numberField(hf, 'query_pre_attn_scalar', intField(hf, 'head_dim', 256)),
      ...(window === undefined ? {} : { window }),
    },
    ffn: { type: 'geglu', gelu: 'tanh' },
    block: { placement: 'sandwich' },
    stability,
    tie_embeddings: boolField(hf, 'tie_word_embeddings', true),
    layer_pattern,
  };
}

export const gemma2Family: Family = {
  modelTypes: ['gemma2'],
  toArchzoo: gemma2Config,
  hfTensor: (name) => llamaStyleTensor(name, SANDWICH_NORMS),
  ignored: /\.rotary_emb\.inv_freq$/,
};
