import { defineConfig } from 'vitest/config';

// Mirrors the root config so `vitest run` also works from this folder.
export default defineConfig({
  resolve: { conditions: ['archzoo-source'] },
  ssr: { resolve: { conditions: ['archzoo-source'], externalConditions: ['archzoo-source'] } },
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, pool: 'forks' },
});
