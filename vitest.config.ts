import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Paths are relative to this file, so `vitest run --root ../.. --project NAME` works from a package.
const here = dirname(fileURLToPath(import.meta.url));

// One vitest project per workspace package that has tests; `--project NAME` runs one of them.
const groups = ['packages', 'recipes', 'apps'];
const projects = groups.flatMap((group) =>
  existsSync(join(here, group))
    ? readdirSync(join(here, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(here, group, entry.name, 'package.json')))
        .map((entry) => ({
          extends: true as const,
          test: { name: entry.name, root: join(here, group, entry.name), include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
        }))
    : [],
);

export default defineConfig({
  resolve: { conditions: ['archzoo-source'] },
  ssr: { resolve: { conditions: ['archzoo-source'], externalConditions: ['archzoo-source'] } },
  test: {
    projects: [...projects, { extends: true, test: { name: 'e2e', root: join(here, 'test'), include: ['**/*.test.ts'] } }],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files run in parallel forks, so one OpenBLAS thread each keeps the cores from being
    // oversubscribed; an explicit ARCHZOO_KERNELS_GEMM_THREADS still wins.
    env: { ARCHZOO_KERNELS_GEMM_THREADS: process.env.ARCHZOO_KERNELS_GEMM_THREADS ?? '1' },
  },
});
