// Legend: B batch, T sequence.
/**
 * Memory over a long training run. The script trains a recipe's tiny scale for 1,000 steps on
 * the cpu-native backend, on random tokens so that the data loader is not measured. Every
 * `--every` steps it runs a full GC and samples live tensors, tensor bytes and process memory. Prints the samples
 * and the growth, and exits 1 if the live tensors or tensor bytes changed at all, or if the
 * resident set grew by more than `--max-rss-mb` over the second half of the run, where pools
 * that fill once have filled.
 *
 * Run from the repository root after `pnpm build`:
 *   node bench/memory.mjs [--recipe llama|gemma2] [--steps 1000] [--every 50] [--batch 2] [--seq 128]
 *     [--backend cpu-native] [--max-rss-mb 32] [--json]
 */
import { join } from 'node:path';

import { REPO_ROOT, loadArchzoo, randomBatch } from './archzoo.mjs';
import { formatTable, machineInfo, parseFlags } from './stats.mjs';

const USAGE = 'node bench/memory.mjs [--recipe llama|gemma2] [--steps N] [--every N] [--batch B] [--seq T] [--backend NAME] [--max-rss-mb MB] [--json]';
const options = parseFlags(
  process.argv.slice(2),
  { recipe: 'llama', steps: 1000, every: 50, batch: 2, seq: 128, backend: 'cpu-native', 'max-rss-mb': 32, json: false },
  USAGE,
);
const RECIPES = { llama: 'recipes/llama/dist/index.js', gemma2: 'recipes/gemma2/dist/index.js' };
if (!(options.recipe in RECIPES)) throw new Error(`--recipe must be one of ${Object.keys(RECIPES).join(', ')}, got "${options.recipe}"`);
for (const name of ['steps', 'every', 'batch', 'seq']) {
  if (!Number.isInteger(options[name]) || options[name] < 1) throw new Error(`--${name} must be a positive integer, got ${options[name]}`);
}

const az = await loadArchzoo();
const { core } = az;
const { profileTrainingMemory } = await import(join(REPO_ROOT, 'packages/testkit/dist/memory.js'));
const recipe = Object.values(await import(join(REPO_ROOT, RECIPES[options.recipe]))).find((value) => value?.scales?.tiny);
const backend = await core.selectBackend(options.backend);

const registry = new core.Registry(recipe.plugins);
const resolved = core.resolveConfig(recipe.scales.tiny.model, registry);
const trainConfig = {
  ...recipe.scales.tiny.train,
  steps: options.steps,
  batch_size: options.batch,
  seq_len: options.seq,
  grad_accum_steps: 1,
  eval_interval: 100,
  eval_batches: 2,
  log_interval: 10,
};
const trainRng = new core.Rng(1);
const data = {
  nextTrainBatch: () => randomBatch(core, options.batch, options.seq, resolved.dims.vocab_size, trainRng.nextInt(1 << 30)),
  validationBatches: function* (max) {
    for (let i = 0; i < max; i++) yield randomBatch(core, options.batch, options.seq, resolved.dims.vocab_size, 1000 + i);
  },
};
const trainer = new core.Trainer(new core.Model(resolved, registry), trainConfig, data);
const started = performance.now();
const profile = await profileTrainingMemory(trainer, { every: options.every, warmup: options.every });
const seconds = (performance.now() - started) / 1000;
trainer.dispose();

const MB = 2 ** 20;
const { samples } = profile;
const middle = samples[Math.floor((samples.length - 1) / 2)];
const last = samples[samples.length - 1];
const secondHalfRssMb = (last.rss - middle.rss) / MB;
const failures = [];
if (profile.tensorGrowth !== 0) failures.push(`live tensors changed by ${profile.tensorGrowth}`);
if (profile.tensorByteGrowth !== 0) failures.push(`tensor bytes changed by ${profile.tensorByteGrowth}`);
if (secondHalfRssMb > options['max-rss-mb']) failures.push(`resident set grew ${secondHalfRssMb.toFixed(1)} MB from step ${middle.step} to ${last.step}`);

const report = {
  machine: machineInfo(),
  backend: backend.name,
  recipe: options.recipe,
  batch: [options.batch, options.seq],
  steps: options.steps,
  seconds,
  gcBeforeSamples: profile.collected,
  tensorGrowth: profile.tensorGrowth,
  tensorByteGrowth: profile.tensorByteGrowth,
  rssSlopeMbPer1000Steps: profile.rssSlopePer1000Steps / MB,
  heapSlopeMbPer1000Steps: profile.heapSlopePer1000Steps / MB,
  secondHalfRssMb,
  samples,
  failures,
};
if (options.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const rows = samples.map((s) => [
    String(s.step),
    String(s.numTensors),
    (s.tensorBytes / MB).toFixed(2),
    (s.rss / MB).toFixed(1),
    (s.heapUsed / MB).toFixed(1),
    (s.arrayBuffers / MB).toFixed(1),
  ]);
  console.log(formatTable(['step', 'tensors', 'tensor MB', 'RSS MB', 'heap MB', 'ArrayBuffer MB'], rows));
  console.log(
    `\n${options.recipe} tiny, batch ${options.batch} x ${options.seq}, ${options.steps} steps on ${backend.name} in ${seconds.toFixed(0)} s; ` +
      `tensors ${profile.tensorGrowth >= 0 ? '+' : ''}${profile.tensorGrowth}, tensor bytes ${profile.tensorByteGrowth >= 0 ? '+' : ''}${profile.tensorByteGrowth}, ` +
      `RSS slope ${report.rssSlopeMbPer1000Steps.toFixed(1)} MB per 1,000 steps, RSS ${secondHalfRssMb >= 0 ? '+' : ''}${secondHalfRssMb.toFixed(1)} MB over the second half, ` +
      `heap slope ${report.heapSlopeMbPer1000Steps.toFixed(1)} MB per 1,000 steps`,
  );
  console.log(failures.length ? `FAIL: ${failures.join('; ')}` : 'PASS: no growth');
}
process.exit(failures.length ? 1 : 0);
