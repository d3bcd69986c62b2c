/**
 * Flag parsing on top of `node:util` parseArgs in strict mode. Every problem becomes a one-line
 * `UsageError` that names the offending value and the fix.
 */
import { parseArgs } from 'node:util';

import { UsageError } from '@archzoo/core';

/** One flag of a command, with the help line that documents it. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help, e.g. `N` or `DIR`. */
  valueName?: string;
  /** Help text: the setting the flag changes, its unit and its default. */
  description: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

interface ParseArgsError extends Error {
  code?: string;
}

function quotedName(message: string): string {
  return /'([^']+)'/.exec(message)?.[1] ?? message;
}

/** A token that reads as a number, such as `-1`, `-0.5` or `-3e2`, rather than as a flag. */
const NUMBER_TOKEN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Joins each value-taking flag with a following negative number (`--top-k -3` becomes
 * `--top-k=-3`, `-n -3` becomes `-n-3`), because parseArgs reads a token that starts with `-` as
 * a flag and would report the value missing. The flag's own range check then judges the number.
 */
function attachNegativeValues(argv: readonly string[], flags: FlagSpecs): string[] {
  const shortNames = new Map(Object.entries(flags).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));
  const takesValue = (token: string): boolean => {
    const name = token.startsWith('--') ? token.slice(2) : token.length === 2 && token.startsWith('-') ? shortNames.get(token[1]!) : undefined;
    return name !== undefined && flags[name]?.type === 'string';
  };
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      joined.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (next !== undefined && next.startsWith('-') && NUMBER_TOKEN.test(next) && takesValue(token)) {
      joined.push(token.startsWith('--') ? `${token}=${next}` : `${token}${next}`);
      i += 1;
    } else {
      joined.push(token);
    }
  }
  return joined;
}

/**
 * Parses `argv` of `command` against `flags`; unknown flags and missing values are usage errors.
 * A number after a flag that takes a value is that flag's value, negative ones included.
 */
export function parseCommandArgs(command: string, argv: readonly string[], flags: FlagSpecs): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
  );
  try {
    const args = attachNegativeValues(argv, flags);
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    const parseError = error as ParseArgsError;
    const valid = Object.keys(flags)
      .map((name) => `--${name}`)
      .join(', ');
    switch (parseError.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown flag ${quotedName(parseError.message)} for \`archzoo ${command}\`; valid flags: ${valid}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
        const name = /--([\w-]+)/.exec(parseError.message)?.[1] ?? '';
        const spec = flags[name];
        if (spec?.type === 'boolean') throw new UsageError(`flag --${name} of \`archzoo ${command}\` takes no value; pass --${name} alone`);
        throw new UsageError(`flag --${name} of \`archzoo ${command}\` needs a value; pass e.g. --${name} ${spec?.valueName ?? 'VALUE'}`);
      }
      default:
        throw new UsageError(`invalid arguments for \`archzoo ${command}\`: ${parseError.message.split('\n')[0]}`);
    }
  }
}

/** Returns the single positional argument `name`; none or several are usage errors. */
export function onePositional(command: string, positionals: readonly string[], name: string, hint: string): string {
  if (positionals.length === 0) throw new UsageError(`\`archzoo ${command}\` needs a ${name}; ${hint}`);
  if (positionals.length > 1) {
    throw new UsageError(
      `\`archzoo ${command}\` takes one ${name}, got ${positionals.length}: ${positionals.join(' ')}; pass flags as --name VALUE`,
    );
  }
  return positionals[0];
}

/** Largest seed the 32-bit generators accept without wrapping. */
export const MAX_SEED = 0xffff_ffff;

/**
 * Parses an integer flag value in [min, max]. Rejects empty, non-numeric, fractional,
 * exponent-style and out-of-range values, so `--steps 1e3` or `--steps 2.5` never slip through.
 */
export function parseIntegerFlag(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const trimmed = value.trim();
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  if (!/^[+-]?\d+$/.test(trimmed)) {
    throw new UsageError(`--${flag} must be ${range}, got "${value}"; pass e.g. --${flag} ${Math.max(min, 1) * 100}`);
  }
  const parsed = Number(trimmed);
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${flag} must be ${range}, got ${value}; pass e.g. --${flag} ${Math.max(min, 1) * 100}`);
  }
  return parsed;
}

/** Returns the string value of flag `name`, or undefined when absent. An empty value is a usage error. */
export function stringFlag(values: ParsedArgs['values'], name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${name} needs a non-empty value; pass e.g. --${name} VALUE`);
  }
  return value;
}
