// Training must neither leak tensors nor grow the process: a short run of the Gemma 2
// architecture (the recipe with the most plugins) is sampled between steps after a full GC.
import { Model, resolveConfig, Registry, Rng, selectBackend, tf, Trainer, type Batch, type TrainConfig } from '@archzoo/core';
import { gemma2 } from '@archzoo/recipe-gemma2';
import { profileTrainingMemory } from '@archzoo/testkit';
import { afterAll, describe, expect, it } from 'vitest';

const VOCAB = 512;
const STEPS = 200;
/** Steps before the first sample: resident memory settles by about step 100 (JIT code, allocator pools, the first evaluations). */
const WARMUP = 100;

const trainConfig: TrainConfig = {
  ...gemma2.scales.tiny!.train,
  steps: STEPS,
  batch_size: 2,
  seq_len: 32,
  grad_accum_steps: 1,
  warmup_steps: 10,
  eval_interval: 50,
  eval_batches: 2,
  log_interval: 10,
};

function randomBatch(rng: Rng): Batch {
  const size = trainConfig.batch_size * trainConfig.seq_len;
  const inputs = new Int32Array(size).map(() => rng.nextInt(VOCAB));
  const targets = new Int32Array(size).map(() => rng.nextInt(VOCAB));
  return { inputs, targets, batchSize: trainConfig.batch_size, seqLen: trainConfig.seq_len };
}

function makeTrainer(): Trainer {
  const registry = new Registry(gemma2.plugins);
  const tiny = gemma2.scales.tiny!.model;
  const config = resolveConfig(
    {
      ...tiny,
      vocab_size: VOCAB,
      d_model: 32,
      n_layers: 2,
      n_heads: 2,
      n_kv_heads: 1,
      head_dim: 16,
      d_ff: 64,
      context_length: 32,
      attention: { ...tiny.attention, query_pre_attn_scalar: 16 },
      layer_pattern: [{ attention: { window: 16 } }, {}],
    },
    registry,
  );
  const rng = new Rng(5);
  const data = {
    nextTrainBatch: () => randomBatch(rng),
    validationBatches: function* (max: number) {
      const validation = new Rng(6);
      for (let i = 0; i < max; i++) yield randomBatch(validation);
    },
  };
  return new Trainer(new Model(config, registry), trainConfig, data);
}

// The tensor counts must not move at all. Process memory is noisier, so the bounds are about
// what a leak of 64 KB per step would add: 64 MB per 1,000 steps of V8 heap and ArrayBuffers,
// and 8 MB of resident memory over the 100 sampled steps.
const MAX_HEAP_SLOPE = 64 * 2 ** 20;
const MAX_RSS_GROWTH = 8 * 2 ** 20;

describe.each(['cpu-native', 'cpu'] as const)('memory over %s training steps', (backend) => {
  let available = true;
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it(`stays flat over ${STEPS} steps`, async (context) => {
    try {
      await selectBackend(backend);
    } catch (error) {
      available = false;
      context.skip(`${backend} unavailable: ${(error as Error).message}`);
    }
    expect(available).toBe(true);
    const trainer = makeTrainer();
    const profile = await profileTrainingMemory(trainer, { every: 10, warmup: WARMUP });
    trainer.dispose();
    const { samples } = profile;
    expect(samples.length).toBe(11);
    expect(profile.collected).toBe(true);
    expect(profile.tensorGrowth).toBe(0);
    expect(profile.tensorByteGrowth).toBe(0);
    expect(profile.heapSlopePer1000Steps).toBeLessThan(MAX_HEAP_SLOPE);
    expect(samples.at(-1)!.rss - samples[0]!.rss).toBeLessThan(MAX_RSS_GROWTH);
  });
});
