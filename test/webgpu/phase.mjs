// Legend: B batch, T sequence, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
// One backend's half of the webgpu-versus-cpu comparison, run as its own Node process so that
// every tensor is created after that backend is selected. It computes seeded plugin outputs and
// 20 training steps of a tiny LLaMA-layout model, and prints them as one JSON line.
// Usage: node phase.mjs BACKEND   (BACKEND is an archzoo backend name: webgpu, cpu, ...)
// It imports the built packages (dist), so run `pnpm build` first.
import { Model, Registry, resolveConfig, Rng, selectBackend, tf, Trainer } from '@archzoo/core';
import { swiglu } from '@archzoo/activations';
import { causal } from '@archzoo/attention';
import { layernorm, rmsnorm } from '@archzoo/norms';
import { rope } from '@archzoo/positional';

const requested = process.argv[2];
if (!requested) {
  process.stderr.write('usage: node phase.mjs BACKEND\n');
  process.exit(2);
}
const backend = await selectBackend(requested, process.env);
// The webgpu backend runs small ops on the CPU when their inputs are still in host memory. That
// would compare the cpu backend with itself, so it is turned off and every kernel runs on the adapter.
if (backend.tfBackend === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);

// The plugin calls use the testkit's default test dimensions: D 16, H 4, G 2, K 4, F 32.
const dims = { vocab_size: 32, d_model: 16, n_layers: 2, n_heads: 4, n_kv_heads: 2, head_dim: 4, d_ff: 32, context_length: 16 };
const ctx = { dims, layer: 0, training: false };
const identityStability = { projections: (q, k, v) => [q, k, v], queryKey: (q, k) => [q, k], scores: (s) => s };

function optionsOf(manifest) {
  return { ...manifest.defaults, type: manifest.id };
}

function randomTensor(shape, rng, std = 1) {
  return tf.tensor(rng.normalArray(shape.reduce((a, b) => a * b, 1), std), shape, 'float32');
}

function randomParams(specs, rng) {
  return Object.fromEntries(specs.map((spec) => [spec.name, randomTensor(spec.shape, rng, 0.5)]));
}

async function valuesOf(tensor) {
  return { shape: tensor.shape, values: Array.from(await tensor.data()) };
}

/** Each case returns named outputs; inputs and parameters come from a per-case seed. */
const cases = {
  'rmsnorm.apply': (rng) => {
    const params = randomParams(rmsnorm.params(optionsOf(rmsnorm), dims), rng);
    return { y: rmsnorm.apply(params, randomTensor([2, 5, 16], rng), optionsOf(rmsnorm), ctx) };
  },
  'layernorm.apply': (rng) => {
    const params = randomParams(layernorm.params(optionsOf(layernorm), dims), rng);
    return { y: layernorm.apply(params, randomTensor([2, 5, 16], rng), optionsOf(layernorm), ctx) };
  },
  'rope.rotate': (rng) => {
    // q [B, H, T, K], k [B, G, T, K], starting at absolute position 3.
    const [q, k] = rope.rotate.call(rope, randomTensor([2, 4, 5, 4], rng), randomTensor([2, 2, 5, 4], rng), 3, optionsOf(rope), ctx);
    return { q, k };
  },
  'swiglu.apply': (rng) => {
    const params = randomParams(swiglu.params(optionsOf(swiglu), dims), rng);
    return { y: swiglu.apply(params, randomTensor([2, 5, 16], rng), optionsOf(swiglu), ctx).y };
  },
  'causal.apply with rope, GQA': (rng) => {
    const params = randomParams(causal.params(optionsOf(causal), dims), rng);
    const position = { rotate: (q, k, start) => rope.rotate.call(rope, q, k, start, optionsOf(rope), ctx) };
    const attentionCtx = { ...ctx, position, stability: identityStability, start: 0 };
    const x = randomTensor([2, 5, 16], rng);
    const dx = tf.grad((input) => tf.sum(tf.square(causal.apply(params, input, optionsOf(causal), attentionCtx))))(x);
    return { y: causal.apply(params, x, optionsOf(causal), attentionCtx), dx };
  },
};

const forward = {};
const forwardStart = performance.now();
let seed = 100;
for (const [name, run] of Object.entries(cases)) {
  const rng = new Rng(seed++);
  const outputs = tf.tidy(() => run(rng));
  forward[name] = {};
  for (const [output, tensor] of Object.entries(outputs)) {
    forward[name][output] = await valuesOf(tensor);
    tensor.dispose();
  }
}
const forwardMs = performance.now() - forwardStart;

// A tiny model with LLaMA's layout (pre-norm RMSNorm, RoPE, SwiGLU, GQA, no biases, untied
// output) trained for 20 steps on seeded token batches that both backends draw identically.
const registry = new Registry([rmsnorm, rope, swiglu, causal]);
const config = resolveConfig(
  {
    vocab_size: 64, d_model: 32, n_layers: 2, n_heads: 4, n_kv_heads: 2, d_ff: 64, context_length: 16,
    norm: { type: 'rmsnorm' }, position: { type: 'rope' }, attention: { type: 'causal' }, ffn: { type: 'swiglu' },
    tie_embeddings: false,
  },
  registry,
);
const STEPS = 20;
const BATCH = 4;
const SEQ = 16;
const dataRng = new Rng(7);
const nextTrainBatch = () => {
  const inputs = new Int32Array(BATCH * SEQ).map(() => dataRng.nextInt(64));
  // target = 5 * input + 3 (mod 64): learnable from the current token, so the loss falls.
  return { inputs, targets: inputs.map((t) => (t * 5 + 3) % 64), batchSize: BATCH, seqLen: SEQ };
};
const trainer = new Trainer(
  new Model(config, registry),
  {
    steps: STEPS, batch_size: BATCH, seq_len: SEQ, grad_accum_steps: 1, lr: 1e-2, min_lr: 1e-3, warmup_steps: 2,
    schedule: 'cosine', weight_decay: 0.1, beta1: 0.9, beta2: 0.95, eps: 1e-8, grad_clip: 1,
    eval_interval: 0, eval_batches: 1, log_interval: STEPS, seed: 1,
  },
  { nextTrainBatch, validationBatches: () => [] },
);
const trainStart = performance.now();
const losses = [];
for (let step = 0; step < STEPS; step++) losses.push((await trainer.trainStepAsync()).loss);
const trainMs = performance.now() - trainStart;
// Checkpoints read every parameter and AdamW moment back to the host.
const snapshot = await trainer.snapshotAsync();
const snapshotValues = [snapshot.params, snapshot.m, snapshot.v].flatMap((tensors) => [...tensors.values()]);
const snapshotSummary = { tensors: snapshotValues.length, finite: snapshotValues.every(({ data }) => data.every(Number.isFinite)) };
trainer.dispose();

process.stdout.write(`${JSON.stringify({ backend, forward, losses, forwardMs, trainMs, snapshot: snapshotSummary })}\n`);
