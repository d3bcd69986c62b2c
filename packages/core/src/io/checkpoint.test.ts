import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testConfig, testPlugins, WIDE_CONFIG } from '../__fixtures__/plugins.js';
import { resolveConfig } from '../config.js';
import { CheckpointError } from '../errors.js';
import { Model } from '../model.js';
import { Registry } from '../registry.js';
import { Rng } from '../rng.js';
import { tf } from '../tf.js';
import { type Batch, type TrainConfig, type TrainData, Trainer, type TrainerSnapshot } from '../train.js';
import { checkpointFolderName, latestCheckpoint, listCheckpoints, loadCheckpoint, writeCheckpoint } from './checkpoint.js';
import { encodeSafetensors, readSafetensors, writeSafetensors } from './safetensors.js';

const registry = new Registry(testPlugins);
// Dropout on, so the resume test also covers the dropout generator.
const model = resolveConfig({ ...testConfig, dropout: { residual: 0.1, embedding: 0.1 } }, registry);

const train: TrainConfig = {
  steps: 8,
  batch_size: 2,
  seq_len: 8,
  grad_accum_steps: 2,
  lr: 1e-2,
  min_lr: 1e-3,
  warmup_steps: 2,
  schedule: 'cosine',
  weight_decay: 0.1,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  grad_clip: 1,
  eval_interval: 4,
  eval_batches: 1,
  log_interval: 1,
  seed: 5,
};

let folder: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = await mkdtemp(join(tmpdir(), 'archzoo-checkpoint-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Seeded batches of a learnable stream (target = input + 1 mod V) whose position can be saved. */
function statefulData(seed: number): TrainData {
  let rng = new Rng(seed);
  const batch = (source: Rng): Batch => {
    const inputs = new Int32Array(train.batch_size * train.seq_len).map(() => source.nextInt(17));
    return { inputs, targets: inputs.map((token) => (token + 1) % 17), batchSize: train.batch_size, seqLen: train.seq_len };
  };
  return {
    nextTrainBatch: () => batch(rng),
    validationBatches: function* (maxBatches: number) {
      const source = new Rng(99);
      for (let i = 0; i < maxBatches; i++) yield batch(source);
    },
    state: () => ({ rng: rng.state() }),
    restore: (state) => {
      rng = new Rng((state as { rng: number[] }).rng);
    },
  };
}

function newTrainer(): Trainer {
  return new Trainer(new Model(model, registry), train, statefulData(11));
}

function expectSnapshotsEqual(actual: TrainerSnapshot, expected: TrainerSnapshot): void {
  expect(actual.step).toBe(expected.step);
  expect(actual.optimizerStep).toBe(expected.optimizerStep);
  expect(actual.losses).toEqual(expected.losses);
  expect(actual.dropoutRng.map((word) => word >>> 0)).toEqual(expected.dropoutRng.map((word) => word >>> 0));
  expect(actual.data).toEqual(expected.data);
  for (const group of ['params', 'm', 'v'] as const) {
    expect([...actual[group].keys()]).toEqual([...expected[group].keys()]);
    for (const [name, tensor] of expected[group]) {
      expect(actual[group].get(name)!.shape).toEqual(tensor.shape);
      expect(actual[group].get(name)!.data).toEqual(tensor.data);
    }
  }
}

describe('checkpoint round trip', () => {
  it('stores the trainer snapshot bit for bit', async () => {
    const trainer = newTrainer();
    trainer.trainStep();
    trainer.trainStep();
    const snapshot = trainer.snapshot();
    trainer.dispose();

    const dir = await writeCheckpoint(join(folder, 'round-trip'), snapshot, { model, train });
    expect(dir).toBe(join(folder, 'round-trip', 'step-000002'));
    expect((await readdir(dir)).sort()).toEqual(['model.safetensors', 'optimizer.safetensors', 'state.json']);

    const loaded = await loadCheckpoint(dir, registry);
    expectSnapshotsEqual(loaded.snapshot, snapshot);
    expect(loaded.model).toEqual(model);
    expect(loaded.train).toEqual(train);

    const optimizer = await readSafetensors(join(dir, 'optimizer.safetensors'));
    expect([...optimizer.tensors.keys()]).toContain('m.embed.weight');
    expect([...optimizer.tensors.keys()]).toContain('v.layers.1.ffn.fc_out.weight');
    expect(optimizer.metadata.get('step')).toBe('2');
  });

  it('leaves tensor counts unchanged', async () => {
    const trainer = newTrainer();
    trainer.trainStep();
    const snapshot = trainer.snapshot();
    const before = tf.memory().numTensors;
    trainer.restore(snapshot);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });
});

describe('resume', () => {
  it('matches an uninterrupted run bitwise on cpu', async () => {
    const reference = newTrainer();
    const referenceValLosses: number[] = [];
    await reference.run({ onRecord: (record) => record['val/loss'] !== undefined && referenceValLosses.push(record['val/loss']) });
    const referenceState = reference.snapshot();
    reference.dispose();

    for (const stopAt of [1, 3, 4]) {
      const root = join(folder, `resume-${stopAt}`);
      const first = newTrainer();
      await first.run({ shouldStop: () => first.step >= stopAt });
      expect(first.step).toBe(stopAt);
      await writeCheckpoint(root, first.snapshot(), { model, train });
      first.dispose();

      const loaded = await loadCheckpoint((await latestCheckpoint(root))!, registry);
      const second = new Trainer(new Model(loaded.model, registry), loaded.train, statefulData(11));
      second.restore(loaded.snapshot);
      const valLosses: number[] = [];
      const summary = await second.run({ onRecord: (record) => record['val/loss'] !== undefined && valLosses.push(record['val/loss']) });
      expect(summary.losses).toEqual(referenceState.losses);
      expectSnapshotsEqual(second.snapshot(), referenceState);
      // Evaluations after the resume point (steps 4 and 8) match the reference's.
      expect(valLosses).toEqual(referenceValLosses.slice(referenceValLosses.length - valLosses.length));
      second.dispose();
    }
  });
});

describe('checkpoint retention', () => {
  it('keeps the newest checkpoints', async () => {
    const root = join(folder, 'retention');
    const trainer = newTrainer();
    const snapshot = trainer.snapshot();
    trainer.dispose();
    for (const step of [0, 5, 10, 15, 20]) await writeCheckpoint(root, { ...snapshot, step, losses: new Array(step).fill(1) }, { model, train }, { keep: 3 });
    expect(await readdir(root)).toEqual(['step-000010', 'step-000015', 'step-000020']);
    expect((await listCheckpoints(root)).map((entry) => entry.step)).toEqual([10, 15, 20]);
    expect(await latestCheckpoint(root)).toBe(join(root, 'step-000020'));
  });

  it('rewrites a checkpoint of the same step', async () => {
    const root = join(folder, 'same-step');
    const trainer = newTrainer();
    const snapshot = trainer.snapshot();
    trainer.dispose();
    await writeCheckpoint(root, { ...snapshot, optimizerStep: 1 }, { model, train });
    await writeCheckpoint(root, { ...snapshot, optimizerStep: 2 }, { model, train });
    expect(await readdir(root)).toEqual(['step-000000']);
    expect((await loadCheckpoint(join(root, 'step-000000'), registry)).snapshot.optimizerStep).toBe(2);
  });

  it('removes temporary folders of killed writers', async () => {
    const root = join(folder, 'stale');
    const trainer = newTrainer();
    const snapshot = trainer.snapshot();
    trainer.dispose();
    await writeCheckpoint(root, snapshot, { model, train });
    await writeFile(join(root, '.step-000001.123.abcd.tmp'), 'partial');
    await writeCheckpoint(root, { ...snapshot, step: 1, losses: [2] }, { model, train });
    expect(await readdir(root)).toEqual(['step-000000', 'step-000001']);
  });

  it('sorts steps past six digits', () => {
    expect(checkpointFolderName(120)).toBe('step-000120');
    expect(checkpointFolderName(1234567)).toBe('step-1234567');
  });
});

describe('loadCheckpoint errors', () => {
  let dir: string;
  beforeAll(async () => {
    const trainer = newTrainer();
    trainer.trainStep();
    dir = await writeCheckpoint(join(folder, 'errors'), trainer.snapshot(), { model, train });
    trainer.dispose();
  });

  /** Copies the valid checkpoint, lets `edit` damage the copy, and returns the load error message. */
  async function loadError(edit: (copy: string) => Promise<void>): Promise<string> {
    const copy = await mkdtemp(join(folder, 'damaged-'));
    for (const name of await readdir(dir)) await writeFile(join(copy, name), await readFile(join(dir, name)));
    await edit(copy);
    const error = await loadCheckpoint(copy, registry).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CheckpointError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }

  async function editModel(copy: string, change: (tensors: Map<string, { shape: number[]; data: Float32Array }>) => void): Promise<void> {
    const { tensors } = await readSafetensors(join(copy, 'model.safetensors'));
    const editable = new Map([...tensors].map(([name, tensor]) => [name, { shape: tensor.shape, data: tensor.data }]));
    change(editable);
    await writeSafetensors(join(copy, 'model.safetensors'), editable);
  }

  it('names a missing tensor', async () => {
    const message = await loadError((copy) => editModel(copy, (tensors) => tensors.delete('final_norm.weight')));
    expect(message).toMatch(/model\.safetensors: missing tensor final_norm\.weight; /);
  });

  it('names a non-finite value', async () => {
    const message = await loadError((copy) =>
      editModel(copy, (tensors) => {
        tensors.get('final_norm.weight')!.data[3] = Number.NEGATIVE_INFINITY;
      }),
    );
    expect(message).toMatch(/model\.safetensors: tensor final_norm\.weight contains -Infinity at index 3; the file is corrupt or the run diverged, so delete this checkpoint/);
  });

  it('names an unexpected tensor', async () => {
    const message = await loadError((copy) => editModel(copy, (tensors) => tensors.set('extra.bias', { shape: [2], data: new Float32Array(2) })));
    expect(message).toMatch(/model\.safetensors: unexpected tensor extra\.bias, which the model config does not build; /);
  });

  it('names a shape mismatch with both shapes', async () => {
    const message = await loadError((copy) =>
      editModel(copy, (tensors) => tensors.set('embed.weight', { shape: [8, 17], data: tensors.get('embed.weight')!.data })),
    );
    expect(message).toMatch(/tensor embed\.weight has shape \[8,17\] but the model config needs \[17,8\]/);
  });

  it('names a missing optimizer moment', async () => {
    const message = await loadError(async (copy) => {
      const { tensors } = await readSafetensors(join(copy, 'optimizer.safetensors'));
      tensors.delete('v.embed.weight');
      await writeSafetensors(join(copy, 'optimizer.safetensors'), tensors);
    });
    expect(message).toMatch(/optimizer\.safetensors: missing tensor v\.embed\.weight/);
  });

  it('rejects another format version', async () => {
    const message = await loadError(async (copy) => {
      const state = JSON.parse(await readFile(join(copy, 'state.json'), 'utf8'));
      await writeFile(join(copy, 'state.json'), JSON.stringify({ ...state, format_version: 99 }));
    });
    expect(message).toMatch(/state\.json: format_version is 99 but this archzoo reads version 1/);
  });

  it('rejects losses that do not match the step', async () => {
    const message = await loadError(async (copy) => {
      const state = JSON.parse(await readFile(join(copy, 'state.json'), 'utf8'));
      await writeFile(join(copy, 'state.json'), JSON.stringify({ ...state, losses: [] }));
    });
    expect(message).toMatch(/state\.json: losses must be a list of 1 numbers \(one per step\), got \[\]/);
  });

  it('names a truncated weights file', async () => {
    const message = await loadError(async (copy) => {
      const bytes = await readFile(join(copy, 'model.safetensors'));
      await writeFile(join(copy, 'model.safetensors'), bytes.subarray(0, 20));
    });
    expect(message).toMatch(/model\.safetensors: file is truncated/);
  });

  it('names a missing state file', async () => {
    const message = await loadError((copy) => rm(join(copy, 'state.json')));
    expect(message).toMatch(/: incomplete checkpoint, missing state\.json; delete this checkpoint/);
  });

  it('rejects a snapshot of another model in restore', () => {
    const trainer = newTrainer();
    const snapshot = trainer.snapshot();
    snapshot.m.set('embed.weight', { shape: [8, 17], data: new Float32Array(136) });
    expect(() => trainer.restore(snapshot)).toThrow(/snapshot AdamW m embed\.weight has shape \[8,17\] \(136 values\) but the model needs \[17,8\]/);
    trainer.dispose();
  });

  it('rejects tensors with mismatched data in encode', () => {
    expect(() => encodeSafetensors(new Map([['w', { shape: [3], data: new Float32Array(2) }]]))).toThrow(CheckpointError);
  });
});

describe('checkpoint crash safety', () => {
  const writer = fileURLToPath(new URL('../__fixtures__/checkpoint-writer.ts', import.meta.url));
  const tsx = createRequire(import.meta.url).resolve('tsx', { paths: [fileURLToPath(new URL('../../../../apps/cli', import.meta.url))] });

  /** Starts the writer, SIGKILLs it `delayMs` after its first `wrote` line, and returns the steps it reported. */
  function writeThenKill(root: string, firstStep: number, delayMs: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', tsx, writer, root, String(firstStep)], { stdio: ['ignore', 'pipe', 'pipe'] });
      const written: number[] = [];
      let stderr = '';
      let timer: NodeJS.Timeout | undefined;
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        for (const match of text.matchAll(/wrote (\d+)/g)) written.push(Number(match[1]));
        if (written.length > 0 && timer === undefined) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      });
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      child.on('error', reject);
      child.on('exit', (_code, signal) => {
        if (signal === 'SIGKILL') resolve(written);
        else reject(new Error(`checkpoint writer exited without being killed: ${stderr.split('\n')[0]}`));
      });
    });
  }

  it('keeps the last complete checkpoint loadable after SIGKILL', async () => {
    const root = join(folder, 'killed');
    const wideRegistry = new Registry(testPlugins);
    const rng = new Rng(7);
    let nextStep = 1;
    for (let kill = 0; kill < 4; kill++) {
      // Delays of 0-120 ms land at random points of a write (each takes tens of milliseconds).
      const written = await writeThenKill(root, nextStep, rng.nextInt(120));
      expect(written.length).toBeGreaterThan(0);

      const latest = (await latestCheckpoint(root))!;
      const loaded = await loadCheckpoint(latest, wideRegistry);
      const step = loaded.snapshot.step;
      // The newest folder is the last reported write, or one more whose rename landed before the kill.
      expect(step === written.at(-1) || step === written.at(-1)! + 1).toBe(true);
      expect(loaded.model.dims.d_model).toBe(WIDE_CONFIG.d_model);
      for (const group of [loaded.snapshot.params, loaded.snapshot.m, loaded.snapshot.v]) {
        for (const tensor of group.values()) expect(tensor.data.every((value) => value === step)).toBe(true);
      }
      for (const { dir } of await listCheckpoints(root)) await loadCheckpoint(dir, wideRegistry);
      nextStep = step + 1;
    }
    expect(existsSync(root)).toBe(true);
  }, 120_000);
});
