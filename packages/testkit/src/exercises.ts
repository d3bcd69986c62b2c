// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * Plugin calls per slot kind. An exercise is one plugin call with named float inputs (the
 * tensors gradients are checked against), the expected output shapes, and whether the call reads
 * the plugin's parameters.
 */
import type {
  AttentionManifest,
  LayerKVCache,
  Dims,
  FfnManifest,
  NormManifest,
  Params,
  PluginManifest,
  PositionManifest,
  SlotOptions,
  StabilityManifest,
  Tensor,
} from '@archzoo/core';
import { tf } from '@archzoo/core';
import { bindPosition, makeAttentionContext, makeContext } from './context.js';

/** The position scheme an attention call is bound to. */
export interface PositionUnderTest {
  manifest: PositionManifest;
  /** Options merged over the manifest's defaults. */
  options?: Partial<SlotOptions>;
}

/** Sizes of one call; the kit fills the defaults shown. */
export interface CallShape {
  /** Batch size B. Default 2. */
  batch: number;
  /** Sequence length T. Default 5. */
  seq: number;
  /** Absolute position of the first token. Default 0. */
  start: number;
  /** Number of keys S for a position bias. Default start + seq. */
  keys: number;
  /** Width a norm normalises (d_model unless given, e.g. head_dim for QK-norm). */
  dim?: number;
  training: boolean;
}

export interface Exercise {
  /** The manifest method called, e.g. "apply", "rotate", "loss". */
  call: string;
  /** Float inputs by name, with their shapes. */
  inputShapes: Record<string, number[]>;
  /** Expected output shapes by name; a `[]` shape is a scalar. */
  outputShapes: Record<string, number[]>;
  /** Outputs that the call may leave out (an FFN's `aux`). */
  optionalOutputs?: string[];
  usesParams: boolean;
  /** Fixed tensors the call needs besides its inputs (a loss weight mask), made per run. */
  makeConstants?(): Record<string, Tensor>;
  run(inputs: Record<string, Tensor>, params: Params, constants: Record<string, Tensor>): Record<string, Tensor>;
  /**
   * Attention only: runs `xBTD` [B, T, D] at absolute position `start` through `cache`, as one
   * step of incremental decoding. Returns y [B, T, D].
   */
  decode?(xBTD: Tensor, params: Params, cache: LayerKVCache, start: number): Tensor;
}

/** Returns the parameters a manifest declares for `options` (norms also take `dim`). */
export function paramSpecsOf(manifest: PluginManifest, options: SlotOptions, dims: Dims, dim?: number) {
  return manifest.kind === 'norm' ? (manifest as NormManifest).params(options, dims, dim) : manifest.params(options, dims);
}

function normExercises(manifest: NormManifest, options: SlotOptions, dims: Dims, shape: CallShape): Exercise[] {
  const width = shape.dim ?? dims.d_model;
  const ctx = makeContext(dims, { training: shape.training });
  return [
    {
      call: 'apply',
      inputShapes: { x: [shape.batch, shape.seq, width] },
      outputShapes: { y: [shape.batch, shape.seq, width] },
      usesParams: true,
      run: (inputs, params) => ({ y: manifest.apply(params, inputs.x, options, ctx) }),
    },
  ];
}

function positionExercises(manifest: PositionManifest, options: SlotOptions, dims: Dims, shape: CallShape): Exercise[] {
  const ctx = makeContext(dims, { training: shape.training });
  const { batch, seq, start } = shape;
  const exercises: Exercise[] = [];
  const embed = manifest.embed;
  const rotate = manifest.rotate;
  const bias = manifest.bias;
  if (embed) {
    exercises.push({
      call: 'embed',
      inputShapes: { x: [batch, seq, dims.d_model] },
      outputShapes: { x: [batch, seq, dims.d_model] },
      usesParams: true,
      run: (inputs, params) => ({ x: embed.call(manifest, params, inputs.x, start, options, ctx) }),
    });
  }
  if (rotate) {
    exercises.push({
      call: 'rotate',
      inputShapes: { q: [batch, dims.n_heads, seq, dims.head_dim], k: [batch, dims.n_kv_heads, seq, dims.head_dim] },
      outputShapes: { q: [batch, dims.n_heads, seq, dims.head_dim], k: [batch, dims.n_kv_heads, seq, dims.head_dim] },
      usesParams: false,
      run: (inputs) => {
        const [q, k] = rotate.call(manifest, inputs.q, inputs.k, start, options, ctx);
        return { q, k };
      },
    });
  }
  if (bias) {
    exercises.push({
      call: 'bias',
      inputShapes: {},
      outputShapes: { bias: [dims.n_heads, seq, shape.keys] },
      usesParams: true,
      run: (_inputs, params) => ({ bias: bias.call(manifest, params, seq, shape.keys, start, options, ctx) }),
    });
  }
  return exercises;
}

function ffnExercises(manifest: FfnManifest, options: SlotOptions, dims: Dims, shape: CallShape): Exercise[] {
  const ctx = makeContext(dims, { training: shape.training });
  return [
    {
      call: 'apply',
      inputShapes: { x: [shape.batch, shape.seq, dims.d_model] },
      outputShapes: { y: [shape.batch, shape.seq, dims.d_model], aux: [] },
      optionalOutputs: ['aux'],
      usesParams: true,
      run: (inputs, params) => {
        const { y, aux } = manifest.apply(params, inputs.x, options, ctx);
        const outputs: Record<string, Tensor> = { y };
        if (aux) outputs.aux = aux;
        return outputs;
      },
    },
  ];
}

/** A bound position scheme and the parameters it owns, for attention calls. */
export interface BoundPosition {
  manifest: PositionManifest;
  options: SlotOptions;
  params: Params;
}

function attentionExercises(manifest: AttentionManifest, options: SlotOptions, dims: Dims, shape: CallShape, position?: BoundPosition): Exercise[] {
  return [
    {
      call: 'apply',
      inputShapes: { x: [shape.batch, shape.seq, dims.d_model] },
      outputShapes: { y: [shape.batch, shape.seq, dims.d_model] },
      usesParams: true,
      run: (inputs, params) => {
        const base = makeContext(dims, { training: shape.training });
        const binding = position ? bindPosition(position.manifest, position.options, position.params, base) : {};
        const ctx = makeAttentionContext(dims, { position: binding, start: shape.start, training: shape.training });
        return { y: manifest.apply(params, inputs.x, options, ctx) };
      },
      decode: (xBTD, params, cache, start) => {
        const base = makeContext(dims);
        const binding = position ? bindPosition(position.manifest, position.options, position.params, base) : {};
        const ctx = makeAttentionContext(dims, { position: binding, start });
        ctx.cache = cache;
        return manifest.apply(params, xBTD, options, ctx);
      },
    },
  ];
}

function stabilityExercises(manifest: StabilityManifest, options: SlotOptions, dims: Dims, shape: CallShape): Exercise[] {
  const ctx = makeContext(dims, { training: shape.training });
  const { batch, seq } = shape;
  const { n_heads, n_kv_heads, head_dim, d_model, vocab_size } = dims;
  const exercises: Exercise[] = [];
  const { embedding, projections, queryKey, scores, logits, loss } = manifest;
  if (embedding) {
    exercises.push({
      call: 'embedding',
      inputShapes: { x: [batch, seq, d_model] },
      outputShapes: { x: [batch, seq, d_model] },
      usesParams: false,
      run: (inputs) => ({ x: embedding.call(manifest, inputs.x, options, ctx) }),
    });
  }
  if (projections) {
    const kvShape = [batch, seq, n_kv_heads * head_dim];
    exercises.push({
      call: 'projections',
      inputShapes: { q: [batch, seq, n_heads * head_dim], k: kvShape, v: kvShape },
      outputShapes: { q: [batch, seq, n_heads * head_dim], k: kvShape, v: kvShape },
      usesParams: true,
      run: (inputs, params) => {
        const [q, k, v] = projections.call(manifest, params, inputs.q, inputs.k, inputs.v, options, ctx);
        return { q, k, v };
      },
    });
  }
  if (queryKey) {
    exercises.push({
      call: 'queryKey',
      inputShapes: { q: [batch, n_heads, seq, head_dim], k: [batch, n_kv_heads, seq, head_dim] },
      outputShapes: { q: [batch, n_heads, seq, head_dim], k: [batch, n_kv_heads, seq, head_dim] },
      usesParams: true,
      run: (inputs, params) => {
        const [q, k] = queryKey.call(manifest, params, inputs.q, inputs.k, options, ctx);
        return { q, k };
      },
    });
  }
  if (scores) {
    exercises.push({
      call: 'scores',
      inputShapes: { scores: [batch, n_heads, seq, seq] },
      outputShapes: { scores: [batch, n_heads, seq, seq] },
      usesParams: false,
      run: (inputs) => ({ scores: scores.call(manifest, inputs.scores, options, ctx) }),
    });
  }
  if (logits) {
    exercises.push({
      call: 'logits',
      inputShapes: { logits: [batch * seq, vocab_size] },
      outputShapes: { logits: [batch * seq, vocab_size] },
      usesParams: false,
      run: (inputs) => ({ logits: logits.call(manifest, inputs.logits, options, ctx) }),
    });
  }
  if (loss) {
    const count = batch * seq;
    exercises.push({
      call: 'loss',
      inputShapes: { logsumexp: [count] },
      outputShapes: { loss: [] },
      usesParams: false,
      // The last row is padding, so a hook that ignores the weights is caught by golden tests.
      makeConstants: () => ({ weight: tf.tensor1d(Array.from({ length: count }, (_, i) => (i === count - 1 ? 0 : 1)), 'float32') }),
      run: (inputs, _params, constants) => ({
        loss: loss.call(manifest, { logsumexpN: inputs.logsumexp, weightN: constants.weight, count: count - 1 }, options, ctx),
      }),
    });
  }
  return exercises;
}

/** Lists the calls the kit makes for `manifest`, by slot kind. */
export function exercisesOf(manifest: PluginManifest, options: SlotOptions, dims: Dims, shape: CallShape, position?: BoundPosition): Exercise[] {
  switch (manifest.kind) {
    case 'norm':
      return normExercises(manifest, options, dims, shape);
    case 'position':
      return positionExercises(manifest, options, dims, shape);
    case 'ffn':
      return ffnExercises(manifest, options, dims, shape);
    case 'attention':
      return attentionExercises(manifest, options, dims, shape, position);
    case 'stability':
      return stabilityExercises(manifest, options, dims, shape);
  }
}
