/**
 * The starting source of a generated plugin, one per slot kind. Each computes a small but real
 * function (a learned per-channel scale, learned absolute positions, a SiLU MLP, causal softmax
 * attention, a logit scale), so the generated package passes the conformance kit before the
 * contributor writes the actual math. Placeholders in double braces are filled by `fillTemplate`.
 */
import type { SlotKind } from '@archzoo/core';

const NORM = String.raw`// Legend: B batch, T sequence, D normalised width.
/**
 * {{id}}: a norm-slot plugin.
 *
 * TODO: replace the math. As generated, apply multiplies each channel by a learned weight
 * (y = x * weight), a real function that passes the conformance kit but normalises nothing.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type NormManifest, type ParamSpec, type Params, type SlotOptions, type Tensor } from '@archzoo/core';

export interface {{Type}}Options extends SlotOptions {
  type: '{{id}}';
  /** Initial value of every channel of the weight. */
  init_scale: number;
}

export const {{export}}: NormManifest<{{Type}}Options> = {
  id: '{{id}}',
  kind: 'norm',
  contract: CONTRACT_VERSION,
  package: '{{package}}',
  description: 'Learned per-channel scale y = x * weight over the last axis',
  schema: {
    init_scale: { type: 'number', description: 'initial value of every channel of the weight' },
  },
  defaults: { init_scale: 1 },
  references: ['TODO: the paper or reference implementation this norm follows'],
  params(options: {{Type}}Options, dims: Dims, dim?: number): ParamSpec[] {
    return [{ name: 'weight', shape: [dim ?? dims.d_model], init: { kind: 'constant', value: options.init_scale }, decay: false }];
  },
  /** [..., D] -> [..., D]. */
  apply(params: Params, x: Tensor, _options: {{Type}}Options, _ctx: ApplyContext): Tensor {
    return tf.mul(x, params.weight);
  },
};
`;

const POSITION = String.raw`// Legend: B batch, T sequence, D model width.
/**
 * {{id}}: a position-slot plugin.
 *
 * TODO: replace the math. As generated, embed adds a learned table of absolute position
 * embeddings [context_length, D] to the token embeddings, as GPT-2 does.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type ParamSpec, type Params, type PositionManifest, type SlotOptions, type Tensor } from '@archzoo/core';

export interface {{Type}}Options extends SlotOptions {
  type: '{{id}}';
  /** Standard deviation of the normal initialisation of the table. */
  init_std: number;
}

export const {{export}}: PositionManifest<{{Type}}Options> = {
  id: '{{id}}',
  kind: 'position',
  contract: CONTRACT_VERSION,
  package: '{{package}}',
  description: 'Learned absolute position embeddings added to the token embeddings',
  schema: {
    init_std: { type: 'number', min: 0, exclusiveMin: true, description: 'standard deviation of the initial table' },
  },
  defaults: { init_std: 0.02 },
  references: ['TODO: the paper or reference implementation this position scheme follows'],
  params(options: {{Type}}Options, dims: Dims): ParamSpec[] {
    return [{ name: 'weight', shape: [dims.context_length, dims.d_model], init: { kind: 'normal', std: options.init_std }, decay: true }];
  },
  /** [B, T, D] -> [B, T, D], positions start..start+T-1. */
  embed(params: Params, xBTD: Tensor, start: number, _options: {{Type}}Options, _ctx: ApplyContext): Tensor {
    const [, seq, dModel] = xBTD.shape;
    const contextLength = params.weight.shape[0];
    if (start + seq > contextLength) {
      throw new RangeError('positions ' + start + '..' + (start + seq - 1) + ' exceed context_length ' + contextLength + '; shorten the sequence');
    }
    return tf.tidy(() => tf.add(xBTD, tf.slice(params.weight, [start, 0], [seq, dModel])));
  },
};
`;

const FFN = String.raw`// Legend: B batch, T sequence, D model width, F FFN width.
/**
 * {{id}}: an ffn-slot plugin.
 *
 * TODO: replace the math. As generated, apply is a two-layer MLP with SiLU:
 * y = silu(x @ up) @ down.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Dims, type FfnManifest, type FfnOutput, type ParamSpec, type Params, type SlotOptions, type Tensor } from '@archzoo/core';

export interface {{Type}}Options extends SlotOptions {
  type: '{{id}}';
}

export const {{export}}: FfnManifest<{{Type}}Options> = {
  id: '{{id}}',
  kind: 'ffn',
  contract: CONTRACT_VERSION,
  package: '{{package}}',
  description: 'Two-layer MLP with a SiLU activation: silu(x @ up) @ down',
  schema: {},
  defaults: {},
  references: ['TODO: the paper or reference implementation this FFN follows'],
  params(_options: {{Type}}Options, dims: Dims): ParamSpec[] {
    return [
      { name: 'up.weight', shape: [dims.d_model, dims.d_ff], init: { kind: 'normal' }, decay: true },
      { name: 'down.weight', shape: [dims.d_ff, dims.d_model], init: { kind: 'normal', residual: true }, decay: true },
    ];
  },
  /** [B, T, D] -> [B, T, D]. */
  apply(params: Params, xBTD: Tensor, _options: {{Type}}Options, _ctx: ApplyContext): FfnOutput {
    const [batch, seq, dModel] = xBTD.shape;
    const y = tf.tidy(() => {
      const hiddenNF = tf.matMul(tf.reshape(xBTD, [batch * seq, dModel]), params['up.weight']);
      const activatedNF = tf.mul(hiddenNF, tf.sigmoid(hiddenNF));
      return tf.reshape(tf.matMul(activatedNF, params['down.weight']), [batch, seq, dModel]);
    });
    return { y };
  },
  flopsPerToken(_options: {{Type}}Options, dims: Dims): number {
    return 2 * 2 * dims.d_model * dims.d_ff;
  },
};
`;

const ATTENTION = String.raw`// Legend: B batch, T new positions, S keys (cached plus new), D model width, H query heads,
// G key/value heads, K head dim, R stacked query rows of a group ((H / G) * T).
/**
 * {{id}}: an attention-slot plugin.
 *
 * TODO: replace the math. As generated, apply is causal softmax attention with grouped
 * key/value heads (MHA when G = H), scaled by 1/sqrt(K), with a KV cache that keeps every
 * position. It calls the stability hooks and the position binding the model passes in.
 */
import { CONTRACT_VERSION, tf, type AttentionContext, type AttentionManifest, type Dims, type LayerKVCache, type ParamSpec, type Params, type SlotOptions, type Tensor } from '@archzoo/core';

export interface {{Type}}Options extends SlotOptions {
  type: '{{id}}';
}

/**
 * Appends keys and values [B, G, T, K] at absolute position start to the cache and returns all
 * of them [B, G, S, K]. The cache keeps the new tensors and disposes the ones it replaces.
 */
function appendToCache(cache: LayerKVCache, keysBGTK: Tensor, valuesBGTK: Tensor, start: number) {
  const cachedLength = cache.keys?.shape[2] ?? 0;
  if (cache.keys !== undefined && cache.start + cachedLength !== start) {
    throw new RangeError('KV cache ends at position ' + (cache.start + cachedLength) + ', but the new queries start at ' + start + '; decode positions in order');
  }
  const keyStart = cache.keys === undefined ? start : cache.start;
  const keysBGSK = cache.keys === undefined ? keysBGTK : tf.concat([cache.keys, keysBGTK], 2);
  const valuesBGSK = cache.values === undefined ? valuesBGTK : tf.concat([cache.values, valuesBGTK], 2);
  const replaced = [cache.keys, cache.values];
  cache.keys = tf.keep(keysBGSK);
  cache.values = tf.keep(valuesBGSK);
  cache.start = keyStart;
  for (const tensor of replaced) tensor?.dispose();
  return { keysBGSK, valuesBGSK, keyStart };
}

export const {{export}}: AttentionManifest<{{Type}}Options> = {
  id: '{{id}}',
  kind: 'attention',
  contract: CONTRACT_VERSION,
  package: '{{package}}',
  description: 'Causal softmax attention with grouped key/value heads and a KV cache',
  schema: {},
  defaults: {},
  references: ['TODO: the paper or reference implementation this attention follows'],
  params(_options: {{Type}}Options, dims: Dims): ParamSpec[] {
    const queryWidth = dims.n_heads * dims.head_dim;
    const kvWidth = dims.n_kv_heads * dims.head_dim;
    return [
      { name: 'q_proj.weight', shape: [dims.d_model, queryWidth], init: { kind: 'normal' }, decay: true },
      { name: 'k_proj.weight', shape: [dims.d_model, kvWidth], init: { kind: 'normal' }, decay: true },
      { name: 'v_proj.weight', shape: [dims.d_model, kvWidth], init: { kind: 'normal' }, decay: true },
      { name: 'o_proj.weight', shape: [queryWidth, dims.d_model], init: { kind: 'normal', residual: true }, decay: true },
    ];
  },
  /** [B, T, D] -> [B, T, D]; queries are at positions ctx.start..ctx.start+T-1. */
  apply(params: Params, xBTD: Tensor, _options: {{Type}}Options, ctx: AttentionContext): Tensor {
    const { n_heads: nHeads, n_kv_heads: nKv, head_dim: headDim } = ctx.dims;
    const [batch, seq, dModel] = xBTD.shape as [number, number, number];
    return tf.tidy(() => {
      const rowsND = tf.reshape(xBTD, [batch * seq, dModel]);
      const project = (name: string, width: number) => tf.reshape(tf.matMul(rowsND, params[name]), [batch, seq, width]);
      const splitHeads = (tensor: Tensor, heads: number) => tf.transpose(tf.reshape(tensor, [batch, seq, heads, headDim]), [0, 2, 1, 3]);

      const [q, k, v] = ctx.stability.projections(
        project('q_proj.weight', nHeads * headDim),
        project('k_proj.weight', nKv * headDim),
        project('v_proj.weight', nKv * headDim),
      );
      let [qBHTK, kBGTK] = ctx.stability.queryKey(splitHeads(q, nHeads), splitHeads(k, nKv));
      if (ctx.position.rotate) [qBHTK, kBGTK] = ctx.position.rotate(qBHTK, kBGTK, ctx.start);
      const vBGTK = splitHeads(v, nKv);
      const { keysBGSK, valuesBGSK, keyStart } = ctx.cache
        ? appendToCache(ctx.cache, kBGTK, vBGTK, ctx.start)
        : { keysBGSK: kBGTK, valuesBGSK: vBGTK, keyStart: ctx.start };
      const nKeys = keysBGSK.shape[2]!;

      // Query head h reads key/value head floor(h / (H / G)), as repeat_kv in HF transformers:
      // the H / G query heads of a group are stacked along the query axis of that group.
      const group = nHeads / nKv;
      const qGroupedBGRK = tf.reshape(tf.mul(qBHTK, 1 / Math.sqrt(headDim)), [batch, nKv, group * seq, headDim]);
      let scoresBHTS = tf.reshape(tf.matMul(qGroupedBGRK, keysBGSK, false, true), [batch, nHeads, seq, nKeys]);
      scoresBHTS = ctx.stability.scores(scoresBHTS);

      // The position bias covers keys from position 0, the cache may start later.
      let biasHTS = ctx.position.bias?.(seq, keyStart + nKeys, ctx.start);
      if (biasHTS && keyStart > 0) biasHTS = tf.slice(biasHTS, [0, 0, keyStart], [-1, -1, nKeys]);
      if (biasHTS) scoresBHTS = tf.add(scoresBHTS, biasHTS);

      // A query at absolute position p sees the keys at positions <= p.
      const queryPositionsT1 = tf.reshape(tf.range(ctx.start, ctx.start + seq, 1, 'int32'), [seq, 1]);
      const keyPositions1S = tf.reshape(tf.range(keyStart, keyStart + nKeys, 1, 'int32'), [1, nKeys]);
      const maskTS = tf.mul(tf.cast(tf.greater(keyPositions1S, queryPositionsT1), 'float32'), -1e9);
      const probsBHTS = tf.softmax(tf.add(scoresBHTS, maskTS));

      const outBGRK = tf.matMul(tf.reshape(probsBHTS, [batch, nKv, group * seq, nKeys]), valuesBGSK);
      const outBHTK = tf.reshape(outBGRK, [batch, nHeads, seq, headDim]);
      const mergedND = tf.reshape(tf.transpose(outBHTK, [0, 2, 1, 3]), [batch * seq, nHeads * headDim]);
      return tf.reshape(tf.matMul(mergedND, params['o_proj.weight']), [batch, seq, dModel]);
    });
  },
  attended(_options: {{Type}}Options, t: number): number {
    return (t + 1) / 2;
  },
  cachedPositions(_options: {{Type}}Options, t: number): number {
    return t;
  },
  flopsPerToken(_options: {{Type}}Options, dims: Dims, attended: number): number {
    const queryWidth = dims.n_heads * dims.head_dim;
    const kvWidth = dims.n_kv_heads * dims.head_dim;
    return 2 * dims.d_model * (2 * queryWidth + 2 * kvWidth) + 2 * 2 * queryWidth * attended;
  },
};
`;

const STABILITY = String.raw`// Legend: N predicted tokens (B*T), V vocabulary.
/**
 * {{id}}: a stability-slot plugin.
 *
 * TODO: replace the math. As generated, the logits hook multiplies the final logits by a
 * constant scale. Other hooks (embedding, projections, queryKey, scores, loss) are optional.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type ParamSpec, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';

export interface {{Type}}Options extends SlotOptions {
  type: '{{id}}';
  /** Multiplier of the final logits. */
  scale: number;
}

export const {{export}}: StabilityManifest<{{Type}}Options> = {
  id: '{{id}}',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '{{package}}',
  description: 'Multiplies the final logits by a constant scale',
  schema: {
    scale: { type: 'number', min: 0, exclusiveMin: true, description: 'multiplier of the final logits' },
  },
  defaults: { scale: 0.5 },
  references: ['TODO: the paper or reference implementation this stability trick follows'],
  params(): ParamSpec[] {
    return [];
  },
  /** Logits [N, V] -> [N, V]. */
  logits(logitsNV: Tensor, options: {{Type}}Options, _ctx: ApplyContext): Tensor {
    return tf.mul(logitsNV, options.scale);
  },
};
`;

export const PLUGIN_SOURCES: Readonly<Record<SlotKind, string>> = {
  norm: NORM,
  position: POSITION,
  ffn: FFN,
  attention: ATTENTION,
  stability: STABILITY,
};

/** One invalid-options case per slot kind for the generated test, with the message it expects. */
export const INVALID_CASES: Readonly<Record<SlotKind, { name: string; options: string; message: string }>> = {
  norm: { name: 'a string init_scale', options: "{ init_scale: 'one' }", message: 'norm.init_scale must be a finite number' },
  position: { name: 'a zero init_std', options: '{ init_std: 0 }', message: 'position.init_std must be > 0' },
  ffn: { name: 'an unknown option', options: '{ bias: true }', message: 'ffn.bias is not an option of "{{id}}"' },
  attention: { name: 'an unknown option', options: '{ window: 4 }', message: 'attention.window is not an option of "{{id}}"' },
  stability: { name: 'a negative scale', options: '{ scale: -1 }', message: 'stability.scale must be > 0' },
};

/** Replaces every `{{key}}` in `template` with `values[key]`; an unknown key is a bug here. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template placeholder ${match} has no value`);
    return value;
  });
}
