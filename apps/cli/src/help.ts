/** Help text of the `archzoo` command and of each subcommand. */
import type { Command } from './command.js';

export function commandHelp(command: Command): string {
  const entries = Object.entries(command.flags).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '';
    const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
    return [`  ${short}--${name}${value}`, spec.description] as const;
  });
  const width = Math.max(...entries.map(([usage]) => usage.length)) + 2;
  return [
    `usage: archzoo ${command.synopsis}`,
    '',
    command.summary.charAt(0).toUpperCase() + command.summary.slice(1) + '.',
    command.details,
    '',
    'flags:',
    ...entries.map(([usage, description]) => `${usage.padEnd(width)}${description}`),
    '',
  ].join('\n');
}

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  return [
    'usage: archzoo <command> [flags]',
    '',
    'A zoo of transformer language-model architectures with reproducible training recipes.',
    '',
    'commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Run `archzoo <command> --help` for the flags of a command.',
    'Environment: ARCHZOO_BACKEND sets the default backend, ARCHZOO_CACHE_DIR the token cache folder',
    '(default ~/.cache/archzoo/tokens), ARCHZOO_DEBUG=1 prints stack traces of unexpected errors.',
    '',
  ].join('\n');
}
