import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '@archzoo/core';
import * as activations from '@archzoo/activations';
import * as attention from '@archzoo/attention';
import * as norms from '@archzoo/norms';
import * as positional from '@archzoo/positional';
import * as stability from './index.js';

const modules: Record<string, unknown> = {
  '@archzoo/core': core,
  '@archzoo/activations': activations,
  '@archzoo/attention': attention,
  '@archzoo/norms': norms,
  '@archzoo/positional': positional,
  '@archzoo/stability': stability,
};

/** Returns the README's first ts block, with each `import { a, b } from 'm'` replaced by a lookup in `modules`. */
function readmeExample(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```ts example block');
  return block[1].replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_line, names: string, from: string) => {
    if (!(from in modules)) throw new Error(`the README example imports ${from}, which this test does not provide`);
    return `const {${names}} = modules[${JSON.stringify(from)}];`;
  });
}

describe('README example', () => {
  it('runs as written', async () => {
    const body = readmeExample();
    expect(body).not.toMatch(/^import /m);
    const printed: unknown[][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction('modules', 'console', body)(modules, { log: (...values: unknown[]) => printed.push(values) });

    expect(printed).toHaveLength(2);
    expect(printed[0][0]).toEqual(['layers.0.stability.qk_norm.q_norm.weight [16]', 'layers.0.stability.qk_norm.k_norm.weight [8]']);
    const [crossEntropy, total] = printed[1] as number[];
    expect(Number.isFinite(crossEntropy)).toBe(true);
    // lse^2 is near (ln 32)^2 = 12 for an untrained model, so z-loss 1e-5 adds about 1.2e-4.
    expect(total - crossEntropy).toBeGreaterThan(5e-5);
    expect(total - crossEntropy).toBeLessThan(5e-4);
  });
});
