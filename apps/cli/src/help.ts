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

/** The environment variables archzoo reads, each with what it sets. */
export const ENVIRONMENT: readonly (readonly [string, string])[] = [
  ['ARCHZOO_BACKEND', 'default for --backend (default auto)'],
  ['ARCHZOO_CACHE_DIR', 'token cache folder (default ~/.cache/archzoo/tokens)'],
  ['ARCHZOO_DEBUG', '1 prints the stack trace of an unexpected error'],
  ['ARCHZOO_WASM_THREADS', 'threads of the wasm backend, 1 to 8 (default one per core, at most 8)'],
  ['ARCHZOO_KERNELS_GEMM_THREADS', 'threads of cpu-native matrix products, 1 to 256 (default one per core)'],
  ['ARCHZOO_KERNELS_THREADS', 'threads of the other cpu-native kernels, 1 to 64 (default one per core, at most 4)'],
  ['ARCHZOO_KERNELS_MALLOC', 'tuned (default) raises glibc malloc thresholds for cpu-native; default leaves them'],
  ['ARCHZOO_KERNELS_POOL_MB', 'MiB of disposed cpu-native outputs kept for reuse, 0 to 1048576 (default 1024; 0 turns reuse off)'],
  ['ARCHZOO_KERNELS_BLAS', 'builtin or openblas: GEMM library of the native addon at build time (default openblas when it links)'],
  ['ARCHZOO_KERNELS_SIMD', 'none or avx2: instruction set of the native addon at build time (default avx2 when the CPU has it)'],
  ['ARCHZOO_KERNELS_SKIP_BUILD', '1 skips building the native addon during pnpm install'],
];

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  const envWidth = Math.max(...ENVIRONMENT.map(([name]) => name.length)) + 2;
  return [
    'usage: archzoo <command> [flags]',
    '',
    'A zoo of transformer language-model architectures with reproducible training recipes.',
    '',
    'commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Run `archzoo <command> --help` for the flags of a command.',
    '',
    'environment:',
    ...ENVIRONMENT.map(([name, description]) => `  ${name.padEnd(envWidth)}${description}`),
    '',
  ].join('\n');
}
