// Imports the compiled package (dist/), telling how to build it when it is missing.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/index.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('dist/index.js is missing; run `pnpm --filter @archzoo/kernels-native build` first');
  process.exit(1);
}
export const kernels = await import(entry.href);
