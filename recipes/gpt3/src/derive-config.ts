/**
 * Builds a recipe's model config as its parent's config plus a diff, so that a derived recipe
 * states only what it changes.
 */
import type { ModelConfig } from '@archzoo/core';

/**
 * A change to a parent config: each field replaces the parent's field whole (slot options are
 * not merged), and a field set to `null` removes the parent's field.
 */
export type ConfigDiff = { [K in keyof ModelConfig]?: ModelConfig[K] | null };

/** Returns `parent` with the fields of `diff` replaced or removed; never mutates either. */
export function deriveConfig(parent: ModelConfig, diff: ConfigDiff): ModelConfig {
  const derived: Record<string, unknown> = { ...parent };
  for (const [field, value] of Object.entries(diff)) {
    if (value === null) delete derived[field];
    else if (value !== undefined) derived[field] = value;
  }
  return derived as unknown as ModelConfig;
}
