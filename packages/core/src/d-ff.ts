import { ConfigError } from './errors.js';

/** How to size the FFN hidden width from d_model. */
export interface DFfRule {
  /**
   * '4x': 4 * d_model (GPT-2, GPT-3, PaLM's SwiGLU). '8/3': floor(2/3 * 4 * d_model), which keeps a
   * three-matrix GLU FFN at the parameter count of a 4x two-matrix MLP (LLaMA).
   */
  rule: '4x' | '8/3';
  /** Round up to a multiple of this; default 1. LLaMA uses 256 (7B: d_model 4096 -> 11008). */
  multiple_of?: number;
  /**
   * Factor applied before rounding, Meta's `ffn_dim_multiplier`; default 1. Llama 2 70B and
   * Llama 3 use 1.3 (Llama 3 8B: d_model 4096, multiple_of 1024 -> 14336).
   */
  multiplier?: number;
}

/**
 * Computes d_ff from a sizing rule. For '8/3' it is
 * hidden = floor(multiplier * floor(2 * 4 * d_model / 3)), rounded up to `multiple_of`.
 */
export function dFfFromRule(rule: DFfRule, dModel: number): number {
  const multipleOf = rule.multiple_of ?? 1;
  const multiplier = rule.multiplier ?? 1;
  if (!Number.isInteger(dModel) || dModel < 1) {
    throw new ConfigError(`d_model must be a positive integer, got ${dModel}`);
  }
  if (!Number.isInteger(multipleOf) || multipleOf < 1) {
    throw new ConfigError(`multiple_of must be a positive integer, got ${multipleOf}; use 1 for no rounding`);
  }
  if (!Number.isFinite(multiplier) || multiplier <= 0) {
    throw new ConfigError(`multiplier must be a positive number, got ${multiplier}; use 1 for no scaling`);
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
  if (multiplier !== 1) hidden = Math.floor(multiplier * hidden);
  return multipleOf * Math.ceil(hidden / multipleOf);
}
