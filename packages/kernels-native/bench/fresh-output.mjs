// Legend: N rows (2048 tokens), V vocabulary (50,257).
// Measures how much of an [N, V] elementwise kernel is page faulting: the addon's Exp into a
// newly allocated Float32Array, then into the same array again.
// Usage: node bench/fresh-output.mjs
import { kernels } from './load-dist.mjs';

const status = kernels.loadNativeAddon();
if (!status.ok) {
  console.error(status.reason);
  process.exit(1);
}
const { addon } = status;
const size = 2048 * 50257;
const EXP = 0;
const x = new Float32Array(size).map((_, i) => (i % 1000) / 100 - 5);
for (let run = 0; run < 3; run++) {
  const out = new Float32Array(size);
  let start = performance.now();
  addon.unary(EXP, x, out, 0);
  const fresh = performance.now() - start;
  start = performance.now();
  addon.unary(EXP, x, out, 0);
  const reused = performance.now() - start;
  console.log(`Exp over [2048, 50257]: ${fresh.toFixed(0)} ms into a new array, ${reused.toFixed(0)} ms into the same array again`);
}
