// Legend: B batch, T queries, S keys, D model width, H query heads, G key/value heads,
// K head dim, R = H / G query heads per key/value head.
import { CONTRACT_VERSION, dropout, tf, type AttentionManifest, type Dims, type ParamSpec, type SlotOptions, type Tensor } from '@archzoo/core';
import { mergeHeadsToRows, linear, splitHeads } from './heads.js';
import { appendToCache } from './kv-cache.js';
import { additiveMask, meanAttended, type MaskSpec } from './mask.js';

export interface CausalOptions extends SlotOptions {
  type: 'causal';
  /** Biases on q_proj, k_proj and v_proj; default false (Qwen2 uses true). */
  qkv_bias: boolean;
  /** Bias on o_proj; default false. */
  out_bias: boolean;
  /** Sliding window: query i attends to keys j with 0 <= i - j < window. Omitted: full causal. */
  window?: number;
  /** 'inv_sqrt_head_dim' (default) scales scores by 1/sqrt(K); 'none' leaves them unscaled (T5). */
  score_scale: 'inv_sqrt_head_dim' | 'none';
  /** Scale scores by 1/sqrt(query_pre_attn_scalar) instead of 1/sqrt(K) (Gemma 2 27B: 144). */
  query_pre_attn_scalar?: number;
  /** Sparse Transformer pattern (Child et al. 2019), intersected with the causal mask. */
  sparse?: 'strided' | 'fixed';
  /** Stride l of the strided pattern, block length l of the fixed pattern. */
  sparse_block?: number;
  /** Summary positions c at the end of each block of the fixed pattern. */
  sparse_c?: number;
  /** Dropout rate on attention probabilities while training; default 0. */
  dropout: number;
}

/** Builds the mask rule of a layer from its options. */
export function maskSpecOf(options: CausalOptions): MaskSpec {
  return { window: options.window, sparse: options.sparse, block: options.sparse_block, c: options.sparse_c };
}

/** Computes the factor applied to q k^T. */
export function scoreScaleOf(options: CausalOptions, headDim: number): number {
  if (options.query_pre_attn_scalar !== undefined) return 1 / Math.sqrt(options.query_pre_attn_scalar);
  return options.score_scale === 'none' ? 1 : 1 / Math.sqrt(headDim);
}

function checkOptions(options: CausalOptions, dims: Dims): string[] {
  const problems: string[] = [];
  if (options.window !== undefined && options.window > dims.context_length) {
    problems.push(`window (${options.window}) must be <= context_length (${dims.context_length}); lower window or omit it for full causal attention`);
  }
  if (dims.n_heads % dims.n_kv_heads !== 0) {
    problems.push(`n_kv_heads (${dims.n_kv_heads}) must divide n_heads (${dims.n_heads})`);
  }
  if (options.query_pre_attn_scalar !== undefined && options.score_scale === 'none') {
    problems.push(`query_pre_attn_scalar (${options.query_pre_attn_scalar}) conflicts with score_scale "none"; set only one of them`);
  }
  if (options.sparse === undefined) {
    if (options.sparse_block !== undefined) problems.push(`sparse_block (${options.sparse_block}) needs sparse set to "strided" or "fixed"`);
    if (options.sparse_c !== undefined) problems.push(`sparse_c (${options.sparse_c}) needs sparse set to "fixed"`);
    return problems;
  }
  if (options.sparse_block === undefined) {
    problems.push(`sparse "${options.sparse}" needs sparse_block (the ${options.sparse === 'strided' ? 'stride' : 'block length'} l)`);
  }
  if (options.sparse === 'fixed') {
    if (options.sparse_c === undefined) problems.push('sparse "fixed" needs sparse_c (summary positions per block)');
    else if (options.sparse_block !== undefined && options.sparse_c > options.sparse_block) {
      problems.push(`sparse_c (${options.sparse_c}) must be <= sparse_block (${options.sparse_block})`);
    }
  } else if (options.sparse_c !== undefined) {
    problems.push(`sparse_c (${options.sparse_c}) applies only to sparse "fixed", got sparse "${options.sparse}"`);
  }
  return problems;
}

/**
 * Causal multi-head self-attention with grouped key/value heads: MHA when n_kv_heads = n_heads,
 * GQA (Ainslie et al. 2023) in between, MQA (Shazeer 2019) when n_kv_heads = 1.
 * [B, T, D] -> [B, T, D].
 *
 * Key/value head g serves query heads g*R .. (g+1)*R - 1, as HF transformers `repeat_kv`. Rather
 * than repeating K/V, queries are viewed as [B, G, R*T, K] so one batched matmul per group
 * computes all scores without copying keys or values.
 */
export const causal: AttentionManifest<CausalOptions> = {
  id: 'causal',
  kind: 'attention',
  contract: CONTRACT_VERSION,
  package: '@archzoo/attention',
  description: 'Causal multi-head attention with MHA/GQA/MQA, sliding windows, Sparse Transformer patterns and a KV cache',
  schema: {
    qkv_bias: { type: 'boolean', optional: true, description: 'biases on q_proj, k_proj and v_proj' },
    out_bias: { type: 'boolean', optional: true, description: 'bias on o_proj' },
    window: { type: 'number', integer: true, min: 1, optional: true, description: 'sliding window: keys within the last `window` positions, the query included' },
    score_scale: { type: 'enum', values: ['inv_sqrt_head_dim', 'none'], optional: true, description: 'score scaling: 1/sqrt(head_dim) or none' },
    query_pre_attn_scalar: { type: 'number', min: 0, exclusiveMin: true, optional: true, description: 'scale scores by 1/sqrt(this) instead of 1/sqrt(head_dim)' },
    sparse: { type: 'enum', values: ['strided', 'fixed'], optional: true, description: 'Sparse Transformer pattern' },
    sparse_block: { type: 'number', integer: true, min: 1, optional: true, description: 'stride (strided) or block length (fixed) of the sparse pattern' },
    sparse_c: { type: 'number', integer: true, min: 1, optional: true, description: 'summary positions per block of the fixed pattern' },
    dropout: { type: 'number', min: 0, max: 0.99, optional: true, description: 'dropout rate on attention probabilities while training' },
  },
  defaults: { qkv_bias: false, out_bias: false, score_scale: 'inv_sqrt_head_dim', dropout: 0 },
  references: [
    'Vaswani et al. 2017, Attention Is All You Need, arXiv 1706.03762',
    'Shazeer 2019, Fast Transformer Decoding: One Write-Head is All You Need, arXiv 1911.02150',
    'Ainslie et al. 2023, GQA, arXiv 2305.13245',
    'Child et al. 2019, Generating Long Sequences with Sparse Transformers, arXiv 1904.10509',
    'Jiang et al. 2023, Mistral 7B, arXiv 2310.06825 (sliding window, rolling KV cache)',
    'HF transformers models/llama/modeling_llama.py (repeat_kv), models/gemma2/modeling_gemma2.py (query_pre_attn_scalar)',
  ],
  validate: checkOptions,
  params(options, dims): ParamSpec[] {
    const { d_model: dModel, n_heads: nHeads, n_kv_heads: nKv, head_dim: headDim } = dims;
    const specs: ParamSpec[] = [
      { name: 'q_proj.weight', shape: [dModel, nHeads * headDim], init: { kind: 'normal' }, decay: true },
      { name: 'k_proj.weight', shape: [dModel, nKv * headDim], init: { kind: 'normal' }, decay: true },
      { name: 'v_proj.weight', shape: [dModel, nKv * headDim], init: { kind: 'normal' }, decay: true },
      { name: 'o_proj.weight', shape: [nHeads * headDim, dModel], init: { kind: 'normal', residual: true }, decay: true },
    ];
    if (options.qkv_bias) {
      specs.push(
        { name: 'q_proj.bias', shape: [nHeads * headDim], init: { kind: 'zeros' }, decay: false },
        { name: 'k_proj.bias', shape: [nKv * headDim], init: { kind: 'zeros' }, decay: false },
        { name: 'v_proj.bias', shape: [nKv * headDim], init: { kind: 'zeros' }, decay: false },
      );
    }
    if (options.out_bias) specs.push({ name: 'o_proj.bias', shape: [dModel], init: { kind: 'zeros' }, decay: false });
    return specs;
  },
  apply(params, xBTD, options, ctx) {
    const { n_heads: nHeads, n_kv_heads: nKv, head_dim: headDim } = ctx.dims;
    const [batch, seq, dModel] = xBTD.shape;
    const groupSize = nHeads / nKv;
    return tf.tidy(() => {
      const x2d = tf.reshape(xBTD, [batch * seq, dModel]);
      const [qBTF, kBTF, vBTF] = ctx.stability.projections(
        tf.reshape(linear(x2d, params['q_proj.weight'], params['q_proj.bias']), [batch, seq, nHeads * headDim]),
        tf.reshape(linear(x2d, params['k_proj.weight'], params['k_proj.bias']), [batch, seq, nKv * headDim]),
        tf.reshape(linear(x2d, params['v_proj.weight'], params['v_proj.bias']), [batch, seq, nKv * headDim]),
      );
      let [qBHTK, kBGTK] = ctx.stability.queryKey(splitHeads(qBTF, nHeads, headDim), splitHeads(kBTF, nKv, headDim));
      if (ctx.position.rotate) [qBHTK, kBGTK] = ctx.position.rotate(qBHTK, kBGTK, ctx.start);
      const vBGTK = splitHeads(vBTF, nKv, headDim);

      let kv = { keysBGSK: kBGTK, valuesBGSK: vBGTK, keyStart: ctx.start };
      if (ctx.cache) kv = appendToCache(ctx.cache, kBGTK, vBGTK, ctx.start, causal.cachedPositions!(options, Infinity));
      const { keysBGSK, valuesBGSK, keyStart } = kv;
      const nKeys = keysBGSK.shape[2]!;

      // Scaling q costs a pass over [B, H, T, K], cheaper than one over the scores [B, H, T, S].
      const scale = scoreScaleOf(options, headDim);
      const qScaledBHTK = scale === 1 ? qBHTK : tf.mul(qBHTK, scale);
      const qBGRTK = tf.reshape(qScaledBHTK, [batch, nKv, groupSize * seq, headDim]);
      let scoresBHTS = tf.reshape(tf.matMul(qBGRTK, keysBGSK, false, true), [batch, nHeads, seq, nKeys]);
      scoresBHTS = ctx.stability.scores(scoresBHTS);

      // The position bias covers keys from position 0; a rolling cache starts later.
      let biasHTS = ctx.position.bias?.(seq, keyStart + nKeys, ctx.start);
      if (biasHTS && keyStart > 0) biasHTS = tf.slice(biasHTS, [0, 0, keyStart], [-1, -1, nKeys]);
      const maskTS = additiveMask(seq, nKeys, ctx.start, keyStart, maskSpecOf(options));
      const offsetHTS = biasHTS && maskTS ? tf.add(biasHTS, maskTS) : (biasHTS ?? maskTS);
      if (offsetHTS) scoresBHTS = tf.add(scoresBHTS, offsetHTS);

      let probsBHTS = tf.softmax(scoresBHTS);
      if (ctx.training && options.dropout > 0) {
        if (!ctx.rng) throw new RangeError('attention dropout requires ctx.rng while training, but it is missing; pass an Rng in the apply context');
        probsBHTS = dropout(probsBHTS, options.dropout, ctx.rng);
      }
      const outBGRTK = tf.matMul(tf.reshape(probsBHTS, [batch, nKv, groupSize * seq, nKeys]), valuesBGSK);
      const out2d = mergeHeadsToRows(tf.reshape(outBGRTK, [batch, nHeads, seq, headDim]));
      return tf.reshape(linear(out2d, params['o_proj.weight'], params['o_proj.bias']), [batch, seq, dModel]);
    });
  },
  attended(options, t) {
    return meanAttended(maskSpecOf(options), t);
  },
  cachedPositions(options, t) {
    // Sparse patterns reach back to the first position, so only a window bounds the cache.
    return options.window === undefined ? t : Math.min(options.window, t);
  },
  flopsPerToken(_options, dims, attended) {
    const queryWidth = dims.n_heads * dims.head_dim;
    const kvWidth = dims.n_kv_heads * dims.head_dim;
    const projections = 2 * dims.d_model * (2 * queryWidth + 2 * kvWidth);
    return projections + 2 * 2 * queryWidth * attended;
  },
};
