import { readFileSync } from 'node:fs';
import { countParams, modelParamSpecs, resolveConfig } from '@archzoo/core';
import { describe, expect, it } from 'vitest';
import { findSpec, tableRows, tinyOf } from './index.js';
import { zooRegistry } from './test-support/registry.js';

describe('README example', () => {
  it('runs as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('console.log(countParams(modelParamSpecs(tiny, registry))); // 238144');
    expect(readme).toContain("console.log(tableRows().find((row) => row.id === 'palm')!.differs); // [ 'norm' ]");
    // The statements below are the README example without its imports and console output.
    const registry = zooRegistry();
    const gemma2 = findSpec('gemma-2')!;
    const tiny = resolveConfig(tinyOf(gemma2)!, registry);
    expect(countParams(modelParamSpecs(tiny, registry))).toBe(238144);
    expect(tableRows().find((row) => row.id === 'palm')!.differs).toEqual(['norm']);
  });
});
