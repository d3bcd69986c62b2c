// Times every cpu kernel of another program, for profiling whole archzoo commands:
//   node --import ./packages/kernels-native/bench/kernel-timer.mjs apps/cli/bin/archzoo.js train llama --steps 4 --backend cpu-native
// Every 500 ms it wraps each registered cpu kernel that is not wrapped yet (so kernels that the
// program registers later, such as the native ones, are timed too), and at exit it prints
// calls and milliseconds per kernel name to stderr. A native kernel that hands a call to the
// stock kernel it replaced counts that call under the same name once, because the stock
// function it holds is the unwrapped one.
import * as tf from '@tensorflow/tfjs';

const TIMED = Symbol('kernel-timer');
const stats = new Map();

function wrapRegisteredKernels() {
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (config.kernelFunc[TIMED]) continue;
    const inner = config.kernelFunc;
    const name = config.kernelName;
    const timed = (params) => {
      const start = performance.now();
      const outputs = inner(params);
      const entry = stats.get(name) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls += 1;
      stats.set(name, entry);
      return outputs;
    };
    // Keep markers such as the one registerNativeKernels uses to recognise its kernels.
    for (const key of Object.getOwnPropertySymbols(inner)) timed[key] = inner[key];
    timed[TIMED] = true;
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel({ ...config, kernelFunc: timed });
  }
}

setInterval(wrapRegisteredKernels, 500).unref();
process.on('exit', () => {
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
  const lines = rows.map(([name, entry]) => `| ${name} | ${entry.calls} | ${entry.ms.toFixed(0)} |`);
  process.stderr.write(`| kernel | calls | ms |\n|---|---|---|\n${lines.join('\n')}\n`);
});
