// Legend: B batch, T sequence, D model width, V vocabulary, N predicted tokens (B*T).
/**
 * A decoder-only language model assembled from a resolved config and the manifests it names.
 * The forward pass is a function of (params, tokens): parameters live in a flat map of stable
 * names, so the same model code serves training, evaluation, checkpoints and decoding.
 */
import type { ResolvedConfig } from './config.js';
import { layerNormNames, modelParamSpecs, scopeParams } from './params.js';
import type { Registry } from './registry.js';
import type { Rng } from './rng.js';
import { dropout } from './ops/dropout.js';
import { softmaxCrossEntropy } from './ops/cross-entropy.js';
import type {
  ApplyContext,
  AttentionManifest,
  FfnManifest,
  LayerKVCache,
  NormManifest,
  ParamSpec,
  PositionBinding,
  PositionManifest,
  SlotOptions,
  StabilityBinding,
  StabilityManifest,
} from './spec.js';
import { tf, type Tensor } from './tf.js';

export type ParamMap = ReadonlyMap<string, Tensor>;

export interface ForwardOptions {
  training?: boolean;
  /** Source of dropout masks when training. */
  rng?: Rng;
  /** Absolute position of the first token (incremental decoding). */
  start?: number;
  /** One cache per layer for incremental decoding; updated in place. */
  caches?: LayerKVCache[];
  /**
   * `loss` only: the number of targets >= 0, when the caller knows it. Without it `loss` reads the
   * count back from the device synchronously, which the webgpu backend cannot do in Node.
   */
  targetCount?: number;
}

interface Bound<M, O = SlotOptions> {
  manifest: M;
  options: O;
}

interface LayerPlan {
  prefix: string;
  attention: Bound<AttentionManifest>;
  ffn: Bound<FfnManifest>;
  position: Bound<PositionManifest> | null;
}

/** Output of `forward`: final hidden states and the summed auxiliary losses (a scalar). */
export interface ForwardOutput {
  hiddenBTD: Tensor;
  aux: Tensor | null;
}

/** Loss of one batch: the mean cross-entropy and the total including auxiliary terms. */
export interface LossOutput {
  /** Mean next-token cross-entropy in nats over counted tokens (scalar). */
  crossEntropy: Tensor;
  /** The training objective: cross-entropy plus stability and auxiliary losses (scalar). */
  total: Tensor;
}

export class Model {
  readonly config: ResolvedConfig;
  readonly specs: readonly ParamSpec[];
  private readonly norm: Bound<NormManifest>;
  private readonly position: Bound<PositionManifest>;
  private readonly stability: Bound<StabilityManifest>[];
  private readonly layers: LayerPlan[];
  private readonly normNames: string[];

  constructor(config: ResolvedConfig, registry: Registry) {
    this.config = config;
    this.specs = modelParamSpecs(config, registry);
    this.norm = { manifest: registry.get('norm', config.norm.type), options: config.norm };
    this.position = { manifest: registry.get('position', config.position.type), options: config.position };
    this.stability = config.stability.map((options) => ({ manifest: registry.get('stability', options.type), options }));
    this.normNames = layerNormNames(config);
    this.layers = config.layers.map((slots, i) => ({
      prefix: `layers.${i}`,
      attention: { manifest: registry.get('attention', slots.attention.type), options: slots.attention },
      ffn: { manifest: registry.get('ffn', slots.ffn.type), options: slots.ffn },
      position: slots.position ? { manifest: registry.get('position', slots.position.type), options: slots.position } : null,
    }));
  }

  private context(layer: number, options: ForwardOptions): ApplyContext {
    return { dims: this.config.dims, layer, training: options.training ?? false, rng: options.rng };
  }

  private applyNorm(params: ParamMap, prefix: string, x: Tensor, ctx: ApplyContext): Tensor {
    return this.norm.manifest.apply(scopeParams(params, prefix), x, this.norm.options, ctx);
  }

  private residualDropout(x: Tensor, options: ForwardOptions): Tensor {
    const rate = this.config.dropout.residual;
    return options.training && options.rng && rate > 0 ? dropout(x, rate, options.rng) : x;
  }

  private positionBinding(params: ParamMap, plan: LayerPlan, ctx: ApplyContext): PositionBinding {
    if (!plan.position) return {};
    const { manifest, options } = plan.position;
    const positionParams = scopeParams(params, 'position');
    return {
      rotate: manifest.rotate ? (q, k, start) => manifest.rotate!(q, k, start, options, ctx) : undefined,
      bias: manifest.bias ? (t, s, qStart) => manifest.bias!(positionParams, t, s, qStart, options, ctx) : undefined,
    };
  }

  private stabilityBinding(params: ParamMap, prefix: string, ctx: ApplyContext): StabilityBinding {
    const hooks = this.stability.map(({ manifest, options }) => ({
      manifest,
      options,
      params: scopeParams(params, `${prefix}.stability.${options.type}`),
    }));
    return {
      projections: (q, k, v) =>
        hooks.reduce<[Tensor, Tensor, Tensor]>(
          (qkv, h) => (h.manifest.projections ? h.manifest.projections(h.params, ...qkv, h.options, ctx) : qkv),
          [q, k, v],
        ),
      queryKey: (q, k) =>
        hooks.reduce<[Tensor, Tensor]>((qk, h) => (h.manifest.queryKey ? h.manifest.queryKey(h.params, ...qk, h.options, ctx) : qk), [q, k]),
      scores: (scores) => hooks.reduce((s, h) => (h.manifest.scores ? h.manifest.scores(s, h.options, ctx) : s), scores),
    };
  }

  private layer(params: ParamMap, plan: LayerPlan, index: number, xBTD: Tensor, options: ForwardOptions, auxes: Tensor[]): Tensor {
    const ctx = this.context(index, options);
    const attnCtx = {
      ...ctx,
      position: this.positionBinding(params, plan, ctx),
      stability: this.stabilityBinding(params, plan.prefix, ctx),
      start: options.start ?? 0,
      cache: options.caches?.[index],
    };
    const attention = (h: Tensor) =>
      this.residualDropout(plan.attention.manifest.apply(scopeParams(params, `${plan.prefix}.attn`), h, plan.attention.options, attnCtx), options);
    const ffn = (h: Tensor) => {
      const out = plan.ffn.manifest.apply(scopeParams(params, `${plan.prefix}.ffn`), h, plan.ffn.options, ctx);
      if (out.aux) auxes.push(out.aux);
      return this.residualDropout(out.y, options);
    };
    const norm = (name: string, h: Tensor) => this.applyNorm(params, `${plan.prefix}.${name}`, h, ctx);
    const { placement, layout } = this.config.block;

    if (layout === 'parallel_shared_norm') {
      const h = norm('attn_norm', xBTD);
      return tf.add(tf.add(xBTD, attention(h)), ffn(h));
    }
    if (layout === 'parallel_two_norms') {
      return tf.add(tf.add(xBTD, attention(norm('attn_norm', xBTD))), ffn(norm('ffn_norm', xBTD)));
    }
    switch (placement) {
      case 'pre': {
        const afterAttn = tf.add(xBTD, attention(norm('attn_norm', xBTD)));
        return tf.add(afterAttn, ffn(norm('ffn_norm', afterAttn)));
      }
      case 'post': {
        const afterAttn = norm('attn_norm', tf.add(xBTD, attention(xBTD)));
        return norm('ffn_norm', tf.add(afterAttn, ffn(afterAttn)));
      }
      case 'sandwich': {
        const afterAttn = tf.add(xBTD, norm('attn_post_norm', attention(norm('attn_norm', xBTD))));
        return tf.add(afterAttn, norm('ffn_post_norm', ffn(norm('ffn_norm', afterAttn))));
      }
      case 'reordered': {
        const afterAttn = tf.add(xBTD, norm('attn_post_norm', attention(xBTD)));
        return tf.add(afterAttn, norm('ffn_post_norm', ffn(afterAttn)));
      }
    }
  }

  /** tokens [B, T] int32 -> final hidden states [B, T, D] (after the final norm, if any). */
  forward(params: ParamMap, tokensBT: Tensor, options: ForwardOptions = {}): ForwardOutput {
    const start = options.start ?? 0;
    const ctx = this.context(-1, options);
    let x = tf.gather(params.get('embed.weight')!, tokensBT);
    for (const { manifest, options: stabilityOptions } of this.stability) {
      if (manifest.embedding) x = manifest.embedding(x, stabilityOptions, ctx);
    }
    if (this.position.manifest.embed) {
      x = this.position.manifest.embed(scopeParams(params, 'position'), x, start, this.position.options, ctx);
    }
    if (this.config.block.embedding_norm) x = this.applyNorm(params, 'embed_norm', x, ctx);
    if (options.training && options.rng && this.config.dropout.embedding > 0) x = dropout(x, this.config.dropout.embedding, options.rng);

    const auxes: Tensor[] = [];
    this.layers.forEach((plan, i) => {
      x = this.layer(params, plan, i, x, options, auxes);
    });
    if (this.config.block.final_norm) x = this.applyNorm(params, 'final_norm', x, ctx);
    const aux = auxes.length ? auxes.reduce((a, b) => tf.add(a, b)) : null;
    return { hiddenBTD: x, aux };
  }

  /** hidden [N, D] -> logits [N, V], with the output stability hooks (soft-cap, logit scale). */
  logits(params: ParamMap, hiddenND: Tensor, options: ForwardOptions = {}): Tensor {
    let logitsNV = this.config.tie_embeddings
      ? tf.matMul(hiddenND, params.get('embed.weight')!, false, true)
      : tf.matMul(hiddenND, params.get('lm_head.weight')!);
    const ctx = this.context(-1, options);
    for (const { manifest, options: stabilityOptions } of this.stability) {
      if (manifest.logits) logitsNV = manifest.logits(logitsNV, stabilityOptions, ctx);
    }
    return logitsNV;
  }

  /** tokens [B, T] -> logits [B, T, V]. */
  logitsFor(params: ParamMap, tokensBT: Tensor, options: ForwardOptions = {}): Tensor {
    return tf.tidy(() => {
      const { hiddenBTD } = this.forward(params, tokensBT, options);
      const [b, t, d] = hiddenBTD.shape as [number, number, number];
      return tf.reshape(this.logits(params, tf.reshape(hiddenBTD, [b * t, d]), options), [b, t, this.config.dims.vocab_size]);
    });
  }

  /**
   * Mean next-token cross-entropy of `targetsBT` given `tokensBT` (both [B, T] int32; a
   * negative target is ignored), plus stability and auxiliary losses in `total`.
   */
  loss(params: ParamMap, tokensBT: Tensor, targetsBT: Tensor, options: ForwardOptions = {}): LossOutput {
    const { hiddenBTD, aux } = this.forward(params, tokensBT, options);
    const [b, t, d] = hiddenBTD.shape as [number, number, number];
    const logitsNV = this.logits(params, tf.reshape(hiddenBTD, [b * t, d]), options);
    const labelsN = tf.reshape(targetsBT, [b * t]);
    const { lossN, lseN } = softmaxCrossEntropy(logitsNV, labelsN);
    const weightN = tf.cast(tf.greaterEqual(labelsN, 0), 'float32');
    const count = Math.max(1, options.targetCount ?? tf.sum(weightN).dataSync()[0]!);
    const crossEntropy = tf.div(tf.sum(lossN), count);
    let total = crossEntropy;
    const ctx = this.context(-1, options);
    for (const { manifest, options: stabilityOptions } of this.stability) {
      if (manifest.loss) total = tf.add(total, manifest.loss({ logsumexpN: lseN, weightN, count }, stabilityOptions, ctx));
    }
    if (aux) total = tf.add(total, aux);
    return { crossEntropy, total };
  }
}
