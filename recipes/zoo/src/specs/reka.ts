/** Reka Flash (2024): a "Noam"-style decoder whose sizes were never published; buildable only as a labelled proxy. */
import { cells, type ZooSpec } from '../spec.js';

const REPORT = 'Reka Team 2024, "Reka Core, Flash, and Edge: A Series of Powerful Multimodal Language Models", arXiv 2404.12387';
const SUMMARY = `a third-party summary of ${REPORT}`;

export const rekaFlash: ZooSpec = {
  id: 'reka-flash',
  name: 'Reka Flash',
  lectureName: 'Reka Flash',
  year: 2024,
  config: {
    vocab_size: 100000,
    d_model: 6144,
    n_layers: 44,
    n_heads: 48,
    n_kv_heads: 8,
    d_ff: 16384,
    context_length: 8192,
    norm: { type: 'rmsnorm', eps: 1e-6 },
    position: { type: 'rope', theta: 10000, pairing: 'half' },
    attention: { type: 'causal', qkv_bias: false, out_bias: false },
    ffn: { type: 'swiglu', bias: false },
    stability: [],
    block: { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false },
    tie_embeddings: false,
  },
  sources: {
    norm: `${SUMMARY}: RMSNorm`,
    position: `${SUMMARY}: rotary position embeddings`,
    ffn: `${SUMMARY}: SwiGLU`,
  },
  unknown: [
    { field: 'vocab_size', reason: 'the report gives no exact vocabulary size', assumption: 'archzoo assumes 100,000 (a tiktoken-derived vocabulary of about 100k is recalled, not checked)' },
    { field: 'd_model', reason: 'widths are not published', assumption: 'archzoo assumes 6144, the width a derivative card reports for the 2025 open-weights Reka Flash 3' },
    { field: 'n_layers', reason: 'depth is not published', assumption: 'archzoo assumes 44, from the same Reka Flash 3 derivative card' },
    { field: 'n_heads', reason: 'head count is not published', assumption: 'archzoo assumes 48 heads of 128' },
    { field: 'n_kv_heads', reason: 'the GQA group count is not published', assumption: 'archzoo assumes 8 KV heads' },
    { field: 'd_ff', reason: 'the FFN width is not published', assumption: 'archzoo assumes 16384 (8/3 of d_model, rounded)' },
    { field: 'context_length', reason: 'an 8K pre-training context is recalled, not checked', assumption: 'archzoo assumes 8192' },
    { field: 'norm.eps', reason: 'not published', assumption: 'archzoo assumes 1e-6' },
    { field: 'position.theta', reason: 'not published', assumption: 'archzoo assumes 10000' },
    { field: 'attention', reason: 'biases and windows are not published', assumption: 'archzoo assumes bias-free full causal attention' },
    { field: 'stability', reason: 'not published', assumption: 'archzoo assumes none' },
    { field: 'block.placement', reason: 'not published', assumption: 'archzoo assumes pre-norm' },
    { field: 'block.layout', reason: 'not published', assumption: 'archzoo assumes serial' },
    { field: 'block.final_norm', reason: 'not published', assumption: 'archzoo assumes a final norm' },
    { field: 'block.embedding_norm', reason: 'not published', assumption: 'archzoo assumes none' },
    { field: 'tie_embeddings', reason: 'not published', assumption: 'archzoo assumes untied' },
  ],
  unverified: ['norm', 'position', 'ffn', 'n_kv_heads'],
  limitations: [],
  notes: [
    'the 2024 Reka Flash (21B); the report describes a multimodal stack whose text backbone is this decoder',
    'every size is an assumption: the config exists only so that a tiny proxy with the known choices can be built',
  ],
  disagreements: {
    parallel: `the summary of ${REPORT} used here does not say whether attention and FFN are serial or parallel`,
    preNorm: `the summary of ${REPORT} used here does not give the norm placement`,
  },
  lectureRow: cells('RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', ''),
};
