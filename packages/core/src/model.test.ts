import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, testPlugins } from './__fixtures__/plugins.js';
import { resolveConfig } from './config.js';
import { Model } from './model.js';
import { initParams } from './params.js';
import { Registry } from './registry.js';
import { tf } from './tf.js';
import { Trainer, type Batch, type TrainConfig } from './train.js';
import { Rng } from './rng.js';

const registry = new Registry(testPlugins);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomBatch(rng: Rng, batchSize: number, seqLen: number, vocab: number): Batch {
  const inputs = new Int32Array(batchSize * seqLen).map(() => rng.nextInt(vocab));
  const targets = new Int32Array(batchSize * seqLen).map(() => rng.nextInt(vocab));
  return { inputs, targets, batchSize, seqLen };
}

const trainConfig: TrainConfig = {
  steps: 6,
  batch_size: 2,
  seq_len: 8,
  grad_accum_steps: 1,
  lr: 1e-2,
  min_lr: 1e-3,
  warmup_steps: 2,
  schedule: 'cosine',
  weight_decay: 0.1,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  grad_clip: 1,
  eval_interval: 0,
  eval_batches: 1,
  log_interval: 1,
  seed: 3,
};

function makeData(seed: number) {
  const rng = new Rng(seed);
  // A learnable stream: target = (input + 1) mod vocab.
  return {
    nextTrainBatch: () => {
      const batch = randomBatch(rng, 2, 8, 17);
      batch.targets = batch.inputs.map((v) => (v + 1) % 17);
      return batch;
    },
    validationBatches: function* (max: number) {
      const valRng = new Rng(99);
      for (let i = 0; i < max; i++) {
        const batch = randomBatch(valRng, 2, 8, 17);
        batch.targets = batch.inputs.map((v) => (v + 1) % 17);
        yield batch;
      }
    },
  };
}

describe('Model', () => {
  const config = resolveConfig(testConfig, registry);
  const model = new Model(config, registry);
  const params = initParams(model.specs, config, 1);
  afterAll(() => params.forEach((p) => p.dispose()));

  it('maps tokens [B, T] to logits [B, T, V]', () => {
    const logits = model.logitsFor(params, tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32'));
    expect(logits.shape).toEqual([2, 3, 17]);
    logits.dispose();
  });

  it('is causal: later tokens do not change earlier logits', () => {
    const a = model.logitsFor(params, tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32'));
    const b = model.logitsFor(params, tf.tensor2d([[1, 2, 9, 9]], [1, 4], 'int32'));
    const firstTwo = (t: tf.Tensor) => Array.from(t.slice([0, 0, 0], [1, 2, 17]).dataSync());
    expect(firstTwo(b)).toEqual(firstTwo(a));
    expect(Array.from(b.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
  });

  it('starts near the uniform loss ln(V)', () => {
    const loss = tf.tidy(() => {
      const tokens = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8]], [1, 8], 'int32');
      return model.loss(params, tokens, tokens).crossEntropy.dataSync()[0]!;
    });
    expect(Math.abs(loss - Math.log(17))).toBeLessThan(0.1);
  });

  it('ignores negative targets', () => {
    const [all, masked] = tf.tidy(() => {
      const tokens = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
      const full = model.loss(params, tokens, tf.tensor2d([[2, 3, 4, 5]], [1, 4], 'int32')).crossEntropy.dataSync()[0]!;
      const part = model.loss(params, tokens, tf.tensor2d([[2, 3, -1, -1]], [1, 4], 'int32')).crossEntropy.dataSync()[0]!;
      const logits = model.logitsFor(params, tokens);
      const logProbs = tf.logSoftmax(logits).arraySync() as number[][][];
      const manual = -(logProbs[0]![0]![2]! + logProbs[0]![1]![3]!) / 2;
      return [full, part - manual];
    });
    expect(Number.isFinite(all)).toBe(true);
    expect(Math.abs(masked)).toBeLessThan(1e-5);
  });
});

describe('dropout', () => {
  const config = resolveConfig({ ...testConfig, dropout: { embedding: 0.3, residual: 0.3 } }, registry);
  const model = new Model(config, registry);
  const params = initParams(model.specs, config, 1);
  const plain = new Model(resolveConfig(testConfig, registry), registry);
  const tokens = () => tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');

  it('is off outside training', () => {
    const [withRates, without] = [model, plain].map((m) => Array.from(m.logitsFor(params, tokens()).dataSync()));
    expect(withRates).toEqual(without);
  });

  it('changes training outputs, reproducibly per seed', () => {
    const run = (seed: number) => Array.from(model.logitsFor(params, tokens(), { training: true, rng: new Rng(seed) }).dataSync());
    const evalLogits = Array.from(model.logitsFor(params, tokens()).dataSync());
    expect(run(4)).not.toEqual(evalLogits);
    expect(run(4)).toEqual(run(4));
    expect(run(5)).not.toEqual(run(4));
  });
});

describe('Trainer', () => {
  const config = resolveConfig(testConfig, registry);

  async function run(seed: number): Promise<number[]> {
    const trainer = new Trainer(new Model(config, registry), trainConfig, makeData(seed));
    const summary = await trainer.run();
    trainer.dispose();
    return summary.losses;
  }

  it('gives identical losses for the same seed', async () => {
    const first = await run(5);
    const second = await run(5);
    expect(second).toEqual(first);
    expect(await run(6)).not.toEqual(first);
  });

  it('learns a learnable stream', async () => {
    const trainer = new Trainer(new Model(config, registry), { ...trainConfig, steps: 40, lr: 3e-2 }, makeData(1));
    const summary = await trainer.run();
    trainer.dispose();
    expect(summary.losses[39]!).toBeLessThan(summary.losses[0]! - 1);
    expect(summary.finalValLoss).toBeLessThan(Math.log(17) - 1);
  });

  it('does not leak tensors across steps', async () => {
    const trainer = new Trainer(new Model(config, registry), { ...trainConfig, grad_accum_steps: 2 }, makeData(2));
    trainer.trainStep();
    trainer.evaluate();
    const after = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) trainer.trainStep();
    trainer.evaluate();
    expect(tf.memory().numTensors).toBe(after);
    trainer.dispose();
  });

  it('async reads match sync reads', async () => {
    const sync = new Trainer(new Model(config, registry), { ...trainConfig, grad_accum_steps: 2 }, makeData(4));
    const async = new Trainer(new Model(config, registry), { ...trainConfig, grad_accum_steps: 2 }, makeData(4));
    for (let i = 0; i < 3; i++) expect(await async.trainStepAsync()).toEqual(sync.trainStep());
    expect(await async.evaluateAsync()).toBe(sync.evaluate());
    sync.dispose();
    async.dispose();
  });

  it('async snapshot matches sync snapshot', async () => {
    const trainer = new Trainer(new Model(config, registry), trainConfig, makeData(4));
    await trainer.trainStepAsync();
    expect(await trainer.snapshotAsync()).toEqual(trainer.snapshot());
    trainer.dispose();
  });

  it('does not leak tensors with asynchronous reads', async () => {
    const trainer = new Trainer(new Model(config, registry), { ...trainConfig, grad_accum_steps: 2 }, makeData(2));
    await trainer.trainStepAsync();
    await trainer.evaluateAsync();
    const after = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await trainer.trainStepAsync();
    await trainer.evaluateAsync();
    expect(tf.memory().numTensors).toBe(after);
    trainer.dispose();
  });

  it('records namespaced metrics', async () => {
    const records: Record<string, number>[] = [];
    const trainer = new Trainer(new Model(config, registry), { ...trainConfig, steps: 2 }, makeData(2));
    await trainer.run({ onRecord: (r) => records.push(r) });
    trainer.dispose();
    expect(Object.keys(records[0]!).sort()).toEqual(
      ['memory/num_tensors', 'optim/grad_norm', 'optim/lr', 'step', 'throughput/tokens_per_s', 'time/step_ms', 'train/loss'].sort(),
    );
    expect(records.at(-1)).toHaveProperty('val/loss');
  });

  it('cuts an evaluation short when told to stop', async () => {
    const records: Record<string, number>[] = [];
    let stop = false;
    const tensorsBefore = tf.memory().numTensors;
    const trainer = new Trainer(new Model(config, registry), { ...trainConfig, steps: 4, eval_interval: 2, eval_batches: 3 }, makeData(2));
    const summary = await trainer.run({
      onRecord: (r) => records.push(r),
      // A signal arriving during step 4 stops the evaluation that follows it.
      onStep: (step) => (stop = step === 4),
      shouldStop: () => stop,
    });
    trainer.dispose();
    expect(summary.steps).toBe(4);
    expect(summary.evaluationInterrupted).toBe(true);
    const evaluated = records.filter((r) => 'val/loss' in r).map((r) => r.step);
    expect(evaluated).toEqual([2]);
    expect(summary.finalValLoss).toBe(records.find((r) => 'val/loss' in r)!['val/loss']);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
