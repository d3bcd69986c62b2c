/**
 * The recipe contract: a named architecture with its published configuration (and a source for
 * every number), scales that train on given hardware, training hyperparameters, and the
 * recorded results its reproductions are checked against.
 */
import type { ModelConfig } from './config.js';
import type { PluginManifest } from './spec.js';
import type { TrainConfig } from './train.js';

/** A published number and where it comes from. */
export interface Sourced<T> {
  value: T;
  source: string;
}

export interface PublishedArchitecture {
  /** The real model, e.g. "LLaMA-7B". */
  name: string;
  config: ModelConfig;
  /** The published parameter count, its source, and the allowed relative difference (0 = exact). */
  params: Sourced<number> & { tolerance: number };
  /** Source of each config field, keyed by field name. */
  sources: Record<string, string>;
}

export interface RecipeScale {
  description: string;
  model: ModelConfig;
  train: TrainConfig;
  /** tiktoken encoding name. */
  tokenizer: string;
  /** Assumptions made where nothing was published, one line each. */
  assumptions: string[];
}

/** Validation loss at given steps, recorded from a reference run. */
export interface RecordedResult {
  scale: string;
  /** The archzoo backend name the run used. */
  backend: string;
  seed: number;
  steps: number;
  /** Data set and tokenizer of the run. */
  data: string;
  tokenizer: string;
  /**
   * Training loss at recorded steps, as [step, loss] pairs. Each loss is the mean over the
   * `curveWindow` steps ending at that step, which damps the noise of single batches.
   */
  trainCurve: [number, number][];
  /** Steps averaged per curve point; 1 compares single steps. */
  curveWindow: number;
  finalValLoss: number;
  /** Largest allowed |run - recorded| in nats/token, and why it is that large. */
  tolerance: { nats: number; reason: string };
  /** The command and machine the record came from. */
  provenance: string;
}

export interface Recipe {
  /** CLI name, e.g. "llama". */
  name: string;
  title: string;
  /** The recipe this one is written as a diff from, if any. */
  parent?: string;
  /** Changes from the parent recipe, one line each. */
  changes: string[];
  published: PublishedArchitecture;
  scales: Record<string, RecipeScale>;
  /** The manifests the recipe's configs name. */
  plugins: PluginManifest[];
  recorded: RecordedResult[];
}

export interface ReproductionVerdict {
  match: boolean;
  /** One line per compared point: step, recorded, measured, difference. */
  lines: string[];
  maxDifference: number;
}

/**
 * Compares a run's training losses and final validation loss with a recorded result. A run
 * matches when every recorded point differs by at most the recorded tolerance.
 */
export function compareWithRecord(record: RecordedResult, losses: readonly number[], finalValLoss: number): ReproductionVerdict {
  const lines: string[] = [];
  let maxDifference = 0;
  const check = (label: string, recorded: number, measured: number | undefined) => {
    const difference = measured === undefined || !Number.isFinite(measured) ? Number.POSITIVE_INFINITY : Math.abs(measured - recorded);
    maxDifference = Math.max(maxDifference, difference);
    lines.push(`${label}: recorded ${recorded.toFixed(4)}, measured ${measured === undefined ? 'missing' : measured.toFixed(4)}, |diff| ${difference.toFixed(4)}`);
  };
  const window = Math.max(1, record.curveWindow);
  for (const [step, recorded] of record.trainCurve) {
    const measured = windowMean(losses, step, window);
    const first = Math.max(1, step - window + 1);
    const label = first < step ? `train/loss mean of steps ${first}-${step}` : `train/loss @ step ${step}`;
    check(label, recorded, measured);
  }
  check('val/loss (final)', record.finalValLoss, finalValLoss);
  return { match: maxDifference <= record.tolerance.nats, lines, maxDifference };
}

/**
 * Mean training loss over the `window` steps ending at `step` (steps 1 to `step` when `step` is
 * smaller), with `losses[i]` the loss of step i + 1; undefined when a step of the span is missing.
 */
export function windowMean(losses: readonly number[], step: number, window: number): number | undefined {
  const span = losses.slice(Math.max(0, step - window), step);
  if (span.length === 0 || span.length !== Math.min(window, step)) return undefined;
  return span.reduce((a, b) => a + b, 0) / span.length;
}

/**
 * Lists the steps a recorded curve of a `steps`-step run compares at, for windows of `window`
 * steps. These are step 1 and step 10 (the start of the drop) when they precede the first full
 * window, then the end of every full window.
 */
export function curveSteps(steps: number, window: number): number[] {
  const points = [1, 10].filter((step) => step < window && step <= steps);
  for (let step = window; step <= steps; step += window) points.push(step);
  return points;
}

/** Computes the recorded curve of a run: the mean loss of each window, rounded to 4 decimals as records are. */
export function curveFromLosses(losses: readonly number[], window: number): [number, number][] {
  return curveSteps(losses.length, window).map((step) => [step, roundLoss(windowMean(losses, step, window)!)]);
}

/** Rounds a loss to the 4 decimals that records store. */
export function roundLoss(loss: number): number {
  return Math.round(loss * 1e4) / 1e4;
}
