/**
 * A model family: how one or more Hugging Face `model_type`s map to an archzoo config and back,
 * and how each archzoo parameter name maps to a tensor of the HF checkpoint.
 */
import type { ModelConfig, ResolvedConfig } from '@archzoo/core';

import type { HfConfig } from './hf-config.js';

/** Location of an archzoo parameter in an HF checkpoint. */
export interface HfTensorRef {
  /** HF tensor name. */
  name: string;
  /**
   * HF `nn.Linear` stores [out, in] while archzoo stores [in, out], so 2-D weights of those layers
   * are transposed. Embeddings and GPT-2's `Conv1D` weights are stored as archzoo stores them.
   */
  transpose: boolean;
  /** Set when the HF tensor fuses several archzoo ones along its last axis (GPT-2 `c_attn`). */
  part?: { index: number; count: number };
}

/**
 * Raises a one-line error naming a part of a config that a family's layout cannot express. The
 * error lists every export layout with what sets it apart, or with `brief` only their model_types.
 */
export type RejectLayout = (problem: string, options?: { brief?: boolean }) => never;

export interface Family {
  /** `model_type` values of config.json this family reads. */
  modelTypes: readonly string[];
  /** Maps a config.json of this family to an archzoo model config. */
  toArchzoo(hf: HfConfig): ModelConfig;
  /** Locates an archzoo parameter (`layers.3.attn.q_proj.weight`) in the HF checkpoint. */
  hfTensor(name: string): HfTensorRef;
  /** HF tensor names that carry no weights archzoo needs (buffers such as GPT-2's attention masks). */
  ignored?: RegExp;
  /**
   * A prefix that checkpoints of this family's LM-head model put before every name but the
   * head's (GPT-2: `transformer.`). Import accepts names with or without it, and export writes it.
   */
  optionalPrefix?: string;
  /** The layout export writes, as export's errors list it: the model_types and what sets them apart. */
  exportLayout: string;
  /** Whether export writes `config` with this family, judged by its norm placement and position scheme. */
  ownsLayout(config: ResolvedConfig): boolean;
  /** Builds the config.json of `config`, the inverse of `toArchzoo`, and calls `reject` for a part the layout cannot express. */
  toHf(config: ResolvedConfig, reject: RejectLayout): HfConfig;
}

/** Splits `layers.3.attn.q_proj.weight` into its layer index and the rest; returns undefined for names outside layers. */
export function layerName(name: string): { layer: number; rest: string } | undefined {
  const match = /^layers\.(\d+)\.(.+)$/.exec(name);
  return match ? { layer: Number(match[1]), rest: match[2]! } : undefined;
}

/**
 * Builds the `HfTensorRef` of a checkpoint built from `nn.Linear` layers: every 2-D tensor but the
 * token embedding is transposed (the loader transposes 2-D tensors only, so norms and biases pass).
 */
export function linearRef(name: string, archzooName: string): HfTensorRef {
  return { name, transpose: archzooName !== 'embed.weight' };
}
