/**
 * Every file of a generated plugin package except the plugin source and the fixture script:
 * package.json, tsconfigs, index, tests, README and the initial changeset. Placeholders in double
 * braces are filled by `fillTemplate`.
 */
import type { SlotKind } from '@archzoo/core';

import { INVALID_CASES } from './sources.js';

/** Where the package lives: inside the archzoo pnpm workspace, or in a project of its own. */
export interface PackageLayout {
  /** Path of tsconfig.base.json relative to the package, inside the workspace. */
  baseTsconfig?: string;
  /** The `test` script: the root vitest project inside the workspace, plain vitest outside. */
  testScript: string;
  /** Version range of @archzoo/core and @archzoo/testkit. */
  coreRange: { peer: string; dev: string };
}

export function packageJson(values: Readonly<Record<string, string>>, layout: PackageLayout): string {
  const manifest = {
    name: values.package,
    version: '0.0.0',
    description: `archzoo ${values.kind}-slot plugin "${values.id}"`,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    exports: {
      '.': {
        types: './dist/index.d.ts',
        'archzoo-source': './src/index.ts',
        default: './dist/index.js',
      },
    },
    types: './dist/index.d.ts',
    files: ['dist', 'README.md'],
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc --noEmit -p tsconfig.json',
      lint: 'tsc --noEmit -p tsconfig.json',
      test: layout.testScript,
    },
    peerDependencies: { '@archzoo/core': layout.coreRange.peer },
    devDependencies: {
      '@archzoo/core': layout.coreRange.dev,
      '@archzoo/testkit': layout.coreRange.dev,
      '@types/node': '^20.19.0',
      typescript: '~5.9.3',
      vitest: '4.1.12',
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

// Outside the workspace there is no tsconfig.base.json to extend, so the same options are inlined.
const STANDALONE_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022'],
  types: ['node'],
  strict: true,
  declaration: true,
  declarationMap: true,
  sourceMap: true,
  skipLibCheck: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  resolveJsonModule: true,
};

export function tsconfig(layout: PackageLayout): string {
  const config = layout.baseTsconfig
    ? { extends: layout.baseTsconfig, compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }
    : { compilerOptions: { ...STANDALONE_OPTIONS, rootDir: 'src', outDir: 'dist' }, include: ['src'] };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export const TSCONFIG_BUILD = `${JSON.stringify({ extends: './tsconfig.json', exclude: ['src/**/*.test.ts', 'src/**/__fixtures__/**'] }, null, 2)}\n`;

export const INDEX = `export { {{export}}, type {{Type}}Options } from './{{name}}.js';\n`;

/** The conformance test; it checks the golden fixture once `__fixtures__/{{name}}.json` exists. */
export function conformanceTest(kind: SlotKind): string {
  const invalid = INVALID_CASES[kind];
  return String.raw`import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeConformance } from '@archzoo/testkit';
import { {{export}} } from './{{name}}.js';

// The golden fixture is written by __fixtures__/gen_{{id}}.py. Until that file exists, the
// conformance kit runs without a golden comparison, so the numbers are not checked yet.
const fixture = new URL('./__fixtures__/{{name}}.json', import.meta.url);

describeConformance({{export}}, {
  cases: [{ name: 'defaults' }],
  golden: existsSync(fileURLToPath(fixture)) ? { fixture } : undefined,
  invalid: [{ name: '${invalid.name}', options: ${invalid.options}, message: '${invalid.message.replace(/'/g, "\\'")}' }],
});
`;
}

export const README_EXAMPLE = String.raw`import { Registry } from '@archzoo/core';
import { {{export}} } from '{{package}}';

const registry = new Registry([{{export}}]);
const manifest = registry.get('{{kind}}', '{{id}}');
const options = { ...manifest.defaults, type: '{{id}}' };
const dims = { vocab_size: 32, d_model: 8, n_layers: 1, n_heads: 2, n_kv_heads: 1, head_dim: 4, d_ff: 16, context_length: 8 };
console.log(manifest.params(options, dims));`;

export const README_TEST = String.raw`import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Registry } from '@archzoo/core';
import { optionProblems } from '@archzoo/testkit';
import { {{export}} } from './index.js';

describe('README example', () => {
  it('runs as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain("const registry = new Registry([{{export}}]);");
    // The statements below are the README example without its imports and console output.
    const registry = new Registry([{{export}}]);
    const manifest = registry.get('{{kind}}', '{{id}}');
    const options = { ...manifest.defaults, type: '{{id}}' };
    const dims = { vocab_size: 32, d_model: 8, n_layers: 1, n_heads: 2, n_kv_heads: 1, head_dim: 4, d_ff: 16, context_length: 8 };

    expect(manifest).toBe({{export}});
    expect(optionProblems(manifest, options, dims)).toEqual([]);
    expect(() => manifest.params(options, dims)).not.toThrow();
  });
});
`;

export const README = String.raw`# {{package}}

An archzoo plugin for the ` + '`{{kind}}`' + String.raw` slot, with manifest id ` + '`{{id}}`' + String.raw`. Pass the manifest to a
` + '`Registry`' + String.raw` yourself, because nothing registers on import.

TODO: say what the plugin computes, its options and their defaults, its parameters and which
models use it. The generated starting math is described at the top of ` + '`src/{{name}}.ts`' + String.raw`.

## Example

` + '```ts\n' + README_EXAMPLE + '\n```' + String.raw`

## Tests

` + '```sh\n{{testCommand}}\n```' + String.raw`

` + '`src/{{name}}.test.ts`' + String.raw` runs the archzoo conformance kit (shapes, finite-difference gradients,
determinism, tensor leaks, JSON round trips). It compares numbers with a golden fixture only
once ` + '`src/__fixtures__/{{name}}.json`' + String.raw` exists. ` + '`src/__fixtures__/gen_{{id}}.py`' + String.raw` writes it, and
its ` + '`reference()`' + String.raw` computes the generated starting math in numpy. When you replace the math,
rewrite ` + '`reference()`' + String.raw` as an independent implementation of the new formula, run
` + '`python3 gen_{{id}}.py`' + String.raw` in that folder and commit the script with the fixture.
`;

export const CHANGESET = String.raw`---
'{{package}}': minor
---

Add the {{kind}}-slot plugin ` + '`{{id}}`' + String.raw`.
`;
