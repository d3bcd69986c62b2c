// Trains a LLaMA recipe scale on the webgpu backend for a fixed number of steps and prints tokens/s,
// MFU against the adapter's fp32 peak, and whether the first steps' losses match a CPU backend run
// with the same seed. It runs inside the bundle that `scripts/gpu-check.sh pack` builds, whose
// node_modules contains the packed archzoo packages, and `gpu-check.sh run` starts it.
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import { costReport, Model, Registry, resolveConfig, Rng, selectBackend, Trainer } from '@archzoo/core';
import { llama } from '@archzoo/recipe-llama';

const USAGE = `usage: bench.mjs [options]
  --scale NAME          LLaMA recipe scale to train: small (default) or tiny
  --steps N             timed optimizer steps (default 20); stops early when --budget-s runs out
  --micro-batch B       sequences per micro-batch (default 4); the scale's batch is reached by gradient accumulation
  --seq-len T           tokens per sequence in the timed steps (default: the scale's, 512 for small)
  --check-steps K       steps in the loss check against a CPU backend (default 3)
  --check-batch B       sequences per step in the loss check (default 2)
  --check-seq T         tokens per sequence in the loss check (default 128)
  --peak-tflops X       fp32 peak of the GPU in TFLOPS, overriding the table
  --allow-cpu-adapter   accept a CPU Vulkan driver such as SwiftShader (plumbing checks only)
  --budget-s S          seconds for the timed steps (default 240)
  --reference-timeout-s S  seconds for the CPU loss check (default 150)`;

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: 'small' },
    steps: { type: 'string', default: '20' },
    'micro-batch': { type: 'string', default: '4' },
    'seq-len': { type: 'string' },
    'check-steps': { type: 'string', default: '3' },
    'check-batch': { type: 'string', default: '2' },
    'check-seq': { type: 'string', default: '128' },
    'peak-tflops': { type: 'string' },
    'allow-cpu-adapter': { type: 'boolean', default: false },
    'budget-s': { type: 'string', default: '240' },
    'reference-timeout-s': { type: 'string', default: '150' },
    // Internal: run only the loss check on this backend and print its losses as JSON.
    'reference-backend': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function positiveNumber(name) {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`gpu-check: error: --${name} must be a positive number, got "${args[name]}"\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

// fp32 (non-tensor-core) peaks, matched against the adapter's vendor, architecture, device and
// description. Sources: NVIDIA's H100 and A100 datasheets as tabulated at
// glennklockwood.com/garden/processors/h100 (FP32 66.9, H200 the same chip) and /a100 (FP32 19.5).
// NOTE: other GPUs (and the H100 PCIe and NVL cards) need --peak-tflops.
const PEAK_FP32_TFLOPS = [
  { pattern: /H100.*(PCIe|NVL)/i, tflops: undefined, label: 'H100 PCIe/NVL (not in the table)' },
  { pattern: /H200|H100/i, tflops: 66.9, label: 'H100 SXM5 / H200: 66.9 TFLOPS fp32 (NVIDIA H100 datasheet)' },
  { pattern: /A100/i, tflops: 19.5, label: 'A100: 19.5 TFLOPS fp32 (NVIDIA A100 datasheet)' },
];

const scale = llama.scales[args.scale];
if (!scale) {
  console.error(`gpu-check: error: --scale "${args.scale}" is not a LLaMA scale; valid scales: ${Object.keys(llama.scales).join(', ')}`);
  process.exit(2);
}
const registry = new Registry(llama.plugins);
const config = resolveConfig(scale.model, registry);
const vocab = config.dims.vocab_size;

/** Seeded uniform random tokens: throughput and the loss check do not depend on the text. */
function randomData(seed, batchSize, seqLen) {
  const rng = new Rng(seed);
  return {
    nextTrainBatch: () => {
      const inputs = new Int32Array(batchSize * seqLen).map(() => rng.nextInt(vocab));
      const targets = new Int32Array(batchSize * seqLen).map(() => rng.nextInt(vocab));
      return { inputs, targets, batchSize, seqLen };
    },
    validationBatches: () => [],
  };
}

/** Trains the loss-check steps (same seed and batches everywhere) on the active backend. */
async function checkLosses() {
  const steps = positiveNumber('check-steps');
  const batch = positiveNumber('check-batch');
  const seq = positiveNumber('check-seq');
  const train = { ...scale.train, steps, batch_size: batch, seq_len: seq, grad_accum_steps: 1, warmup_steps: 1 };
  const trainer = new Trainer(new Model(config, registry), train, randomData(train.seed + 1, batch, seq));
  const losses = [];
  for (let i = 0; i < steps; i++) losses.push((await trainer.trainStepAsync()).loss);
  trainer.dispose();
  return { losses, batch, seq, seed: train.seed };
}

if (args['reference-backend']) {
  const backend = await selectBackend(args['reference-backend'], process.env);
  console.log(JSON.stringify({ backend: backend.name, ...(await checkLosses()) }));
  process.exit(0);
}

// --- webgpu: adapter, loss check, timed steps ---
const backend = await selectBackend('webgpu', process.env);
const detail = backend.detail;
const adapterName = [detail.adapterVendor, detail.adapterArchitecture, detail.adapterDevice].filter(Boolean).join(' ');
console.log(`adapter: ${adapterName} (${detail.adapterDescription})${detail.cpuAdapter ? ', a CPU implementation' : ''}`);
if (detail.cpuAdapter && !args['allow-cpu-adapter']) {
  console.error('gpu-check: error: the adapter is a CPU implementation, not a GPU; check the NVIDIA Vulkan ICD, or pass --allow-cpu-adapter for a plumbing check');
  process.exit(1);
}

const check = await checkLosses();

const micro = positiveNumber('micro-batch');
if (scale.train.batch_size % micro !== 0) {
  console.error(`gpu-check: error: --micro-batch (${micro}) must divide the scale's batch size (${scale.train.batch_size})`);
  process.exit(2);
}
const steps = positiveNumber('steps');
const budgetMs = positiveNumber('budget-s') * 1000;
const seqLen = args['seq-len'] ? positiveNumber('seq-len') : scale.train.seq_len;
const train = { ...scale.train, steps, batch_size: micro, seq_len: seqLen, grad_accum_steps: scale.train.batch_size / micro };
const tokensPerStep = scale.train.batch_size * seqLen;
const cost = costReport(config, registry);
console.log(
  `model: llama ${args.scale}, ${(cost.params / 1e6).toFixed(1)}M parameters, ${(cost.trainingFlopsPerToken / 1e9).toFixed(2)} GFLOP/token to train ` +
    `(3x forward at context ${config.dims.context_length}); steps of ${scale.train.batch_size} x ${seqLen} tokens, accumulated over ${train.grad_accum_steps} micro-batch(es) of ${micro}`,
);

const trainer = new Trainer(new Model(config, registry), train, randomData(train.seed, micro, seqLen));
const stepMs = [];
const started = performance.now();
for (let i = 0; i < steps; i++) {
  const stepStart = performance.now();
  const { loss } = await trainer.trainStepAsync();
  stepMs.push(performance.now() - stepStart);
  console.log(`step ${i + 1}: loss ${loss.toFixed(4)}, ${(stepMs.at(-1) / 1000).toFixed(2)} s`);
  if (performance.now() - started > budgetMs && i >= 1) {
    console.log(`stopping after ${i + 1} steps: --budget-s ${args['budget-s']} is used up`);
    break;
  }
}
trainer.dispose();

// The first step compiles the shaders, so it is reported but left out of the rate.
const timed = stepMs.slice(1);
const tokensPerSecond = timed.length ? (tokensPerStep * timed.length) / (timed.reduce((a, b) => a + b, 0) / 1000) : Number.NaN;
console.log(`throughput: ${Math.round(tokensPerSecond)} tokens/s over steps 2-${stepMs.length} (step 1, with shader compilation: ${(stepMs[0] / 1000).toFixed(1)} s)`);

const adapterText = `${adapterName} ${detail.adapterDescription}`;
const peakEntry = args['peak-tflops'] ? { tflops: positiveNumber('peak-tflops'), label: `${args['peak-tflops']} TFLOPS fp32 (--peak-tflops)` } : PEAK_FP32_TFLOPS.find((entry) => entry.pattern.test(adapterText));
let mfu = Number.NaN;
if (peakEntry?.tflops) {
  mfu = (tokensPerSecond * cost.trainingFlopsPerToken) / (peakEntry.tflops * 1e12);
  console.log(`MFU: ${(mfu * 100).toFixed(2)}% of ${peakEntry.label}`);
} else {
  console.log(`MFU: unknown, no fp32 peak for "${adapterText}"${peakEntry ? ` (${peakEntry.label})` : ''}; pass --peak-tflops`);
}

// --- the same loss check on a CPU backend, in a child process so the backends never mix ---
// Float32 on both sides, summed in different orders. 1e-3 on losses near ln(V) = 10.8 allows
// for that rounding and catches any wrong kernel, which moves the loss by far more.
const LOSS_TOLERANCE = 1e-3;
async function reference() {
  const timeout = positiveNumber('reference-timeout-s') * 1000;
  const forwarded = process.argv.slice(2).filter((arg) => !arg.startsWith('--reference-backend'));
  for (const name of ['cpu-native', 'wasm', 'cpu']) {
    const result = await new Promise((resolve) => {
      execFile(process.execPath, [process.argv[1], ...forwarded, `--reference-backend=${name}`], { timeout, env: process.env }, (error, stdout) => {
        if (error) resolve({ error: error.killed ? `timed out after ${timeout / 1000} s` : String(error.message).split('\n')[0] });
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
      });
    });
    if (!result.error || /timed out/.test(result.error)) return { name, ...result };
  }
  return { name: 'cpu', error: 'no CPU backend started' };
}
const cpu = await reference();
let lossMatch = false;
if (cpu.error) {
  console.log(`loss check: no CPU reference (${cpu.name}: ${cpu.error}); webgpu losses ${check.losses.map((l) => l.toFixed(6)).join(', ')}`);
} else {
  const diff = Math.max(...check.losses.map((loss, i) => Math.abs(loss - cpu.losses[i])));
  lossMatch = diff <= LOSS_TOLERANCE;
  console.log(
    `loss check (${check.losses.length} steps of ${check.batch} x ${check.seq} tokens, seed ${check.seed}): webgpu ${check.losses.map((l) => l.toFixed(6)).join(', ')}; ` +
      `${cpu.backend} ${cpu.losses.map((l) => l.toFixed(6)).join(', ')}; max difference ${diff.toExponential(2)} -> ${lossMatch ? 'match' : 'MISMATCH'} (tolerance ${LOSS_TOLERANCE})`,
  );
}
console.log(
  JSON.stringify({
    adapter: { name: adapterName, description: detail.adapterDescription, cpuAdapter: detail.cpuAdapter },
    scale: args.scale,
    steps: stepMs.length,
    tokensPerStep,
    tokensPerSecond,
    trainingFlopsPerToken: cost.trainingFlopsPerToken,
    peakTflops: peakEntry?.tflops ?? null,
    mfu: Number.isFinite(mfu) ? mfu : null,
    lossCheck: { webgpu: check.losses, cpu: cpu.losses ?? null, cpuBackend: cpu.backend ?? null, match: lossMatch },
  }),
);
process.exit(lossMatch ? 0 : 1);
