// Tests of the benchmark scripts, outside the workspace projects because bench/ is no package.
// Run from the repository root after `pnpm build`: pnpm exec vitest run --config bench/vitest.config.mjs
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['**/*.test.mjs'], testTimeout: 120_000, pool: 'forks' },
});
