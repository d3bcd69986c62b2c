// Property-based check that any valid combination of slot options builds a model whose parameter
// count matches the config and whose first training step has a finite loss.
import { countParams, Model, modelParamSpecs, resolveConfig, Rng, tf, Trainer, type ModelConfig, type SlotOptions, type TrainConfig } from '@archzoo/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { registryOfAll } from './all-plugins.js';

const registry = registryOfAll();

const norm = fc.oneof(
  fc
    .record({ type: fc.constant('layernorm'), bias: fc.boolean(), affine: fc.boolean(), unit_offset: fc.boolean() })
    // A non-parametric LayerNorm has no weight to offset, which the plugin rejects.
    .map((o) => ({ ...o, unit_offset: o.affine && o.unit_offset })),
  fc.record({ type: fc.constant('rmsnorm'), unit_offset: fc.boolean() }),
);

const position = fc.oneof(
  fc.constant<SlotOptions>({ type: 'learned' }),
  fc.constant<SlotOptions>({ type: 'sinusoidal' }),
  fc.record({ type: fc.constant('rope'), rotary_fraction: fc.constantFrom(0.5, 1), pairing: fc.constantFrom('half', 'interleaved') }),
  fc.constant<SlotOptions>({ type: 'alibi' }),
  fc.record({ type: fc.constant('t5_relative'), num_buckets: fc.constantFrom(4, 8), max_distance: fc.constantFrom(8, 16) }),
  fc.constant<SlotOptions>({ type: 'none' }),
);

const ffn = fc.oneof(
  fc.record({ type: fc.constant('mlp'), activation: fc.constantFrom('gelu', 'gelu_tanh', 'relu', 'relu2', 'silu'), bias: fc.boolean() }),
  fc.record({ type: fc.constantFrom('swiglu', 'reglu', 'glu', 'glu_bilinear'), bias: fc.boolean() }),
  fc.record({ type: fc.constant('geglu'), gelu: fc.constantFrom('exact', 'tanh') }),
  fc
    .record({ n_experts: fc.integer({ min: 2, max: 3 }), top_k: fc.integer({ min: 1, max: 2 }), expert: fc.constantFrom('swiglu', 'geglu') })
    .map((o) => ({ type: 'moe', ...o, top_k: Math.min(o.top_k, o.n_experts) })),
);

const stability = fc.subarray([
  { type: 'z_loss', coefficient: 1e-3 },
  { type: 'qk_norm', scope: 'head' },
  { type: 'attn_softcap', cap: 20 },
  { type: 'final_softcap', cap: 15 },
  { type: 'embedding_scale' },
  { type: 'logit_scale', scale: 0.5 },
  { type: 'qkv_clip', clip: 4 },
]);

const layout = fc.oneof(
  fc.record({ placement: fc.constantFrom('pre', 'post', 'sandwich', 'reordered'), layout: fc.constant('serial') }),
  fc.record({ placement: fc.constant('pre'), layout: fc.constantFrom('parallel_shared_norm', 'parallel_two_norms') }),
);

// [n_heads, n_kv_heads] pairs: MHA, GQA and MQA.
const heads = fc.constantFrom<[number, number]>([1, 1], [2, 1], [2, 2], [4, 2], [4, 1], [4, 4]);

const modelConfig: fc.Arbitrary<ModelConfig> = fc
  .record({
    norm,
    position,
    ffn,
    stability,
    layout,
    heads,
    window: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    final_norm: fc.boolean(),
    embedding_norm: fc.boolean(),
    tie: fc.boolean(),
    n_layers: fc.integer({ min: 1, max: 2 }),
  })
  .map((draw) => {
    const [nHeads, nKvHeads] = draw.heads as [number, number];
    const headDim = 4;
    const attention: SlotOptions = { type: 'causal', ...(draw.window ? { window: draw.window } : {}) };
    return {
      vocab_size: 23,
      d_model: nHeads! * headDim,
      n_layers: draw.n_layers,
      n_heads: nHeads!,
      n_kv_heads: nKvHeads!,
      d_ff: 12,
      context_length: 8,
      norm: draw.norm,
      position: draw.position,
      attention,
      ffn: draw.ffn,
      stability: draw.stability,
      block: { ...draw.layout, final_norm: draw.final_norm, embedding_norm: draw.embedding_norm },
      tie_embeddings: draw.tie,
    } as ModelConfig;
  });

const trainConfig: TrainConfig = {
  steps: 1,
  batch_size: 2,
  seq_len: 8,
  grad_accum_steps: 1,
  lr: 1e-3,
  min_lr: 1e-4,
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
  seed: 0,
};

function randomTokens(rng: Rng): Int32Array {
  return new Int32Array(16).map(() => rng.nextInt(23));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('random slot combinations', () => {
  it('build, count parameters and train one step', () => {
    fc.assert(
      fc.property(modelConfig, (config) => {
        const resolved = resolveConfig(config, registry);
        const model = new Model(resolved, registry);
        const rng = new Rng(1);
        const trainer = new Trainer(model, trainConfig, {
          nextTrainBatch: () => ({ inputs: randomTokens(rng), targets: randomTokens(rng), batchSize: 2, seqLen: 8 }),
          validationBatches: () => [],
        });
        const built = [...trainer.params.values()].reduce((sum, p) => sum + p.size, 0);
        expect(built).toBe(countParams(modelParamSpecs(resolved, registry)));
        const { loss } = trainer.trainStep();
        trainer.dispose();
        expect(Number.isFinite(loss)).toBe(true);
      }),
      { numRuns: 40, seed: 20261204 },
    );
  });
});
