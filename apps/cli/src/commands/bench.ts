// Legend: B batch, T sequence, D model width, V vocabulary.
/**
 * `archzoo bench`: training and decoding speed of the tiny LLaMA on each backend that starts. The
 * first training step (warm-up: kernel set-up, allocation) is reported apart from the median of
 * the steps after it. MFU divides the achieved FLOP rate by the rate of a square matrix product
 * measured on the same backend in the same run.
 */
import {
  BackendError,
  costReport,
  initParams,
  Model,
  parseBackendName,
  Registry,
  resolveConfig,
  Rng,
  selectBackend,
  tf,
  Trainer,
  type ConcreteBackend,
  type LayerKVCache,
  type Recipe,
  type ResolvedConfig,
  type TrainData,
} from '@archzoo/core';

import { parseIntegerFlag, stringFlag } from '../args.js';
import { DEFAULT_SCALE, findRecipe, findTrainScale } from '../catalog.js';
import { HELP_FLAG, type Command } from '../command.js';
import { BACKEND_FLAG } from '../train-flags.js';

const BENCH_RECIPE = 'llama';
const DEFAULT_STEPS = 5;
/** Side of the square matrix product whose FLOP rate is the peak for MFU. */
const PEAK_MATMUL_SIZE = 1024;
const PEAK_MATMUL_RUNS = 3;

/**
 * Backends in measuring order. The cpu-native backend registers its kernels into TensorFlow.js's
 * `cpu` backend for the rest of the process, so plain `cpu` is measured before it.
 */
const MEASURE_ORDER: readonly ConcreteBackend[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu', 'cpu-native'];

/** Backends measured only when named with --backend, and why. */
const ONLY_ON_REQUEST: Partial<Record<ConcreteBackend, string>> = {
  cpu: 'its JavaScript kernels are slow (3 tiny-scale training steps did not finish in 2 minutes on a busy 2-core Xeon); pass --backend cpu to measure it',
};

/** One backend's measurements. Times are seconds, rates per second. */
export interface BackendBench {
  backend: ConcreteBackend;
  tfBackend: string;
  batchSize: number;
  seqLen: number;
  /** The first training step, which includes kernel set-up and first allocations. */
  firstStepSeconds: number;
  /** Median over the `steps` training steps after the first. */
  stepSecondsMedian: number;
  tokensPerSecond: number;
  /** costReport's trainingFlopsPerToken x tokens/s. */
  achievedGflops: number;
  /** Best of a few [n, n] x [n, n] float32 products on this backend. */
  peakGflops: number;
  peakMatmulSize: number;
  /** achievedGflops / peakGflops. */
  mfu: number;
  decodeTokens: number;
  /** Greedy decoding from a one-token prompt with a KV cache, after one warm-up decode. */
  decodeTokensPerSecond: number;
}

export interface BenchReport {
  /** When the measurements finished, ISO 8601 UTC. */
  date: string;
  recipe: string;
  scale: string;
  params: number;
  trainingFlopsPerToken: number;
  steps: number;
  results: BackendBench[];
  /** Backends that did not start, with the reason. */
  skipped: { backend: ConcreteBackend; reason: string }[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Builds training data that returns one fixed batch of seeded random tokens, so no data loading is timed. */
function randomTokens(batchSize: number, seqLen: number, vocabSize: number): TrainData {
  const rng = new Rng(1);
  const inputs = new Int32Array(batchSize * seqLen).map(() => rng.nextInt(vocabSize));
  const targets = new Int32Array(batchSize * seqLen).map(() => rng.nextInt(vocabSize));
  return { nextTrainBatch: () => ({ inputs, targets, batchSize, seqLen }), validationBatches: () => [] };
}

/** Returns the seconds of one [n, n] x [n, n] product, read back so the work is done. */
function timeProduct(a: tf.Tensor, b: tf.Tensor): number {
  // Not inside tf.tidy: tidy walks a returned typed array element by element, which took longer
  // than the product itself at n = 1024.
  const started = performance.now();
  const product = tf.matMul(a, b);
  product.dataSync();
  const seconds = (performance.now() - started) / 1000;
  product.dispose();
  return seconds;
}

/** Returns the best GFLOP/s of `runs` [n, n] x [n, n] products after one warm-up product. */
function peakMatmulGflops(n: number, runs: number): number {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  timeProduct(a, b);
  let best = 0;
  for (let i = 0; i < runs; i++) best = Math.max(best, (2 * n ** 3) / timeProduct(a, b) / 1e9);
  tf.dispose([a, b]);
  return best;
}

/** Returns the seconds to decode `count` tokens greedily through `Model.forward` with one KV cache per layer. */
function timeDecode(model: Model, params: ReadonlyMap<string, tf.Tensor>, config: ResolvedConfig, count: number): number {
  const caches: LayerKVCache[] = Array.from({ length: config.dims.n_layers }, () => ({ start: 0 }));
  let token = 0;
  const started = performance.now();
  for (let position = 0; position < count; position++) {
    token = tf.tidy(() => {
      const { hiddenBTD } = model.forward(params, tf.tensor2d([[token]], [1, 1], 'int32'), { start: position, caches });
      const logitsNV = model.logits(params, tf.reshape(hiddenBTD, [1, config.dims.d_model]));
      return tf.argMax(logitsNV, -1).dataSync()[0];
    });
  }
  const seconds = (performance.now() - started) / 1000;
  for (const cache of caches) tf.dispose([cache.keys, cache.values].filter((t): t is tf.Tensor => t !== undefined));
  return seconds;
}

/** Measures training, decoding and the matrix-product peak on the backend that is active now. */
function measure(recipe: Recipe, scaleName: string, steps: number, backend: ConcreteBackend): BackendBench {
  const scale = findTrainScale(recipe, scaleName);
  const registry = new Registry(recipe.plugins);
  const config = resolveConfig(scale.model, registry);
  const model = new Model(config, registry);
  const { batch_size: batchSize, seq_len: seqLen } = scale.train;
  // The schedule must cover every timed step, so the run is at least steps + 1 long.
  const train = { ...scale.train, grad_accum_steps: 1, steps: Math.max(scale.train.steps, steps + 1) };
  const trainer = new Trainer(model, train, randomTokens(batchSize, seqLen, config.dims.vocab_size));

  let started = performance.now();
  trainer.trainStep();
  const firstStepSeconds = (performance.now() - started) / 1000;
  const stepSeconds: number[] = [];
  for (let i = 0; i < steps; i++) {
    started = performance.now();
    trainer.trainStep();
    stepSeconds.push((performance.now() - started) / 1000);
  }
  trainer.dispose();

  const decodeTokens = config.dims.context_length;
  const params = initParams(model.specs, config, scale.train.seed);
  timeDecode(model, params, config, Math.min(8, decodeTokens));
  const decodeSeconds = timeDecode(model, params, config, decodeTokens);
  tf.dispose([...params.values()]);

  const stepSecondsMedian = median(stepSeconds);
  const tokensPerSecond = (batchSize * seqLen) / stepSecondsMedian;
  const achievedGflops = (costReport(config, registry).trainingFlopsPerToken * tokensPerSecond) / 1e9;
  const peakGflops = peakMatmulGflops(PEAK_MATMUL_SIZE, PEAK_MATMUL_RUNS);
  return {
    backend,
    tfBackend: tf.getBackend(),
    batchSize,
    seqLen,
    firstStepSeconds,
    stepSecondsMedian,
    tokensPerSecond,
    achievedGflops,
    peakGflops,
    peakMatmulSize: PEAK_MATMUL_SIZE,
    mfu: achievedGflops / peakGflops,
    decodeTokens,
    decodeTokensPerSecond: decodeTokens / decodeSeconds,
  };
}

function formatTable(report: BenchReport): string {
  const header = ['backend', 'first step', 'step (median)', 'tokens/s', 'GFLOP/s', `peak (matmul ${PEAK_MATMUL_SIZE})`, 'MFU', 'decode tokens/s'];
  const rows = report.results.map((r) => [
    r.backend,
    `${r.firstStepSeconds.toFixed(2)} s`,
    `${r.stepSecondsMedian.toFixed(2)} s`,
    r.tokensPerSecond.toFixed(0),
    r.achievedGflops.toFixed(2),
    `${r.peakGflops.toFixed(1)} GFLOP/s`,
    `${(r.mfu * 100).toFixed(1)}%`,
    r.decodeTokensPerSecond.toFixed(1),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  const lines = [
    `${report.recipe} ${report.scale}: ${report.params.toLocaleString('en-US')} parameters, ${(report.trainingFlopsPerToken / 1e6).toFixed(1)} MFLOP per training token, median of ${report.steps} steps after the first`,
    '',
    line(header),
    ...rows.map(line),
  ];
  for (const { backend, reason } of report.skipped) lines.push(`skipped ${backend}: ${reason}`);
  return `${lines.join('\n')}\n`;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'measure training and decoding speed of the tiny LLaMA on each backend',
  synopsis: 'bench [--backend B] [--steps N] [--json]',
  details:
    `Trains the ${BENCH_RECIPE} ${DEFAULT_SCALE} scale on one fixed batch of random tokens and decodes its context length greedily with a KV cache.\n` +
    'Without --backend it measures every backend that starts, except plain cpu, whose JavaScript kernels are slow. The first step is reported apart from the steady-state median.\n' +
    `MFU is the training FLOP rate divided by the best rate of a ${PEAK_MATMUL_SIZE} x ${PEAK_MATMUL_SIZE} matrix product on the same backend.`,
  flags: {
    ...BACKEND_FLAG,
    steps: { type: 'string', valueName: 'N', description: `timed training steps after the first, an integer >= 1 (default ${DEFAULT_STEPS})` },
    json: { type: 'boolean', description: 'print JSON (times in seconds, rates per second)' },
    ...HELP_FLAG,
  },
  async run({ values }, io) {
    const recipe = findRecipe(io.recipes, BENCH_RECIPE);
    const stepsFlag = stringFlag(values, 'steps');
    const steps = stepsFlag === undefined ? DEFAULT_STEPS : parseIntegerFlag('steps', stepsFlag, 1);
    const backendFlag = stringFlag(values, 'backend');
    const requested = backendFlag === undefined ? undefined : parseBackendName(backendFlag);
    const candidates = requested === undefined || requested === 'auto' ? MEASURE_ORDER : [requested];

    // PROD silences TensorFlow.js's console advice to install tfjs-node on the cpu backend.
    tf.env().set('PROD', true);
    const registry = new Registry(recipe.plugins);
    const cost = costReport(resolveConfig(findTrainScale(recipe, DEFAULT_SCALE).model, registry), registry);
    const report: BenchReport = { date: '', recipe: recipe.name, scale: DEFAULT_SCALE, params: cost.params, trainingFlopsPerToken: cost.trainingFlopsPerToken, steps, results: [], skipped: [] };
    for (const name of candidates) {
      const onRequestOnly = requested === undefined || requested === 'auto' ? ONLY_ON_REQUEST[name] : undefined;
      if (onRequestOnly) {
        report.skipped.push({ backend: name, reason: onRequestOnly });
        continue;
      }
      try {
        await selectBackend(name, io.env);
      } catch (error) {
        // A backend named with --backend must start. Without it, a missing one is listed and skipped.
        if (requested !== undefined && requested !== 'auto') throw error;
        report.skipped.push({ backend: name, reason: error instanceof BackendError ? error.message : String(error) });
        continue;
      }
      if (!values.json) io.stderr.write(`archzoo: measuring ${name}\n`);
      report.results.push(measure(recipe, DEFAULT_SCALE, steps, name));
    }
    report.date = new Date().toISOString();
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report));
    return 0;
  },
};
