// Runs the usage example from README.md, so the documented calls stay valid.
import { readFileSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import * as kernelsNative from './index.js';
import { addonMissing, tf } from './testing/harness.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readme.match(/```ts\n([\s\S]*?)```/)?.[1] ?? '';

type ExampleRunner = (tfModule: typeof tf, exports: typeof kernelsNative) => Promise<unknown>;

/** Turns the example's imports into parameters and returns what the example computed. */
function compileExample(source: string): ExampleRunner {
  const body = source
    .replace("import * as tf from '@tensorflow/tfjs';\n", '')
    .replace(/import \{ ([^}]+) \} from '@archzoo\/kernels-native';\n/, 'const { $1 } = exports;\n');
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => ExampleRunner;
  return new AsyncFunction('tf', 'exports', `${body}\nreturn { status, registered };`);
}

describe('README example', () => {
  afterAll(() => {
    kernelsNative.restoreStockKernels(tf);
  });

  it('imports only from tfjs and this package', () => {
    const imports = example.split('\n').filter((line) => line.startsWith('import'));
    expect(imports).toEqual([
      "import * as tf from '@tensorflow/tfjs';",
      "import { loadNativeAddon, registerNativeKernels } from '@archzoo/kernels-native';",
    ]);
  });

  it('runs and registers kernels when the addon is built', async () => {
    const result = (await compileExample(example)(tf, kernelsNative)) as { status: { ok: boolean }; registered: string[] };
    expect(result.status.ok).toBe(!addonMissing);
    if (addonMissing) expect(result.registered).toEqual([]);
    else expect(result.registered).toContain('BatchMatMul');
  });
});
