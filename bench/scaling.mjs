// Legend: B batch, T sequence, D model width, V vocabulary.
/**
 * How the tiny LLaMA's training step time grows with sequence length and with model width, on
 * archzoo's cpu-native backend and, alternating with it, in PyTorch.
 *
 * Sequence sweep: T = 128, 256, 512, 1024, 2048 with B = tokens / T, so every step trains on the same
 * number of tokens and only attention (quadratic in T) changes its cost per token.
 * Width sweep: D = 64, 128, 256, 512 at B 16 x T 128, with head width 32 and LLaMA's d_ff rule,
 * so every matrix product grows with D (the output projection linearly, the blocks quadratically).
 *
 * Run from the repository root after `pnpm build`:
 *   node bench/scaling.mjs [--steps 3] [--tokens 2048] [--seqs 128,...] [--widths 64,...]
 *     [--threads 1] [--no-pytorch] [--json] [--out FILE]
 */
import { writeFileSync } from 'node:fs';

import { benchRegistry, llamaTinyConfig, loadArchzoo, pytorchDims, trainBench } from './archzoo.mjs';
import { ensurePyTorch, startPyTorchWorker } from './pytorch.mjs';
import { formatTable, machineInfo, median, parseFlags, sig3 } from './stats.mjs';

const USAGE = 'node bench/scaling.mjs [--steps N] [--tokens N] [--seqs LIST] [--widths LIST] [--threads N] [--no-pytorch] [--json] [--out FILE]';
const options = parseFlags(
  process.argv.slice(2),
  { steps: 3, tokens: 2048, seqs: '128,256,512,1024,2048', widths: '64,128,256,512', threads: 1, 'no-pytorch': false, json: false, out: '' },
  USAGE,
);
const log = (text) => process.stderr.write(`${text}\n`);

const az = await loadArchzoo();
await az.core.selectBackend('cpu-native');
const registry = benchRegistry(az);
const base = llamaTinyConfig(az);
const usePyTorch = !options['no-pytorch'];
if (usePyTorch) ensurePyTorch(log);
const torch = usePyTorch ? startPyTorchWorker() : null;
if (torch) await torch.request({ op: 'threads', threads: options.threads });
const machineAtStart = machineInfo();

/** Times `steps` training steps after one warm-up step on each side, alternating the two. */
async function measure(label, modelConfig, batchSize, seqLen) {
  const bench = trainBench(az, registry, modelConfig, batchSize, seqLen);
  const cost = az.core.costReport(bench.resolved, registry);
  const name = `scaling ${label}`;
  if (torch) await torch.request({ op: 'build_train', name, arch: 'llama', dims: pytorchDims(bench.resolved), batch_size: batchSize, seq_len: seqLen });
  const archzooFirst = bench.step().seconds;
  if (torch) await torch.request({ op: 'train', name, steps: 1 });
  const archzooSeconds = [];
  const torchSeconds = [];
  for (let i = 0; i < options.steps; i++) {
    archzooSeconds.push(bench.step().seconds);
    if (torch) torchSeconds.push((await torch.request({ op: 'train', name, steps: 1 })).seconds[0]);
  }
  bench.dispose();
  const row = {
    label,
    batchSize,
    seqLen,
    dModel: bench.resolved.dims.d_model,
    params: cost.params,
    trainingFlopsPerToken: cost.trainingFlopsPerToken,
    archzooFirstSeconds: archzooFirst,
    archzooStepSeconds: median(archzooSeconds),
    pytorchStepSeconds: torch ? median(torchSeconds) : null,
  };
  log(`  ${label}: archzoo ${sig3(row.archzooStepSeconds)} s${torch ? `, PyTorch ${sig3(row.pytorchStepSeconds)} s` : ''}`);
  return row;
}

const sequence = [];
const width = [];
try {
  log('sequence length sweep');
  for (const seqLen of options.seqs.split(',').map(Number)) {
    const batchSize = Math.max(1, Math.round(options.tokens / seqLen));
    sequence.push(await measure(`T ${seqLen}`, { ...base, context_length: seqLen }, batchSize, seqLen));
  }
  log('width sweep');
  const { llamaFfnWidth } = az.llama;
  for (const dModel of options.widths.split(',').map(Number)) {
    const config = { ...base, d_model: dModel, n_heads: Math.max(1, dModel / 32), d_ff: llamaFfnWidth(dModel, 32) };
    width.push(await measure(`D ${dModel}`, config, 16, base.context_length));
  }
} finally {
  torch?.close();
}

const report = {
  date: new Date().toISOString(),
  command: `node bench/scaling.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  machine: { ...machineAtStart, loadavg1AtEnd: machineInfo().loadavg1 },
  pytorchThreads: torch ? options.threads : null,
  steps: options.steps,
  sequence,
  width,
};
if (options.out) writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
if (options.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const header = ['config', 'B x T', 'params', 'train MFLOP/token', 'archzoo step', 'archzoo GFLOP/s', 'PyTorch step', 'ratio'];
  const rows = (list) =>
    list.map((r) => {
      const tokens = r.batchSize * r.seqLen;
      return [
        r.label,
        `${r.batchSize} x ${r.seqLen}`,
        r.params.toLocaleString('en-US'),
        sig3(r.trainingFlopsPerToken / 1e6),
        `${sig3(r.archzooStepSeconds)} s`,
        sig3((r.trainingFlopsPerToken * tokens) / r.archzooStepSeconds / 1e9),
        r.pytorchStepSeconds === null ? '-' : `${sig3(r.pytorchStepSeconds)} s`,
        r.pytorchStepSeconds === null ? '-' : (r.pytorchStepSeconds / r.archzooStepSeconds).toFixed(2),
      ];
    });
  const m = report.machine;
  process.stdout.write(
    [
      `machine: ${m.cpu}, ${m.cores} cores, load average ${m.loadavg1.toFixed(1)} at start and ${m.loadavg1AtEnd.toFixed(1)} at end`,
      `median of ${options.steps} steps after one warm-up step; ratio = PyTorch step time / archzoo step time (above 1: archzoo is faster)`,
      '',
      formatTable(header, rows(sequence)),
      '',
      formatTable(header, rows(width)),
      '',
    ].join('\n'),
  );
}
