import { ConfigError } from '@archzoo/core';

/** How to size the FFN hidden width from d_model. */
export interface DFfRule {
  /**
   * '4x': 4 * d_model (GPT-2, GPT-3, PaLM's SwiGLU). '8/3': floor(2/3 * 4 * d_model), which keeps a
   * three-matrix GLU FFN at the parameter count of a 4x two-matrix MLP (LLaMA).
   */
  rule: '4x' | '8/3';
  /** Round up to a multiple of this; default 1. LLaMA uses 256 (7B: d_model 4096 -> 11008). */
  multiple_of?: number;
}

/**
 * Computes d_ff from a sizing rule, as in Meta's LLaMA reference `FeedForward`:
 * hidden = floor(2 * 4 * d_model / 3), rounded up to `multiple_of`.
 */
export function dFfFromRule(rule: DFfRule, dModel: number): number {
  const multipleOf = rule.multiple_of ?? 1;
  if (!Number.isInteger(dModel) || dModel < 1) {
    throw new ConfigError(`d_model must be a positive integer, got ${dModel}`);
  }
  if (!Number.isInteger(multipleOf) || multipleOf < 1) {
    throw new ConfigError(`multiple_of must be a positive integer, got ${multipleOf}; use 1 for no rounding`);
  }
  let hidden: number;
  switch (rule.rule) {
    case '4x':
      hidden = 4 * dModel;
      break;
    case '8/3':
      hidden = Math.floor((2 * 4 * dModel) / 3);
      break;
    default:
      throw new ConfigError(`d_ff rule must be "4x" or "8/3", got ${JSON.stringify((rule as { rule: unknown }).rule)}`);
  }
  return multipleOf * Math.ceil(hidden / multipleOf);
}
