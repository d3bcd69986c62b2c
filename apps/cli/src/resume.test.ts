import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from './main.js';
import { captureIo } from './test-support/capture-io.js';
import { microLlama } from './test-support/micro-recipe.js';

const root = mkdtempSync(join(tmpdir(), 'archzoo-cli-resume-'));
const dataDir = join(root, 'corpus');
const env = { ARCHZOO_CACHE_DIR: join(root, 'cache') };

const SENTENCES = [
  'Checkpoints store the weights, the optimizer moments and the position of the batch stream.',
  'A resumed run draws the same batches and applies the same updates as an uninterrupted one.',
  'Dropout masks come from a seeded generator whose state is saved with every checkpoint.',
];

beforeAll(() => {
  mkdirSync(dataDir);
  for (let doc = 0; doc < 12; doc++) {
    const text = Array.from({ length: 6 }, (_, i) => SENTENCES[(doc + i) % SENTENCES.length]).join(' ');
    writeFileSync(join(dataDir, `doc-${String(doc).padStart(2, '0')}.txt`), `${text}\n`);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// wasm, because the plain cpu backend took about 25 s per micro step on a loaded 2-core machine
// (the vocabulary has GPT-2's 50257 ids). A resumed run repeats the same kernels, so its losses
// match bit for bit.
const TRAIN_ARGS = ['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', dataDir, '--steps', '6', '--checkpoint-every', '2'];

/**
 * Runs the CLI in-process. With `interruptAtStep`, the interrupt fires while that step's progress
 * line is written, which is before the trainer checks for a stop, so training stops after exactly that step.
 */
async function runCli(argv: string[], interruptAtStep?: number, signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
  const io = captureIo({ cwd: root, recipes: [microLlama], env });
  const write = io.stdout.write.bind(io.stdout);
  io.stdout.write = (text: string) => {
    if (interruptAtStep !== undefined && text.startsWith(`step ${interruptAtStep}/`)) io.interrupt(signal);
    return write(text);
  };
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

/** `train/loss` of every step in a run's metrics.jsonl, in file order, with its step. */
function trainLosses(runDir: string): Array<[number, number]> {
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trimEnd().split('\n');
  return lines.map((line) => JSON.parse(line)).filter((record) => 'train/loss' in record).map((record) => [record.step, record['train/loss']]);
}

describe('train --resume', () => {
  let reference: Array<[number, number]>;
  beforeAll(async () => {
    const out = join(root, 'reference');
    const { code, stderr } = await runCli([...TRAIN_ARGS, '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    reference = trainLosses(out);
  });

  it('checkpoints on schedule and after the last step', () => {
    expect(reference.map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readdirSync(join(root, 'reference', 'checkpoints'))).toEqual(['step-000002', 'step-000004', 'step-000006']);
  });

  it('continues an interrupted run with identical losses', async () => {
    const out = join(root, 'interrupted');
    const stopped = await runCli([...TRAIN_ARGS, '--out', out], 3);
    expect(stopped.code).toBe(130);
    const checkpoint = join(out, 'checkpoints', 'step-000003');
    expect(stopped.stderr).toBe(`archzoo: interrupted at step 3; checkpoint written to ${checkpoint}; resume with: archzoo train llama --resume ${out}\n`);
    expect(readdirSync(join(out, 'checkpoints'))).toEqual(['step-000002', 'step-000003']);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).steps).toBe(3);

    const resumed = await runCli(['train', 'llama', '--resume', out, '--backend', 'wasm']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('resuming at step 3 training llama (micro) for 6 steps on wasm');
    expect(trainLosses(out)).toEqual(reference);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.steps).toBe(6);
    expect(summary.interrupted).toBe(false);
    expect(summary.finalTrainLoss).toBe(reference[5]![1]);
    expect(readdirSync(join(out, 'checkpoints'))).toEqual(['step-000003', 'step-000004', 'step-000006']);
  });

  it('stops during the final evaluation and says the validation loss is missing', async () => {
    const out = join(root, 'final-eval');
    const stopped = await runCli([...TRAIN_ARGS, '--out', out], 6, 'SIGTERM');
    expect(stopped.stderr).toBe('archzoo: interrupted during the evaluation of step 6; training is complete, but its final validation loss was not measured\n');
    expect(stopped.code).toBe(143);
    expect(trainLosses(out)).toEqual(reference);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ steps: 6, interrupted: true, finalValLoss: null });
    expect(readdirSync(join(out, 'checkpoints'))).toContain('step-000006');
  });

  it('drops metrics logged after the checkpoint', async () => {
    const out = join(root, 'killed');
    expect((await runCli([...TRAIN_ARGS, '--out', out], 3)).code).toBe(130);
    // Records of steps 4 and 5 and a torn line, as a run killed after its checkpoint leaves them.
    const metricsPath = join(out, 'metrics.jsonl');
    writeFileSync(metricsPath, `${readFileSync(metricsPath, 'utf8')}{"step":4,"train/loss":1}\n{"step":5,"train/loss":1}\n{"step":6,"tr`);

    expect((await runCli(['train', 'llama', '--resume', out, '--backend', 'wasm'])).code).toBe(0);
    expect(trainLosses(out)).toEqual(reference);
  });

  it('exits 143 on SIGTERM after writing a checkpoint', async () => {
    const out = join(root, 'terminated');
    const { code, stderr } = await runCli([...TRAIN_ARGS, '--out', out], 1, 'SIGTERM');
    expect(code).toBe(143);
    expect(stderr).toContain(`archzoo: interrupted at step 1; checkpoint written to ${join(out, 'checkpoints', 'step-000001')}`);
    expect(existsSync(join(out, 'checkpoints', 'step-000001', 'state.json'))).toBe(true);
  });
});

describe('train --resume errors', () => {
  async function expectOneLineError(argv: string[], message: string) {
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  }

  it('rejects flags that set the config', async () => {
    await expectOneLineError(
      ['train', 'llama', '--resume', join(root, 'reference'), '--steps', '9'],
      'archzoo: error: --steps conflicts with --resume, which continues the run with its own config; drop --steps or start a new run',
    );
  });

  it('rejects a folder that is not a run', async () => {
    const folder = join(root, 'not-a-run');
    mkdirSync(folder);
    await expectOneLineError(['train', 'llama', '--resume', folder], `--resume ${folder}: cannot read config.json (ENOENT)`);
  });

  it('rejects a run without checkpoints', async () => {
    const out = join(root, 'no-checkpoints');
    mkdirSync(out);
    writeFileSync(join(out, 'config.json'), readFileSync(join(root, 'reference', 'config.json')));
    await expectOneLineError(['train', 'llama', '--resume', out], `--resume ${out} has no checkpoint in checkpoints/`);
  });

  it('rejects a finished run', async () => {
    await expectOneLineError(['train', 'llama', '--resume', join(root, 'reference')], `--resume ${join(root, 'reference')} already finished all 6 steps`);
  });

  it('rejects changed data', async () => {
    const out = join(root, 'changed-data');
    expect((await runCli([...TRAIN_ARGS, '--out', out], 2)).code).toBe(130);
    writeFileSync(join(dataDir, 'doc-99.txt'), `${SENTENCES.join(' ')}\n`);
    try {
      await expectOneLineError(['train', 'llama', '--resume', out, '--backend', 'wasm'], `the data of ${out} (${dataDir}) changed since the run started`);
    } finally {
      rmSync(join(dataDir, 'doc-99.txt'));
    }
  });
});

describe('train --resume with a damaged checkpoint', () => {
  /** Copies the finished reference run, whose checkpoints are step-000002, step-000004 and step-000006. */
  function copyReference(name: string): string {
    const out = join(root, name);
    cpSync(join(root, 'reference'), out, { recursive: true });
    return out;
  }

  async function expectResumeError(out: string, message: string) {
    const { code, stderr } = await runCli(['train', 'llama', '--resume', out, '--backend', 'wasm']);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  }

  type State = { model: Record<string, any>; train: Record<string, unknown> };
  it.each([
    ['window 0 on every layer', (state: State) => state.model.layers.forEach((layer: { attention: { window: number } }) => (layer.attention.window = 0)), 'layers[0].attention.window'],
    ['an unknown model key', (state: State) => (state.model.foo = 1), 'config.foo is not a model config field'],
    ['a negative d_model', (state: State) => (state.model.dims.d_model = -5), 'config.d_model must be >= 1, got -5'],
    ['a negative lr', (state: State) => (state.train.lr = -1), 'invalid train config: train.lr must be > 0, got -1'],
    ['steps as a string', (state: State) => (state.train.steps = '40'), 'invalid train config: train.steps must be a finite number, got "40"'],
    ['batch_size 0', (state: State) => (state.train.batch_size = 0), 'invalid train config: train.batch_size must be >= 1, got 0'],
  ])('rejects a state.json with %s', async (name, edit, message) => {
    const out = copyReference(`bad-state-${name.replaceAll(' ', '-')}`);
    const statePath = join(out, 'checkpoints', 'step-000006', 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as State;
    edit(state);
    writeFileSync(statePath, JSON.stringify(state));
    await expectResumeError(out, `archzoo: error: ${statePath}: `);
    await expectResumeError(out, message);
    await expectResumeError(out, `; correct the field, or delete this checkpoint to fall back to the older one, ${join(out, 'checkpoints', 'step-000004')}\n`);
  });

  it('names an empty checkpoint folder as incomplete', async () => {
    const out = copyReference('empty-checkpoint');
    const empty = join(out, 'checkpoints', 'step-999999');
    mkdirSync(empty);
    await expectResumeError(
      out,
      `archzoo: error: ${empty}: incomplete checkpoint, missing state.json, model.safetensors, optimizer.safetensors; delete this checkpoint to fall back to the older one, ${join(out, 'checkpoints', 'step-000006')}\n`,
    );
  });

  it('falls back from a truncated model.safetensors', async () => {
    const out = copyReference('truncated-model');
    const modelPath = join(out, 'checkpoints', 'step-000006', 'model.safetensors');
    writeFileSync(modelPath, readFileSync(modelPath).subarray(0, 100));
    await expectResumeError(out, `archzoo: error: ${modelPath}: file is truncated`);
    await expectResumeError(out, `; delete this checkpoint to fall back to the older one, ${join(out, 'checkpoints', 'step-000004')}\n`);
  });

  it('falls back from a missing optimizer.safetensors', async () => {
    const out = copyReference('missing-optimizer');
    const checkpoint = join(out, 'checkpoints', 'step-000006');
    rmSync(join(checkpoint, 'optimizer.safetensors'));
    await expectResumeError(
      out,
      `archzoo: error: ${checkpoint}: incomplete checkpoint, missing optimizer.safetensors; delete this checkpoint to fall back to the older one, ${join(out, 'checkpoints', 'step-000004')}\n`,
    );
  });

  it('rejects a Hugging Face model folder', async () => {
    const hfFolder = fileURLToPath(new URL('../../../packages/hf/src/__fixtures__/hf-models/llama', import.meta.url));
    await expectResumeError(
      hfFolder,
      `archzoo: error: --resume ${hfFolder} is not an archzoo run directory: its config.json has no run config (it is a Hugging Face model config); --resume expects a run directory written by \`archzoo train\``,
    );
  });
});

describe('train as a child process', () => {
  const launcher = fileURLToPath(new URL('./test-support/micro-cli-source.ts', import.meta.url));
  const cliDir = fileURLToPath(new URL('..', import.meta.url));

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('checkpoints on a real %s and exits %i', async (signal, exitCode) => {
    const out = join(root, `child-${signal}`);
    const args = ['train', 'llama', '--scale', 'micro', '--backend', 'wasm', '--data', dataDir, '--steps', '1000', '--checkpoint-every', '0', '--out', out];
    const child = spawn(process.execPath, ['--conditions=archzoo-source', '--import', 'tsx', launcher, ...args], {
      cwd: cliDir,
      env: { ...process.env, ...env, ARCHZOO_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      // The first progress line comes after step 1, while the process handles signals.
      if (!stdout.includes('step ') && `${stdout}${text}`.match(/^step\s+1\//m)) child.kill(signal);
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(stderr.split('\n')[0]).toMatch(/^archzoo: interrupted/);
    expect(code).toBe(exitCode);
    const match = /^archzoo: interrupted at step (\d+); checkpoint written to (\S+); resume with: archzoo train llama --resume (\S+)$/m.exec(stderr);
    expect(match).not.toBeNull();
    expect(match![2]).toBe(join(out, 'checkpoints', `step-${match![1]!.padStart(6, '0')}`));
    expect(match![3]).toBe(out);
    expect(existsSync(join(match![2]!, 'state.json'))).toBe(true);
  });
});
