import type { FlagSpecs, ParsedArgs } from './args.js';
import type { CliIo } from './io.js';

/** One `archzoo` subcommand: its help and what it runs. `run` returns the process exit code. */
export interface Command {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Synopsis after `archzoo`, e.g. `train <recipe> [flags]`. */
  synopsis: string;
  /** Paragraph shown under the synopsis in the command's help. */
  details: string;
  flags: FlagSpecs;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** The `--help` flag every command accepts. */
export const HELP_FLAG: FlagSpecs = {
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
};
