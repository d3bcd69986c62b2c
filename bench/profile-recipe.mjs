// Legend: B batch, T sequence.
/**
 * Times training steps of a recipe's tiny scale on the Brown corpus's first B x T tokens and
 * lists the kernels that take the time in one step (`tf.profile`), on the cpu-native backend or
 * the one --backend names. On `wasm`, ARCHZOO_WASM_THREADS sets the thread count as usual.
 *
 * Run from the repository root after `pnpm build`:
 *   node bench/profile-recipe.mjs [--recipe llama|gpt3|palm|gemma2|olmo2] [--backend cpu-native|wasm|cpu] [--batch 8] [--seq 128] [--steps 3] [--top 15]
 */
import { join } from 'node:path';

import { REPO_ROOT, brownBatch, loadArchzoo, trainBench } from './archzoo.mjs';
import { formatTable, median, parseFlags } from './stats.mjs';

const options = parseFlags(
  process.argv.slice(2),
  { recipe: 'llama', backend: 'cpu-native', batch: 8, seq: 128, steps: 3, top: 15 },
  'node bench/profile-recipe.mjs [--recipe NAME] [--backend NAME] [--batch B] [--seq T] [--steps N] [--top N]',
);
const RECIPES = ['llama', 'gpt3', 'palm', 'gemma2', 'olmo2'];
if (!RECIPES.includes(options.recipe)) throw new Error(`--recipe must be one of ${RECIPES.join(', ')}, got "${options.recipe}"`);

const az = await loadArchzoo();
const { core } = az;
const backend = await core.selectBackend(options.backend);
const recipe = (await import(join(REPO_ROOT, `recipes/${options.recipe}/dist/index.js`)))[options.recipe];
const batch = await brownBatch(az, options.batch, options.seq);
const bench = trainBench(az, new core.Registry(recipe.plugins), recipe.scales.tiny.model, options.batch, options.seq, batch);

// Two warm-up steps: the first allocates and compiles, the second still settles the allocator.
bench.step();
bench.step();
const seconds = Array.from({ length: options.steps }, () => bench.step().seconds);
const profile = await core.tf.profile(() => {
  bench.step();
});
bench.dispose();

const byKernel = new Map();
for (const kernel of profile.kernels) {
  const entry = byKernel.get(kernel.name) ?? { calls: 0, ms: 0 };
  entry.calls += 1;
  entry.ms += kernel.kernelTimeMs;
  byKernel.set(kernel.name, entry);
}
const total = [...byKernel.values()].reduce((sum, entry) => sum + entry.ms, 0);
const rows = [...byKernel.entries()]
  .sort((x, y) => y[1].ms - x[1].ms)
  .slice(0, options.top)
  .map(([name, entry]) => [name, String(entry.calls), entry.ms.toFixed(0), `${((100 * entry.ms) / total).toFixed(1)}%`]);

console.log(
  `${options.recipe} tiny, batch ${options.batch} x ${options.seq}, ${backend.name} (threads ${backend.detail.threads}): ` +
    `step ${median(seconds).toFixed(3)} s (median of ${options.steps}: ${seconds.map((s) => s.toFixed(3)).join(', ')})`,
);
console.log(`\nkernels of one profiled step, ${total.toFixed(0)} ms in all:\n`);
console.log(formatTable(['kernel', 'calls', 'ms', 'share'], rows));
