// Legend: B batch, T sequence, D model width, V vocabulary.
/**
 * archzoo against PyTorch on the same CPU, case by case: tiny LLaMA and tiny GPT-3 training steps,
 * square float32 matrix products, and greedy decoding with a KV cache. Within a case the two run
 * alternately (archzoo, then PyTorch at each thread count, in reverse order every other round),
 * so load from other processes hits both sides alike. Each side's first run is a warm-up that is
 * reported separately. The table shows medians over the remaining rounds and the ratio of
 * archzoo's throughput to PyTorch's, at PyTorch's better thread count. Before each timed run the
 * script idles for `--settle-ms`: OpenBLAS worker threads keep spinning after a product (about
 * 2^28 cycles, 0.1 s at 2.6 GHz, by default), and without the pause they would take cores from
 * whichever side runs next.
 *
 * Cases run in the order `--cases` lists them, matrix products first by default. Later in the
 * same two processes, after the training cases, archzoo's 2048 product ran about 10% slower and
 * PyTorch's up to 10% faster than in fresh processes (`--cases train-llama,matmul --sizes 2048`
 * reproduces it). The cause is not known, so the default measures both sides fresh.
 *
 * Run from the repository root after `pnpm build`:
 *   node bench/side-by-side.mjs [--rounds 5] [--cases matmul,train-llama,train-gpt3,decode]
 *     [--threads 1,2] [--sizes 256,1024,2048] [--tokens 256] [--data random|brown] [--settle-ms 300] [--json] [--out FILE]
 * --data brown trains both sides on the first 16 x 128 tokens of the Brown corpus instead of random ones.
 * The archzoo side uses the cpu-native backend with its default threads
 * (ARCHZOO_KERNELS_GEMM_THREADS, ARCHZOO_KERNELS_THREADS change them).
 */
import { writeFileSync } from 'node:fs';

import { ensurePyTorch, startPyTorchWorker } from './pytorch.mjs';
import {
  benchRegistry,
  brownBatch,
  decodeBench,
  gpt3TinyConfig,
  llamaTinyConfig,
  loadArchzoo,
  loadedBlasLibraries,
  pytorchDims,
  timeMatmul,
  trainBench,
} from './archzoo.mjs';
import { formatTable, machineInfo, median, parseFlags, sig3 } from './stats.mjs';

const USAGE =
  'node bench/side-by-side.mjs [--rounds N] [--cases LIST] [--threads LIST] [--sizes LIST] [--tokens N] [--data random|brown] [--settle-ms MS] [--json] [--out FILE]';
const ALL_CASES = ['matmul', 'train-llama', 'train-gpt3', 'decode'];
const options = parseFlags(
  process.argv.slice(2),
  { rounds: 5, cases: ALL_CASES.join(','), threads: '1,2', sizes: '256,1024,2048', tokens: 256, batch: 16, seq: 128, data: 'random', 'settle-ms': 300, json: false, out: '' },
  USAGE,
);
const cases = options.cases.split(',');
for (const name of cases) if (!ALL_CASES.includes(name)) throw new Error(`unknown case "${name}"; valid cases: ${ALL_CASES.join(', ')}`);
const threadCounts = options.threads.split(',').map(Number);
if (!['random', 'brown'].includes(options.data)) throw new Error(`--data must be random or brown, got "${options.data}"`);
const log = (text) => process.stderr.write(`${text}\n`);

const az = await loadArchzoo();
const { tf } = az.core;
const backend = await az.core.selectBackend('cpu-native');
const registry = benchRegistry(az);
const fixedBatch = options.data === 'brown' ? await brownBatch(az, options.batch, options.seq) : undefined;
ensurePyTorch(log);
const torch = startPyTorchWorker();
const torchInfo = await torch.request({ op: 'info' });
const machineAtStart = machineInfo();

/**
 * Runs one case: a warm-up of each side, then `rounds` alternating timed runs. `work` is the
 * amount of work in one run (tokens or FLOPs), so throughput is work / seconds.
 */
/** Idles so that the BLAS threads of the previous run stop spinning before the next run starts. */
function settle() {
  return new Promise((resolve) => setTimeout(resolve, options['settle-ms']));
}

async function compare({ name, unit, scale, work, runArchzoo, runTorch }) {
  const archzooFirst = runArchzoo();
  const torchFirst = {};
  for (const threads of threadCounts) {
    await torch.request({ op: 'threads', threads });
    torchFirst[threads] = await runTorch();
  }
  const archzooSeconds = [];
  const torchSeconds = Object.fromEntries(threadCounts.map((threads) => [threads, []]));
  for (let round = 0; round < options.rounds; round++) {
    const order = ['archzoo', ...threadCounts];
    if (round % 2 === 1) order.reverse();
    for (const side of order) {
      if (side === 'archzoo') {
        await settle();
        archzooSeconds.push(runArchzoo());
        continue;
      }
      await torch.request({ op: 'threads', threads: side });
      await settle();
      torchSeconds[side].push(await runTorch());
    }
    log(`  ${name} round ${round + 1}/${options.rounds}: archzoo ${sig3(archzooSeconds.at(-1))} s, ${threadCounts.map((t) => `torch x${t} ${sig3(torchSeconds[t].at(-1))} s`).join(', ')}`);
  }
  const archzooMedian = median(archzooSeconds);
  const torchMedians = Object.fromEntries(threadCounts.map((threads) => [threads, median(torchSeconds[threads])]));
  const bestThreads = threadCounts.reduce((best, threads) => (torchMedians[threads] < torchMedians[best] ? threads : best));
  return {
    case: name,
    unit,
    archzoo: { medianSeconds: archzooMedian, throughput: work / archzooMedian / scale, firstSeconds: archzooFirst, seconds: archzooSeconds },
    pytorch: Object.fromEntries(
      threadCounts.map((threads) => [
        threads,
        { medianSeconds: torchMedians[threads], throughput: work / torchMedians[threads] / scale, firstSeconds: torchFirst[threads], seconds: torchSeconds[threads] },
      ]),
    ),
    bestThreads,
    ratio: torchMedians[bestThreads] / archzooMedian,
  };
}

/** Checks that both sides built the same number of parameters, so they compare the same model. */
function checkParams(label, archzooParams, torchParams) {
  if (archzooParams !== torchParams) throw new Error(`${label}: archzoo has ${archzooParams} parameters but the PyTorch model has ${torchParams}; the two architectures differ`);
}

async function trainCase(name, arch, modelConfig) {
  const bench = trainBench(az, registry, modelConfig, options.batch, options.seq, fixedBatch);
  const tokens = fixedBatch ? { inputs: Array.from(fixedBatch.inputs), targets: Array.from(fixedBatch.targets) } : {};
  const reply = await torch.request({ op: 'build_train', name, arch, dims: pytorchDims(bench.resolved), batch_size: options.batch, seq_len: options.seq, ...tokens });
  checkParams(name, bench.params, reply.params);
  let archzooLoss;
  let pytorchLoss;
  const result = await compare({
    name,
    unit: 'tokens/s',
    scale: 1,
    work: options.batch * options.seq,
    runArchzoo: () => {
      const { seconds, loss } = bench.step();
      archzooLoss ??= loss;
      return seconds;
    },
    runTorch: async () => {
      const { seconds, losses } = await torch.request({ op: 'train', name, steps: 1 });
      pytorchLoss ??= losses[0];
      return seconds[0];
    },
  });
  bench.dispose();
  return { ...result, params: bench.params, data: options.data, firstLoss: archzooLoss, pytorchFirstLoss: pytorchLoss };
}

async function matmulCase(n) {
  // Enough products per run (5e10 FLOPs, 0.17 s at 300 GFLOP/s) that a run measures sustained
  // throughput, not one product's start-up: n = 1024 gives 23 products and n = 2048 three.
  const repeats = Math.max(1, Math.round(5e10 / (2 * n ** 3)));
  return compare({
    name: `matmul ${n}`,
    unit: 'GFLOP/s',
    scale: 1e9,
    work: 2 * n ** 3,
    runArchzoo: () => timeMatmul(tf, n, repeats),
    runTorch: async () => (await torch.request({ op: 'matmul', n, repeats })).seconds,
  });
}

async function decodeCase() {
  // RoPE has no position table, so a longer context only lets positions run past 128.
  const config = { ...llamaTinyConfig(az), context_length: Math.max(options.tokens, llamaTinyConfig(az).context_length) };
  const bench = decodeBench(az, registry, config);
  const reply = await torch.request({ op: 'build_decoder', name: 'decode', arch: 'llama', dims: pytorchDims(bench.resolved) });
  checkParams('decode', az.core.costReport(bench.resolved, registry).params, reply.params);
  const result = await compare({
    name: `decode ${options.tokens} (KV cache)`,
    unit: 'tokens/s',
    scale: 1,
    work: options.tokens,
    runArchzoo: () => bench.decode(options.tokens).seconds,
    runTorch: async () => (await torch.request({ op: 'decode', name: 'decode', tokens: options.tokens })).seconds,
  });
  bench.dispose();
  return result;
}

const results = [];
try {
  for (const name of cases) {
    log(`case ${name}`);
    if (name === 'train-llama') results.push(await trainCase('train llama-tiny', 'llama', llamaTinyConfig(az)));
    if (name === 'train-gpt3') {
      const { config, source } = gpt3TinyConfig(az);
      const windows = config.layer_pattern.map((entry) => entry.attention?.window ?? 'dense').join('/');
      log(`  gpt3-tiny config: ${source}, layers ${windows}`);
      results.push({ ...(await trainCase('train gpt3-tiny', 'gpt3', config)), configSource: source, layerPattern: windows });
    }
    if (name === 'matmul') for (const n of options.sizes.split(',').map(Number)) results.push(await matmulCase(n));
    if (name === 'decode') results.push(await decodeCase());
  }
} finally {
  torch.close();
}

const report = {
  date: new Date().toISOString(),
  command: `node bench/side-by-side.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  machine: { ...machineAtStart, loadavg1AtEnd: machineInfo().loadavg1 },
  archzoo: { backend: backend.name, blas: backend.detail.blas, gemmThreads: backend.detail.threads, blasLibraries: loadedBlasLibraries() },
  pytorch: {
    version: torchInfo.torch,
    python: torchInfo.python,
    blasLibrary: torchInfo.blas_library,
    blasConfig: torchInfo.blas_config,
    defaultThreads: torchInfo.torch_threads,
    defaultBlasThreads: torchInfo.blas_threads,
    config: torchInfo.config,
  },
  rounds: options.rounds,
  data: options.data,
  results,
};

if (options.out) writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
if (options.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const m = report.machine;
  const lines = [
    `machine: ${m.cpu}, ${m.cores} cores, load average ${m.loadavg1.toFixed(1)} at start and ${m.loadavg1AtEnd.toFixed(1)} at end, Node ${m.node}`,
    `archzoo: backend ${report.archzoo.backend}, BLAS ${report.archzoo.blas} (${report.archzoo.blasLibraries.join(', ') || 'no BLAS library mapped'}), GEMM threads ${report.archzoo.gemmThreads}`,
    `PyTorch: ${report.pytorch.version} on Python ${report.pytorch.python}, ${report.pytorch.blasConfig ?? 'no OpenBLAS found'} (${report.pytorch.blasLibrary ?? '-'}), default threads ${report.pytorch.defaultThreads} (BLAS ${report.pytorch.defaultBlasThreads})`,
    `training batch: ${options.batch} x ${options.seq} ${options.data === 'brown' ? 'tokens of the Brown corpus (GPT-2 BPE)' : 'random tokens'}`,
    `medians of ${options.rounds} alternating runs after one warm-up run each; ratio = archzoo throughput / PyTorch throughput at its better thread count`,
    '',
  ];
  const header = ['case', 'unit', 'archzoo', ...threadCounts.map((t) => `PyTorch x${t}`), 'ratio', 'archzoo first run'];
  const rows = results.map((r) => [
    r.case,
    r.unit,
    sig3(r.archzoo.throughput),
    ...threadCounts.map((t) => `${sig3(r.pytorch[t].throughput)}${t === r.bestThreads ? ' *' : ''}`),
    r.ratio.toFixed(2),
    `${sig3(r.archzoo.firstSeconds)} s`,
  ]);
  lines.push(formatTable(header, rows), '', '* PyTorch thread count used for the ratio');
  for (const r of results) if (r.configSource) lines.push(`${r.case}: config from ${r.configSource}, attention per layer ${r.layerPattern}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
