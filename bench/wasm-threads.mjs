// Legend: B batch, T sequence, V vocabulary.
/**
 * The `wasm` backend single-threaded against multi-threaded, side by side: the tiny LLaMA's
 * training step (the llama recipe's tiny scale, V 50,257) on one fixed batch of random tokens.
 * Each side runs in blocks: select the backend, build the model from the same seed, one warm-up
 * step (reported apart), then `--steps` timed steps. The blocks alternate (single, threaded, then
 * threaded, single in the next round), so load from other processes hits both sides alike.
 *
 * Run from the repository root after `pnpm build`:
 *   node bench/wasm-threads.mjs [--rounds 2] [--steps 3] [--batch 2] [--seq 128] [--threads N] [--json] [--out FILE]
 * --threads sets the threaded side's ARCHZOO_WASM_THREADS (default: the backend's own default,
 * one thread per logical CPU, at most 8).
 */
import { writeFileSync } from 'node:fs';

import { benchRegistry, llamaTinyConfig, loadArchzoo, randomBatch, trainBench } from './archzoo.mjs';
import { formatTable, machineInfo, median, parseFlags, sig3 } from './stats.mjs';

const USAGE = 'node bench/wasm-threads.mjs [--rounds N] [--steps N] [--batch N] [--seq N] [--threads N] [--json] [--out FILE]';
const options = parseFlags(process.argv.slice(2), { rounds: 2, steps: 3, batch: 2, seq: 128, threads: 0, json: false, out: '' }, USAGE);
for (const name of ['rounds', 'steps', 'batch', 'seq']) {
  if (!Number.isInteger(options[name]) || options[name] < 1) throw new Error(`--${name} must be an integer >= 1, got ${options[name]}`);
}
const log = (text) => process.stderr.write(`${text}\n`);

const az = await loadArchzoo();
const registry = benchRegistry(az);
const modelConfig = llamaTinyConfig(az);
const batch = randomBatch(az.core, options.batch, options.seq, modelConfig.vocab_size);
const machineAtStart = machineInfo();

const SIDES = {
  single: { ARCHZOO_WASM_THREADS: '1' },
  threaded: options.threads ? { ARCHZOO_WASM_THREADS: String(options.threads) } : {},
};

/** Runs one block of one side and returns its backend detail, warm-up seconds, timed seconds and losses. */
async function runBlock(side) {
  const backend = await az.core.selectBackend('wasm', SIDES[side]);
  const bench = trainBench(az, registry, modelConfig, options.batch, options.seq, batch);
  const warmUp = bench.step();
  const seconds = [];
  const losses = [warmUp.loss];
  for (let i = 0; i < options.steps; i++) {
    const { seconds: stepSeconds, loss } = bench.step();
    seconds.push(stepSeconds);
    losses.push(loss);
  }
  bench.dispose();
  log(`  ${side} (${backend.detail.threads} thread${backend.detail.threads === 1 ? '' : 's'}): warm-up ${sig3(warmUp.seconds)} s, steps ${seconds.map(sig3).join(', ')} s`);
  return { detail: backend.detail, warmUpSeconds: warmUp.seconds, seconds, losses };
}

const results = { single: [], threaded: [] };
for (let round = 0; round < options.rounds; round++) {
  log(`round ${round + 1} of ${options.rounds}`);
  const order = round % 2 === 0 ? ['single', 'threaded'] : ['threaded', 'single'];
  for (const side of order) results[side].push(await runBlock(side));
}
await az.core.tf.setBackend('cpu');

const summary = (side) => {
  const blocks = results[side];
  const seconds = blocks.flatMap((block) => block.seconds);
  return {
    threads: blocks[0].detail.threads,
    build: blocks[0].detail.build,
    warmUpSeconds: blocks.map((block) => block.warmUpSeconds),
    stepSeconds: seconds,
    medianSeconds: median(seconds),
    losses: blocks[0].losses,
  };
};
const single = summary('single');
const threaded = summary('threaded');
const tokens = options.batch * options.seq;
const report = {
  date: new Date().toISOString(),
  command: `node bench/wasm-threads.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  machine: { ...machineAtStart, loadavg1AtEnd: machineInfo().loadavg1 },
  model: 'llama tiny',
  batchSize: options.batch,
  seqLen: options.seq,
  single,
  threaded,
  speedUp: single.medianSeconds / threaded.medianSeconds,
  // Every block starts from the same weights and batch, so the two sides' losses should match.
  lossesEqual: single.losses.every((loss, i) => loss === threaded.losses[i]),
};
if (options.out) writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
if (options.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const m = report.machine;
  const row = (name, side) => [
    name,
    String(side.threads),
    side.build,
    `${sig3(side.medianSeconds)} s`,
    `${sig3(Math.min(...side.stepSeconds))} s`,
    sig3(tokens / side.medianSeconds),
    side.warmUpSeconds.map((seconds) => `${sig3(seconds)} s`).join(', '),
  ];
  process.stdout.write(
    [
      `machine: ${m.cpu}, ${m.cores} logical CPUs, load average ${m.loadavg1.toFixed(1)} at start and ${m.loadavg1AtEnd.toFixed(1)} at end`,
      `tiny LLaMA training step, ${options.batch} x ${options.seq} tokens; median of ${single.stepSeconds.length} steps per side ` +
        `(${options.rounds} alternating blocks of ${options.steps} after a warm-up step each)`,
      '',
      formatTable(['side', 'threads', 'build', 'step (median)', 'step (min)', 'tokens/s', 'warm-up steps'], [row('single', single), row('threaded', threaded)]),
      '',
      `speed-up (single median / threaded median): ${report.speedUp.toFixed(2)}`,
      `losses of the first block equal on both sides: ${report.lossesEqual}`,
      '',
    ].join('\n'),
  );
}
