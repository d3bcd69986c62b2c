// Legend: B batch, T sequence, D model width, H heads, K head dim, F FFN width.
/**
 * Minimal manifests for core's own tests, so core is tested without the plugin packages (which
 * depend on core). They are simple on purpose; the real plugins live in their packages.
 */
import { CONTRACT_VERSION } from '../spec.js';
import type { AttentionManifest, FfnManifest, NormManifest, PositionManifest } from '../spec.js';
import { tf } from '../tf.js';

const base = { contract: CONTRACT_VERSION, package: '@archzoo/core-test-fixtures', references: [] };

export const testNorm: NormManifest = {
  ...base,
  id: 'test_rms',
  kind: 'norm',
  description: 'RMS normalisation with a gain',
  schema: { eps: { type: 'number', min: 0, optional: true, description: 'epsilon' } },
  defaults: { eps: 1e-6 },
  params: (_options, dims, dim) => [{ name: 'weight', shape: [dim ?? dims.d_model], init: { kind: 'ones' }, decay: false }],
  apply: (params, x, options) =>
    tf.tidy(() => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), options.eps as number))), params.weight!)),
};

export const testNoPosition: PositionManifest = {
  ...base,
  id: 'test_none',
  kind: 'position',
  description: 'no positions',
  schema: {},
  defaults: {},
  params: () => [],
};

export const testMlp: FfnManifest = {
  ...base,
  id: 'test_relu_mlp',
  kind: 'ffn',
  description: 'ReLU MLP without biases',
  schema: {},
  defaults: {},
  params: (_options, dims) => [
    { name: 'fc_in.weight', shape: [dims.d_model, dims.d_ff], init: { kind: 'normal' }, decay: true },
    { name: 'fc_out.weight', shape: [dims.d_ff, dims.d_model], init: { kind: 'normal', residual: true }, decay: true },
  ],
  apply: (params, xBTD) => {
    const [b, t, d] = xBTD.shape as number[];
    const hidden = tf.relu(tf.matMul(tf.reshape(xBTD, [b! * t!, d!]), params['fc_in.weight']!));
    return { y: tf.reshape(tf.matMul(hidden, params['fc_out.weight']!), [b!, t!, d!]) };
  },
};

export const testAttention: AttentionManifest = {
  ...base,
  id: 'test_causal',
  kind: 'attention',
  description: 'causal multi-head attention (n_kv_heads = n_heads only)',
  schema: {},
  defaults: {},
  validate: (_options, dims) => (dims.n_kv_heads === dims.n_heads ? [] : ['test_causal supports n_kv_heads = n_heads only']),
  params: (_options, dims) => {
    const inner = dims.n_heads * dims.head_dim;
    return [
      { name: 'qkv.weight', shape: [dims.d_model, 3 * inner], init: { kind: 'normal' }, decay: true },
      { name: 'o.weight', shape: [inner, dims.d_model], init: { kind: 'normal', residual: true }, decay: true },
    ];
  },
  apply: (params, xBTD, _options, ctx) => {
    const [b, t, d] = xBTD.shape as [number, number, number];
    const { n_heads: h, head_dim: k } = ctx.dims;
    const qkv = tf.matMul(tf.reshape(xBTD, [b * t, d]), params['qkv.weight']!);
    const [q, kk, v] = tf.split(qkv, 3, 1).map((part) => tf.transpose(tf.reshape(part, [b, t, h, k]), [0, 2, 1, 3]));
    const [qr, kr] = ctx.position.rotate ? ctx.position.rotate(q!, kk!, ctx.start) : [q!, kk!];
    const scoresBHTT = ctx.stability.scores(tf.mul(tf.matMul(qr, kr, false, true), 1 / Math.sqrt(k)));
    const mask = tf.linalg.bandPart(tf.ones([t, t]), -1, 0);
    const masked = tf.add(scoresBHTT, tf.mul(tf.sub(1, mask), -1e9));
    const out = tf.matMul(tf.softmax(masked), v!);
    const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [b * t, h * k]);
    return tf.reshape(tf.matMul(merged, params['o.weight']!), [b, t, d]);
  },
};

export const testPlugins = [testNorm, testNoPosition, testMlp, testAttention];

export const testConfig = {
  vocab_size: 17,
  d_model: 8,
  n_layers: 2,
  n_heads: 2,
  d_ff: 16,
  context_length: 8,
  norm: { type: 'test_rms' },
  position: { type: 'test_none' },
  attention: { type: 'test_causal' },
  ffn: { type: 'test_relu_mlp' },
};

/** `testConfig` widened to 2,622,208 parameters (10 MB of float32), so writing a checkpoint takes tens of milliseconds. */
export const WIDE_CONFIG = { ...testConfig, vocab_size: 4096, d_model: 256, n_layers: 1, d_ff: 512 };

/** A training config for checkpoint tests that never train the wide model. */
export const WIDE_TRAIN = {
  steps: 1000,
  batch_size: 1,
  seq_len: 8,
  grad_accum_steps: 1,
  lr: 1e-3,
  min_lr: 1e-4,
  warmup_steps: 0,
  schedule: 'cosine' as const,
  weight_decay: 0,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  grad_clip: 0,
  eval_interval: 0,
  eval_batches: 1,
  log_interval: 1,
  seed: 1,
};
