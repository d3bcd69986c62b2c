// Times every cpu kernel of another program, for profiling whole archzoo commands:
//   node --import ./packages/kernels-native/bench/kernel-timer.mjs apps/cli/bin/archzoo.js train llama --steps 4 --backend cpu-native
// It wraps each cpu kernel that is already registered. It also intercepts `set` on tfjs-core's
// global kernel registry (globalThis._tfGlobals 'kernelRegistry' in tfjs-core 4.22), so kernels
// registered later, such as the native ones, are wrapped too. At exit it prints calls and milliseconds per kernel
// name to stderr. A native kernel that hands a call to the stock kernel it replaced counts that
// call once, because the stock function it holds is the unwrapped one.
import * as tf from '@tensorflow/tfjs';

const TIMED = Symbol('kernel-timer');
const stats = new Map();

function timedConfig(config) {
  if (config.backendName !== 'cpu' || config.kernelFunc[TIMED]) return config;
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
  return { ...config, kernelFunc: timed };
}

const registry = globalThis._tfGlobals?.get('kernelRegistry');
if (!(registry instanceof Map)) {
  console.error('kernel-timer: tfjs-core kernel registry not found (expected tfjs-core 4.22)');
  process.exit(1);
}
for (const [key, config] of registry) registry.set(key, timedConfig(config));
registry.set = (key, config) => Map.prototype.set.call(registry, key, timedConfig(config));

process.on('exit', () => {
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
  const lines = rows.map(([name, entry]) => `| ${name} | ${entry.calls} | ${entry.ms.toFixed(0)} |`);
  process.stderr.write(`| kernel | calls | ms |\n|---|---|---|\n${lines.join('\n')}\n`);
});

export { tf };
