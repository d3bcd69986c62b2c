import { describe, expect, it } from 'vitest';
import { testNorm } from './__fixtures__/plugins.js';
import { PluginError } from './errors.js';
import { Registry } from './registry.js';

describe('Registry', () => {
  it('rejects a duplicate id naming both packages', () => {
    const twin = { ...testNorm, package: '@someone/norms' };
    expect(() => new Registry([testNorm, twin])).toThrow(
      'norm plugin id "test_rms" is registered twice: by @archzoo/core-test-fixtures and by @someone/norms; register only one of them',
    );
  });

  it('rejects another contract major naming both versions', () => {
    const future = { ...testNorm, contract: '2.0' };
    expect(() => new Registry([future])).toThrow(PluginError);
    expect(() => new Registry([future])).toThrow(/built for plugin contract 2\.0, but this @archzoo\/core implements contract 1\.0/);
  });

  it('accepts another minor of the same major', () => {
    expect(new Registry([{ ...testNorm, contract: '1.7' }]).ids('norm')).toEqual(['test_rms']);
  });

  it('lists registered ids for an unknown one', () => {
    expect(() => new Registry([testNorm]).get('norm', 'layernorm')).toThrow('norm.type "layernorm" is not a registered norm plugin; registered: test_rms');
  });
});
