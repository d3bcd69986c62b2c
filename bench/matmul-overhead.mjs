/**
 * The time a `tf.matMul` on the cpu-native backend spends outside the GEMM itself. The script
 * times [n, n] x [n, n] float32 products three ways in one process, in alternating rounds:
 *   - addon, reused output: the addon's GEMM writing into one preallocated output buffer;
 *   - addon, new output: the same GEMM writing into a new unzeroed buffer per product, as the
 *     BatchMatMul kernel allocates;
 *   - tf.matMul: the full TensorFlow.js call and `dispose()`, its output buffer reused by the pool;
 *   - tf.matMul + dataSync: the same with `dataSync()` before `dispose()`, which hands the values
 *     out, so each product needs a new buffer.
 *
 * Run from the repository root after `pnpm build`:
 *   node bench/matmul-overhead.mjs [--sizes 1024,2048] [--rounds 5]
 */
import { join } from 'node:path';

import { REPO_ROOT, loadArchzoo, timeMatmul } from './archzoo.mjs';
import { formatTable, machineInfo, median, parseFlags, sig3 } from './stats.mjs';

const options = parseFlags(process.argv.slice(2), { sizes: '1024,2048', rounds: 5 }, 'node bench/matmul-overhead.mjs [--sizes LIST] [--rounds N]');
const sizes = options.sizes.split(',').map(Number);
for (const n of sizes) if (!Number.isInteger(n) || n < 1) throw new Error(`--sizes must list positive integers, got "${options.sizes}"`);

const az = await loadArchzoo();
const backend = await az.core.selectBackend('cpu-native');
const native = await import(join(REPO_ROOT, 'packages/kernels-native/dist/index.js'));
const { addon } = native.loadNativeAddon();
const single = Int32Array.of(0);

function randomMatrix(n) {
  const values = new Float32Array(n * n);
  for (let i = 0; i < values.length; i++) values[i] = Math.random() * 2 - 1;
  return values;
}

/** Mean seconds per product over `repeats` products, each into the buffer `output()` returns. */
function timeAddon(a, b, n, repeats, output) {
  addon.batchMatMul(a, b, output(), n, n, n, false, false, single, single);
  const started = performance.now();
  for (let i = 0; i < repeats; i++) addon.batchMatMul(a, b, output(), n, n, n, false, false, single, single);
  return (performance.now() - started) / 1000 / repeats;
}

const rows = [];
for (const n of sizes) {
  // 5e10 FLOPs per timed run, as in bench/side-by-side.mjs.
  const repeats = Math.max(1, Math.round(5e10 / (2 * n ** 3)));
  const a = randomMatrix(n);
  const b = randomMatrix(n);
  const reused = new Float32Array(n * n);
  const seconds = { reused: [], fresh: [], tf: [], tfRead: [] };
  for (let round = 0; round < options.rounds; round++) {
    seconds.reused.push(timeAddon(a, b, n, repeats, () => reused));
    seconds.fresh.push(timeAddon(a, b, n, repeats, () => new Float32Array(Buffer.allocUnsafeSlow(n * n * 4).buffer, 0, n * n)));
    seconds.tf.push(timeMatmul(az.core.tf, n, repeats));
    seconds.tfRead.push(timeMatmul(az.core.tf, n, repeats, { read: true }));
  }
  const rate = (list) => (2 * n ** 3) / median(list) / 1e9;
  rows.push([String(n), String(repeats), sig3(rate(seconds.reused)), sig3(rate(seconds.fresh)), sig3(rate(seconds.tf)), sig3(rate(seconds.tfRead))]);
}

const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, load average ${sig3(machine.loadavg1)}; backend ${backend.name}, GEMM threads ${backend.detail.threads}`);
console.log(`GFLOP/s, medians of ${options.rounds} rounds\n`);
console.log(formatTable(['n', 'products per run', 'addon, reused output', 'addon, new output', 'tf.matMul', 'tf.matMul + dataSync'], rows));
