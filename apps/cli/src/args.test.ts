import { UsageError } from '@archzoo/core';
import { describe, expect, it } from 'vitest';

import { MAX_SEED, onePositional, parseCommandArgs, parseIntegerFlag } from './args.js';

describe('parseIntegerFlag', () => {
  it.each([
    ['1', 1],
    ['600', 600],
    [' 42 ', 42],
    ['+5', 5],
  ])('accepts %j as %d', (value, expected) => {
    expect(parseIntegerFlag('steps', value, 1)).toBe(expected);
  });

  it.each(['0', '-3', 'abc', '', '2.5', '1e3', '0x10', '9007199254740993', 'NaN', 'Infinity'])('rejects steps %j', (value) => {
    expect(() => parseIntegerFlag('steps', value, 1)).toThrow(UsageError);
    expect(() => parseIntegerFlag('steps', value, 1)).toThrow(/^--steps must be an integer >= 1, got /);
  });

  it('accepts seed 0 and the largest 32-bit seed', () => {
    expect(parseIntegerFlag('seed', '0', 0, MAX_SEED)).toBe(0);
    expect(parseIntegerFlag('seed', String(MAX_SEED), 0, MAX_SEED)).toBe(MAX_SEED);
  });

  it('rejects a seed above 32 bits', () => {
    expect(() => parseIntegerFlag('seed', String(MAX_SEED + 1), 0, MAX_SEED)).toThrow(`--seed must be an integer from 0 to ${MAX_SEED}, got 4294967296`);
  });
});

describe('parseCommandArgs', () => {
  const flags = {
    steps: { type: 'string' as const, valueName: 'N', description: 'steps' },
    json: { type: 'boolean' as const, description: 'json' },
  };

  it('parses flags and positionals', () => {
    const parsed = parseCommandArgs('train', ['llama', '--steps', '3', '--json'], flags);
    expect(parsed.positionals).toEqual(['llama']);
    expect(parsed.values).toMatchObject({ steps: '3', json: true });
  });

  it('names an unknown flag and the valid ones', () => {
    expect(() => parseCommandArgs('train', ['--stpes', '3'], flags)).toThrow(
      'unknown flag --stpes for `archzoo train`; valid flags: --steps, --json',
    );
  });

  it('reports a string flag without its value', () => {
    expect(() => parseCommandArgs('train', ['--steps'], flags)).toThrow('flag --steps of `archzoo train` needs a value; pass e.g. --steps N');
  });

  it.each(['-1', '-0.5', '-3e2', '-.5'])('takes negative number %s as the value', (value) => {
    expect(parseCommandArgs('train', ['llama', '--steps', value], flags).values.steps).toBe(value);
  });

  it('takes a negative number after a short flag', () => {
    const shortFlags = { count: { type: 'string' as const, short: 'n', description: 'count' } };
    expect(parseCommandArgs('train', ['-n', '-3'], shortFlags).values.count).toBe('-3');
  });

  it('keeps a negative number after -- as a positional', () => {
    expect(parseCommandArgs('train', ['--steps', '3', '--', '-1'], flags).positionals).toEqual(['-1']);
  });

  it('still rejects a flag after a value-taking flag', () => {
    expect(() => parseCommandArgs('train', ['--steps', '--json'], flags)).toThrow('flag --steps of `archzoo train` needs a value');
  });

  it('reports a value given to a boolean flag', () => {
    expect(() => parseCommandArgs('train', ['--json=yes'], flags)).toThrow('flag --json of `archzoo train` takes no value; pass --json alone');
  });
});

describe('onePositional', () => {
  it('rejects a missing and an extra argument', () => {
    expect(() => onePositional('inspect', [], 'recipe name', 'hint')).toThrow('`archzoo inspect` needs a recipe name; hint');
    expect(() => onePositional('inspect', ['a', 'b'], 'recipe name', 'hint')).toThrow('takes one recipe name, got 2: a b');
  });
});
