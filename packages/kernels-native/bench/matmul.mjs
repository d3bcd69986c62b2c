// Square float32 GEMM throughput (GFLOP/s = 2 n^3 / seconds) of OpenBLAS (when linked), the
// builtin fallback GEMM and, for n <= 1024, the stock tfjs cpu BatchMatMul, with 1 and 2 threads.
// Usage: node bench/matmul.mjs [sizes, default 256,1024,2048]
import * as tf from '@tensorflow/tfjs';

import { kernels } from './load-dist.mjs';

const sizes = (process.argv[2] ?? '256,1024,2048').split(',').map(Number);
const status = kernels.loadNativeAddon();
if (!status.ok) {
  console.error(status.reason);
  process.exit(1);
}
const { addon } = status;

function timeIt(run, minSeconds = 1) {
  run();
  let reps = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    run();
    reps++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < minSeconds);
  return elapsed / reps;
}

const rows = [];
for (const n of sizes) {
  const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const out = new Float32Array(n * n);
  const zero = new Int32Array(1);
  const flops = 2 * n ** 3;
  for (const threads of [1, 2]) {
    addon.setThreads(threads, threads);
    const blas = timeIt(() => addon.batchMatMul(a, b, out, n, n, n, false, false, zero, zero));
    const builtin = timeIt(() => addon.gemmBuiltin(a, b, out, n, n, n, false, false));
    rows.push({ n, threads, library: status.blas, gflops: flops / blas / 1e9 });
    if (status.blas !== 'builtin') rows.push({ n, threads, library: 'builtin', gflops: flops / builtin / 1e9 });
  }
  if (n <= 1024) {
    await tf.setBackend('cpu');
    const at = tf.tensor2d(a, [n, n]);
    const bt = tf.tensor2d(b, [n, n]);
    const js = timeIt(() => tf.matMul(at, bt).dispose(), 2);
    rows.push({ n, threads: 1, library: 'tfjs cpu (JS)', gflops: flops / js / 1e9 });
    at.dispose();
    bt.dispose();
  }
}
console.log('| n | threads | library | GFLOP/s |\n|---|---|---|---|');
for (const row of rows) console.log(`| ${row.n} | ${row.threads} | ${row.library} | ${row.gflops.toFixed(2)} |`);
