import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as core from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';

import * as hf from './index.js';

const modules: Record<string, unknown> = { '@archzoo/core': core, '@archzoo/hf': hf };

/**
 * Returns the README's first ts block, with each `import { a, b } from 'm'` replaced by a lookup in
 * `modules` and its placeholder `const modelDir = ...` line removed, so the test supplies the folder.
 */
function readmeExample(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```ts example block');
  return block[1]!
    .replace(/^const modelDir = .*$/m, '')
    .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_line, names: string, from: string) => `const {${names}} = modules[${JSON.stringify(from)}];`);
}

beforeAll(async () => {
  await core.tf.setBackend('cpu');
});

describe('README example', () => {
  it('loads a fixture and returns logits', async () => {
    const modelDir = fileURLToPath(new URL('./__fixtures__/hf-models/llama', import.meta.url));
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const run = new AsyncFunction('modules', 'modelDir', `${readmeExample()}\nreturn { logitsBTV, params };`);
    const { logitsBTV, params } = await run(modules, modelDir);
    expect(logitsBTV.shape).toEqual([1, 3, 97]);
    core.tf.dispose([logitsBTV, ...params.values()]);
  });
});
