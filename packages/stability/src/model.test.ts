// Legend: B batch, T sequence, V vocabulary, N predicted tokens (B*T).
import { afterAll, describe, expect, it } from 'vitest';
import { attentions } from '@archzoo/attention';
import { ffns } from '@archzoo/activations';
import { Model, Registry, Rng, Trainer, initParams, resolveConfig, tf, type Batch, type ModelConfig, type SlotOptions, type TrainConfig } from '@archzoo/core';
import { norms } from '@archzoo/norms';
import { positional } from '@archzoo/positional';
import { useCpuBackend } from '@archzoo/testkit';
import { stabilities } from './index.js';

const registry = new Registry([...norms, ...positional, ...ffns, ...attentions, ...stabilities]);
const VOCAB = 17;

const allSeven: SlotOptions[] = [
  { type: 'embedding_scale' },
  { type: 'qk_norm', scope: 'projection' },
  { type: 'qkv_clip', clip: 8 },
  { type: 'attn_softcap', cap: 50 },
  { type: 'final_softcap', cap: 30 },
  { type: 'logit_scale', scale: 0.5 },
  { type: 'z_loss', coefficient: 1e-3 },
];

/** Builds the config of a tiny Llama-style model (RMSNorm, RoPE, GQA 4/2, SwiGLU) with the given stability list. */
function tinyConfig(stability: SlotOptions[]): ModelConfig {
  return {
    vocab_size: VOCAB,
    d_model: 16,
    n_layers: 2,
    n_heads: 4,
    n_kv_heads: 2,
    d_ff: 32,
    context_length: 16,
    norm: { type: 'rmsnorm' },
    position: { type: 'rope' },
    attention: { type: 'causal' },
    ffn: { type: 'swiglu' },
    stability,
    tie_embeddings: true,
  };
}

const trainConfig: TrainConfig = {
  steps: 2,
  batch_size: 2,
  seq_len: 8,
  grad_accum_steps: 1,
  lr: 1e-2,
  min_lr: 1e-3,
  warmup_steps: 1,
  schedule: 'cosine',
  weight_decay: 0.1,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  grad_clip: 1,
  eval_interval: 0,
  eval_batches: 1,
  log_interval: 1,
  seed: 5,
};

/** Draws a batch whose targets are (input + 1) mod vocab, a pattern the model can learn. */
function randomBatch(rng: Rng): Batch {
  const inputs = new Int32Array(trainConfig.batch_size * trainConfig.seq_len).map(() => rng.nextInt(VOCAB));
  return { inputs, targets: inputs.map((token) => (token + 1) % VOCAB), batchSize: trainConfig.batch_size, seqLen: trainConfig.seq_len };
}

function makeData(seed: number) {
  const rng = new Rng(seed);
  return {
    nextTrainBatch: () => randomBatch(rng),
    validationBatches: function* (maxBatches: number) {
      const validationRng = new Rng(seed + 1);
      for (let i = 0; i < maxBatches; i++) yield randomBatch(validationRng);
    },
  };
}

describe('all seven stability plugins in one model', () => {
  useCpuBackend();
  const config = resolveConfig(tinyConfig(allSeven), registry);
  const model = new Model(config, registry);

  it('scopes QK-norm weights under each layer', () => {
    const qkNames = model.specs.filter((spec) => spec.name.includes('.stability.')).map((spec) => [spec.name, spec.shape]);
    expect(qkNames).toEqual([
      ['layers.0.stability.qk_norm.q_norm.weight', [16]],
      ['layers.0.stability.qk_norm.k_norm.weight', [8]],
      ['layers.1.stability.qk_norm.q_norm.weight', [16]],
      ['layers.1.stability.qk_norm.k_norm.weight', [8]],
    ]);
  });

  it('trains two steps with a finite loss', async () => {
    const trainer = new Trainer(model, trainConfig, makeData(11));
    const before = Array.from(trainer.params.get('layers.0.stability.qk_norm.q_norm.weight')!.dataSync());
    try {
      const summary = await trainer.run();
      expect(summary.steps).toBe(2);
      expect(summary.losses).toHaveLength(2);
      for (const loss of summary.losses) {
        expect(Number.isFinite(loss)).toBe(true);
        // A uniform guess over 17 tokens costs ln 17 = 2.83 nats, and two steps keep the model near it.
        expect(loss).toBeGreaterThan(2);
        expect(loss).toBeLessThan(4);
      }
      const after = Array.from(trainer.params.get('layers.0.stability.qk_norm.q_norm.weight')!.dataSync());
      // The optimizer moved the QK-norm weights, so gradients reach them through the projections hook.
      expect(after).not.toEqual(before);
    } finally {
      trainer.dispose();
    }
  });

  it('leaks no tensors across a training step', () => {
    const trainer = new Trainer(model, { ...trainConfig, steps: 3 }, makeData(12));
    try {
      trainer.trainStep();
      const before = tf.memory().numTensors;
      trainer.trainStep();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      trainer.dispose();
    }
  });
});

describe('z_loss in Model.loss', () => {
  useCpuBackend();
  const withZ = new Model(resolveConfig(tinyConfig(allSeven), registry), registry);
  const withoutZ = new Model(resolveConfig(tinyConfig(allSeven.filter((options) => options.type !== 'z_loss')), registry), registry);
  // z_loss has no parameters, so both models share one parameter table.
  const params = initParams(withZ.specs, withZ.config, 7);
  afterAll(() => params.forEach((param) => param.dispose()));

  const tokensBT = tf.tensor2d([[1, 4, 9, 16, 2, 3], [5, 6, 7, 8, 0, 11]], [2, 6], 'int32');
  // -1 marks padding, which neither the cross-entropy nor the z-loss may count.
  const targetsBT = tf.tensor2d([[4, 9, 16, 2, 3, -1], [6, 7, 8, 0, 11, 12]], [2, 6], 'int32');
  afterAll(() => tf.dispose([tokensBT, targetsBT]));

  it('declares the same parameters with and without it', () => {
    expect(withoutZ.specs).toEqual(withZ.specs);
  });

  it('leaves crossEntropy unchanged', () => {
    const [a, b] = [withZ.loss(params, tokensBT, targetsBT), withoutZ.loss(params, tokensBT, targetsBT)];
    expect(a.crossEntropy.dataSync()[0]).toBe(b.crossEntropy.dataSync()[0]);
    expect(b.total.dataSync()[0]).toBe(b.crossEntropy.dataSync()[0]);
    tf.dispose([a.crossEntropy, a.total, b.crossEntropy, b.total]);
  });

  it('adds coefficient * mean(lse^2) to total', () => {
    const { crossEntropy, total } = withZ.loss(params, tokensBT, targetsBT);
    const logitsNV = tf.tidy(() => tf.reshape(withZ.logitsFor(params, tokensBT), [-1, VOCAB]));
    const lse = Array.from(tf.tidy(() => tf.logSumExp(logitsNV, 1)).dataSync());
    const counted = Array.from(targetsBT.dataSync()).map((target) => target >= 0);
    const meanSquare = lse.reduce((sum, value, i) => sum + (counted[i] ? value * value : 0), 0) / counted.filter(Boolean).length;
    const added = total.dataSync()[0] - crossEntropy.dataSync()[0];
    expect(added).toBeGreaterThan(0);
    // The added term is near 8e-3 (lse near ln 17), and both losses near 3 carry float32 rounding of 1.2e-7 each.
    expect(Math.abs(added - 1e-3 * meanSquare)).toBeLessThan(1e-6);
    tf.dispose([crossEntropy, total, logitsNV]);
  });
});
