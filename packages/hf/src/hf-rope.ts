/**
 * Reads the RoPE base and scaling of a Hugging Face `config.json`. transformers 4 writes them as
 * the top-level `rope_theta` and `rope_scaling`. transformers 5 moves both into one
 * `rope_parameters` object, `{ rope_type, rope_theta, factor, ... }`, or one such object per layer
 * type (RotaryEmbeddingConfigMixin in transformers/modeling_rope_utils.py). Every problem is a
 * one-line ConfigError naming the field.
 */
import { ConfigError } from '@archzoo/core';

import { type HfConfig, intField, invalidField, numberField } from './hf-config.js';

/**
 * RoPE base when config.json sets none: RotaryEmbeddingConfigMixin.default_theta, which
 * LlamaConfig, MistralConfig, Qwen2Config, Gemma2Config and Olmo2Config do not override.
 */
export const DEFAULT_ROPE_THETA = 10000;

/** Layer types that a per-layer-type `rope_parameters` is keyed by. */
const LAYER_TYPE_KEYS = ['full_attention', 'sliding_attention'];

/** The RoPE options that config.json sets: the base and archzoo's scaling options. */
export interface HfRope {
  theta: number;
  scaling: Record<string, unknown>;
}

/** Returns the object field `field` with each key prefixed by `field.`, so errors name the whole path. */
function nestedFields(config: HfConfig, field: string): HfConfig {
  const value = config[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalidField(field, 'an object', value);
  return Object.fromEntries(Object.entries(value as HfConfig).map(([key, entry]) => [`${field}.${key}`, entry]));
}

/** Maps the rope type in `fields` (keys prefixed by `label.`) to archzoo scaling options. */
function scalingOptions(fields: HfConfig, label: string, fallbackType?: string): Record<string, unknown> {
  const type = fields[`${label}.rope_type`] ?? fields[`${label}.type`] ?? fallbackType;
  if (type === 'default') return { scaling: 'none' };
  if (type === 'linear') return { scaling: 'linear', scaling_factor: numberField(fields, `${label}.factor`) };
  if (type === 'llama3') {
    return {
      scaling: 'llama3',
      scaling_factor: numberField(fields, `${label}.factor`),
      low_freq_factor: numberField(fields, `${label}.low_freq_factor`),
      high_freq_factor: numberField(fields, `${label}.high_freq_factor`),
      original_max_position_embeddings: intField(fields, `${label}.original_max_position_embeddings`),
    };
  }
  return invalidField(`${label}.rope_type`, '"default", "linear" or "llama3" (archzoo supports these)', type);
}

/**
 * Returns the fields of `rope_parameters` with their label, or undefined when it is absent or
 * null. A per-layer-type object must give every layer type the same RoPE, because archzoo imports
 * one RoPE for the whole model.
 */
function ropeParameters(config: HfConfig): { fields: HfConfig; label: string } | undefined {
  if (config.rope_parameters === undefined || config.rope_parameters === null) return undefined;
  const fields = nestedFields(config, 'rope_parameters');
  const keys = Object.keys(config.rope_parameters as HfConfig);
  if (keys.length === 0 || !keys.every((key) => LAYER_TYPE_KEYS.includes(key))) return { fields, label: 'rope_parameters' };

  const [first, ...others] = keys as [string, ...string[]];
  const firstJson = JSON.stringify(fields[`rope_parameters.${first}`]);
  for (const other of others) {
    const otherJson = JSON.stringify(fields[`rope_parameters.${other}`]);
    if (otherJson !== firstJson) {
      throw new ConfigError(`config.json: rope_parameters.${first} is ${firstJson} but rope_parameters.${other} is ${otherJson}; archzoo imports one RoPE for every layer`);
    }
  }
  const label = `rope_parameters.${first}`;
  return { fields: nestedFields(fields, label), label };
}

/**
 * Reads the RoPE base and scaling, preferring `rope_parameters` (transformers 5) to `rope_theta`
 * and `rope_scaling` (transformers 4). A base or scaling given both ways must agree, else a
 * ConfigError names both values. Absent fields get transformers' defaults: base 10000, no scaling.
 */
export function ropeOptions(config: HfConfig): HfRope {
  const legacyTheta = config.rope_theta === undefined || config.rope_theta === null ? undefined : numberField(config, 'rope_theta');
  const legacyScaling =
    config.rope_scaling === undefined || config.rope_scaling === null ? undefined : scalingOptions(nestedFields(config, 'rope_scaling'), 'rope_scaling');
  const parameters = ropeParameters(config);
  if (parameters === undefined) return { theta: legacyTheta ?? DEFAULT_ROPE_THETA, scaling: legacyScaling ?? { scaling: 'none' } };

  const { fields, label } = parameters;
  // transformers 5 fills a rope_parameters without rope_theta from the top-level rope_theta.
  const theta = numberField(fields, `${label}.rope_theta`, legacyTheta ?? DEFAULT_ROPE_THETA);
  if (legacyTheta !== undefined && legacyTheta !== theta) {
    throw new ConfigError(`config.json: rope_theta (${legacyTheta}) and ${label}.rope_theta (${theta}) disagree; remove rope_theta or set it to the same RoPE base`);
  }
  const scaling = scalingOptions(fields, label, 'default');
  if (legacyScaling !== undefined && JSON.stringify(legacyScaling) !== JSON.stringify(scaling)) {
    throw new ConfigError(
      `config.json: rope_scaling ${JSON.stringify(config.rope_scaling)} and ${label} ${JSON.stringify(config.rope_parameters)} give different RoPE scaling; remove rope_scaling or make the two agree`,
    );
  }
  return { theta, scaling };
}
