/**
 * Entry point of the `archzoo` command. `main` runs one command line against injected streams and
 * returns the exit code: 0 on success, 2 for a user error (any `ArchzooError`, printed as one
 * line), 1 for an unexpected failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ArchzooError, type Recipe, UsageError } from '@archzoo/core';

import { parseCommandArgs } from './args.js';
import { RECIPES } from './catalog.js';
import type { Command } from './command.js';
import { benchCommand } from './commands/bench.js';
import { exportCommand } from './commands/export.js';
import { generateCommand } from './commands/generate.js';
import { inspectCommand } from './commands/inspect.js';
import { listCommand } from './commands/list.js';
import { logitsCommand } from './commands/logits.js';
import { newPluginCommand } from './commands/new-plugin.js';
import { reproduceCommand } from './commands/reproduce.js';
import { tableCommand } from './commands/table.js';
import { trainCommand } from './commands/train.js';
import { CLI_DIR } from './env-info.js';
import { commandHelp, mainHelp } from './help.js';
import type { CliIo, OutputStream } from './io.js';

export type { CliIo, InterruptSignal, OutputStream } from './io.js';

export const COMMANDS: readonly Command[] = [listCommand, inspectCommand, trainCommand, reproduceCommand, tableCommand, generateCommand, logitsCommand, exportCommand, newPluginCommand, benchCommand];

function cliVersion(): string {
  return (JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('missing command; run `archzoo --help` to see the commands');
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp(COMMANDS));
    return 0;
  }
  if (name === '--version') {
    io.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    const problem = name.startsWith('-') ? `unknown flag ${name}` : `unknown command "${name}"`;
    throw new UsageError(`${problem}; valid commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')} (run \`archzoo --help\`)`);
  }
  const args = parseCommandArgs(command.name, rest, command.flags);
  if (args.values.help) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  return command.run(args, io);
}

/** Runs `argv` (without `node` and the script), catching every error, and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof ArchzooError) {
      const firstLine = error.message.split('\n')[0];
      io.stderr.write(`archzoo: error: ${firstLine}\n`);
      return error.exitCode;
    }
    const debug = io.env.ARCHZOO_DEBUG === '1';
    const message = error instanceof Error ? error.message : String(error);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`archzoo: error: ${error.stack}\n`);
    else io.stderr.write(`archzoo: error: ${message.split('\n')[0]} (unexpected; rerun with ARCHZOO_DEBUG=1 for the stack trace)\n`);
    return 1;
  }
}

/**
 * Wraps a process stream so that a closed reader (`archzoo train | head`) ends the output quietly
 * instead of crashing on EPIPE. Training continues, and the run directory is still written.
 */
function processStream(stream: NodeJS.WriteStream): OutputStream {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
    write(text: string) {
      return closed ? false : stream.write(text);
    },
  };
}

/** `main` against this process's streams, environment, SIGINT and SIGTERM; tests may pass their own `recipes`. */
export function run(argv: readonly string[], recipes: readonly Recipe[] = RECIPES): Promise<number> {
  return main(argv, {
    stdout: processStream(process.stdout),
    stderr: processStream(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    recipes,
    onInterrupt(handler) {
      const onSigint = () => handler('SIGINT');
      const onSigterm = () => handler('SIGTERM');
      process.once('SIGINT', onSigint);
      process.once('SIGTERM', onSigterm);
      return () => {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
      };
    },
  });
}
