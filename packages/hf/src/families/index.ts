import { ConfigError } from '@archzoo/core';

import type { Family } from '../family.js';
import { gemma2Family } from './gemma2.js';
import { gpt2Family } from './gpt2.js';
import { llamaFamily } from './llama.js';
import { olmo2Family } from './olmo2.js';

/** Every family archzoo imports. */
export const FAMILIES: readonly Family[] = [llamaFamily, gemma2Family, olmo2Family, gpt2Family];

/** Every `model_type` archzoo imports, in listing order. */
export const SUPPORTED_MODEL_TYPES: readonly string[] = FAMILIES.flatMap((family) => family.modelTypes);

/** Finds the family of a config.json `model_type`; others raise a ConfigError listing the supported ones. */
export function familyOf(modelType: unknown): Family {
  const family = FAMILIES.find((candidate) => candidate.modelTypes.includes(modelType as string));
  if (!family) {
    throw new ConfigError(`config.json: model_type ${JSON.stringify(modelType)} is not supported; supported model_types: ${SUPPORTED_MODEL_TYPES.join(', ')}`);
  }
  return family;
}

export { gemma2Family, gpt2Family, llamaFamily, olmo2Family };
