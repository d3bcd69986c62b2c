import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { useCpuBackend } from '@archzoo/testkit';
import { describe, expect, it, vi } from 'vitest';

describe('README example', () => {
  useCpuBackend();

  it('runs and prints what its comment states', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    const printed = /console\.log\(.*\); \/\/ (.*)\n/.exec(code)![1];
    const target = new URL('./readme-example.generated.ts', import.meta.url);
    // The package imports itself by name in the README; the test points that at the source.
    writeFileSync(target, code.replace("from '@archzoo/activations'", "from './index.js'"));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ target.href);
      const [dFf, shape] = log.mock.calls[0] as [number, number[]];
      expect(`${dFf} [ ${shape.join(', ')} ]`).toBe(printed);
    } finally {
      log.mockRestore();
      rmSync(target);
    }
  });
});
