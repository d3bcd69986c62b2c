/**
 * Training progress on the console, fed by the trainer's `onStep` and `onRecord` hooks. On a
 * terminal it redraws one bar line; otherwise it prints a plain line every `log_interval` steps.
 */
import type { MetricRecord } from '@archzoo/core';

import { formatDuration, formatLoss } from './format.js';
import type { OutputStream } from './io.js';

const BAR_WIDTH = 24;
/** Minimum time between two redraws of the bar, in milliseconds. */
const REDRAW_MS = 100;

export interface Progress {
  step(step: number, loss: number, tokensPerSecond: number): void;
  record(record: MetricRecord): void;
  /** Ends the bar line so later output starts on a fresh line. */
  finish(): void;
}

export interface ProgressOptions {
  totalSteps: number;
  /** Steps between plain lines when the output is not a terminal. */
  logInterval: number;
  /** Milliseconds since an arbitrary origin; injectable for tests. */
  now?: () => number;
}

export function createProgress(out: OutputStream, options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const total = options.totalSteps;
  const interactive = out.isTTY === true;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let barShown = false;

  const status = (step: number, loss: number, tokensPerSecond: number): string => {
    const elapsedSeconds = (now() - started) / 1000;
    const eta = step > 0 ? (elapsedSeconds / step) * (total - step) : Number.NaN;
    const width = String(total).length;
    return `step ${String(step).padStart(width)}/${total} loss ${formatLoss(loss)} tok/s ${Math.round(tokensPerSecond)} eta ${formatDuration(eta)}`;
  };

  const clearBar = () => {
    if (barShown) out.write('\r\x1b[K');
    barShown = false;
  };

  return {
    step(step, loss, tokensPerSecond) {
      if (!interactive) {
        if (step % options.logInterval === 0 || step === total || step === 1) out.write(`${status(step, loss, tokensPerSecond)}\n`);
        return;
      }
      const time = now();
      if (time - lastDraw < REDRAW_MS && step !== total) return;
      lastDraw = time;
      const filled = Math.round((step / total) * BAR_WIDTH);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
      let line = `${bar} ${status(step, loss, tokensPerSecond)}`;
      if (out.columns && line.length >= out.columns) line = line.slice(0, out.columns - 1);
      out.write(`\r\x1b[K${line}`);
      barShown = true;
    },
    record(record) {
      const valLoss = record['val/loss'];
      if (valLoss === undefined) return;
      clearBar();
      out.write(`step ${record.step}/${total} val/loss ${formatLoss(valLoss)}\n`);
      lastDraw = Number.NEGATIVE_INFINITY;
    },
    finish() {
      if (barShown) out.write('\n');
      barShown = false;
    },
  };
}
