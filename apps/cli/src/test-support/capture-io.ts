/** An in-memory `CliIo` for running commands in tests, with captured stdout and stderr. */
import type { Recipe } from '@archzoo/core';

import { RECIPES } from '../catalog.js';
import type { CliIo, InterruptSignal, OutputStream } from '../io.js';

export interface CapturedStream extends OutputStream {
  text: string;
}

export interface CapturedIo extends CliIo {
  stdout: CapturedStream;
  stderr: CapturedStream;
  /** Fires the registered interrupt handlers, as Ctrl-C (SIGINT, the default) or SIGTERM would. */
  interrupt(signal?: InterruptSignal): void;
}

function capture(isTTY: boolean): CapturedStream {
  const stream: CapturedStream = {
    text: '',
    isTTY,
    write(text: string) {
      stream.text += text;
      return true;
    },
  };
  return stream;
}

export interface CaptureOptions {
  cwd: string;
  recipes?: readonly Recipe[];
  env?: NodeJS.ProcessEnv;
  tty?: boolean;
}

export function captureIo({ cwd, recipes = RECIPES, env = {}, tty = false }: CaptureOptions): CapturedIo {
  const handlers = new Set<(signal: InterruptSignal) => void>();
  return {
    stdout: capture(tty),
    stderr: capture(false),
    env,
    cwd,
    recipes,
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    interrupt(signal = 'SIGINT') {
      for (const handler of handlers) handler(signal);
    },
  };
}
