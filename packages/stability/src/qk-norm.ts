// Legend: B batch, T sequence, H query heads, G key/value heads, K head dim.
/**
 * QK-norm: RMSNorm of the queries and keys before positions and scores, which limits the growth
 * of the attention logits. `scope: 'head'` normalises each head over its K values with weights [K]
 * shared by the heads (Qwen3, Gemma 3). `scope: 'projection'` normalises the whole q projection
 * over H*K values and the whole k projection over G*K values, with weights of those widths
 * (OLMo 2, OLMoE).
 *
 * Both scopes run in the projections hook, on q [B, T, H*K] and k [B, T, G*K] before the heads
 * are split. The model and the conformance kit call every hook a manifest has, whatever its
 * options, and a hook that ignored the weights under one scope would give tf.grads an unused
 * input, which it rejects. Per head, the hook views q as [B, T, H, K]. That equals normalising
 * q [B, H, T, K] in the queryKey hook, because the attention splits heads right after the
 * projections hook and changes no values in between.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type ParamSpec, type Params, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';

export interface QkNormOptions extends SlotOptions {
  type: 'qk_norm';
  /** Normalise each head over its K values ('head') or the whole H*K or G*K projection ('projection'). */
  scope: 'head' | 'projection';
  /** Added to the mean square inside the square root. */
  eps: number;
  /** Scale by (1 + weight) with weight initialised to zeros, as Gemma 3. */
  unit_offset: boolean;
}

/**
 * Normalises `x` [..., W] by 1 / sqrt(mean(x^2) + eps) over its last axis, then scales it by
 * `weight` [W], or by (1 + weight) with `unitOffset`. Returns [..., W].
 */
export function rmsNormLastAxis(x: Tensor, weight: Tensor, eps: number, unitOffset: boolean): Tensor {
  return tf.tidy(() => {
    const normalized = tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps)));
    return tf.mul(normalized, unitOffset ? tf.add(weight, 1) : weight);
  });
}

/**
 * Applies the QK-norm of `scope` to one projection `xBTF` `[B, T, heads*K]`: per head of width
 * `headDim`, or over all heads*K values. Returns [B, T, heads*K].
 */
export function qkNormProjection(xBTF: Tensor, weight: Tensor, heads: number, headDim: number, options: QkNormOptions): Tensor {
  if (options.scope === 'projection') return rmsNormLastAxis(xBTF, weight, options.eps, options.unit_offset);
  return tf.tidy(() => {
    const [batch, seq] = xBTF.shape;
    const xBTHK = tf.reshape(xBTF, [batch, seq, heads, headDim]);
    return tf.reshape(rmsNormLastAxis(xBTHK, weight, options.eps, options.unit_offset), [batch, seq, heads * headDim]);
  });
}

export const qkNorm: StabilityManifest<QkNormOptions> = {
  id: 'qk_norm',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '@archzoo/stability',
  description: 'RMSNorm of queries and keys, per head (Qwen3, Gemma 3) or over the whole q and k projections (OLMo 2, OLMoE)',
  schema: {
    scope: { type: 'enum', values: ['head', 'projection'], description: 'normalise each head (weights [head_dim]) or the whole projection (weights [n_heads*head_dim], [n_kv_heads*head_dim])' },
    eps: { type: 'number', min: 0, exclusiveMin: true, description: 'added to the mean square inside the square root' },
    unit_offset: { type: 'boolean', description: 'scale by (1 + weight) with weight initialised to zeros (Gemma 3)' },
  },
  defaults: { scope: 'head', eps: 1e-6, unit_offset: false },
  references: [
    'Dehghani et al. 2023, "Scaling Vision Transformers to 22 Billion Parameters", arXiv 2302.05442 (LayerNorm of queries and keys)',
    'Wortsman et al. 2023, "Small-scale proxies for large-scale Transformer training instabilities", arXiv 2309.14322 (QK-layernorm against attention-logit growth)',
    'huggingface/transformers src/transformers/models/olmo2/modeling_olmo2.py, Olmo2Attention (q_norm over num_heads*head_dim, k_norm over num_key_value_heads*head_dim, before the head split)',
    'huggingface/transformers src/transformers/models/olmoe/modeling_olmoe.py, OlmoeAttention (q_norm and k_norm over the whole projections)',
    'huggingface/transformers src/transformers/models/qwen3/modeling_qwen3.py, Qwen3Attention (q_norm and k_norm over head_dim)',
    'huggingface/transformers src/transformers/models/gemma3/modeling_gemma3.py, Gemma3Attention (q_norm and k_norm over head_dim with the (1 + weight) Gemma3RMSNorm)',
  ],
  params(options: QkNormOptions, dims: Dims): ParamSpec[] {
    const perHead = options.scope === 'head';
    const qWidth = perHead ? dims.head_dim : dims.n_heads * dims.head_dim;
    const kWidth = perHead ? dims.head_dim : dims.n_kv_heads * dims.head_dim;
    const init = { kind: options.unit_offset ? ('zeros' as const) : ('ones' as const) };
    return [
      { name: 'q_norm.weight', shape: [qWidth], init, decay: false },
      { name: 'k_norm.weight', shape: [kWidth], init, decay: false },
    ];
  },
  /** q [B, T, H*K], k [B, T, G*K], v [B, T, G*K] -> the same shapes; v passes through unchanged. */
  projections(params: Params, q: Tensor, k: Tensor, v: Tensor, options: QkNormOptions, ctx: ApplyContext): [Tensor, Tensor, Tensor] {
    const { n_heads: nHeads, n_kv_heads: nKv, head_dim: headDim } = ctx.dims;
    return [
      qkNormProjection(q, params['q_norm.weight'], nHeads, headDim, options),
      qkNormProjection(k, params['k_norm.weight'], nKv, headDim, options),
      v,
    ];
  },
};
