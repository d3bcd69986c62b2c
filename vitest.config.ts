import { readdirSync, existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One vitest project per workspace package that has tests; `--project NAME` runs one of them.
const groups = ['packages', 'recipes', 'apps'];
const projects = groups.flatMap((group) =>
  existsSync(group)
    ? readdirSync(group, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(`${group}/${entry.name}/package.json`))
        .map((entry) => ({
          extends: true as const,
          test: { name: entry.name, root: `${group}/${entry.name}`, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
        }))
    : [],
);

export default defineConfig({
  resolve: { conditions: ['archzoo-source'] },
  ssr: { resolve: { conditions: ['archzoo-source'], externalConditions: ['archzoo-source'] } },
  test: {
    projects: [...projects, { extends: true, test: { name: 'e2e', root: 'test', include: ['**/*.test.ts'] } }],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
