/**
 * What a command may touch outside its arguments: output streams, environment, working folder and
 * the recipe catalog. `main` takes these explicitly so tests can run commands in-process.
 */
import type { Recipe } from '@archzoo/core';

/** The part of a writable stream the CLI uses. `isTTY` selects the single-line progress bar. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width in characters, when `isTTY`. */
  columns?: number;
}

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Folder that relative paths (`--data`, `--out`, the default `runs/`) are resolved against. */
  cwd: string;
  /** Recipes the commands can name, in listing order. */
  recipes: readonly Recipe[];
  /**
   * Registers a handler for an interrupt (SIGINT from Ctrl-C, or SIGTERM) and returns a function
   * that removes it. Training stops after the current step, writes a checkpoint and its summary.
   */
  onInterrupt(handler: (signal: InterruptSignal) => void): () => void;
}
