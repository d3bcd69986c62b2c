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

/** Parses `argv` of `command` against `flags`; unknown flags and missing values are usage errors. */
export function parseCommandArgs(command: string, argv: readonly string[], flags: FlagSpecs): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
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
