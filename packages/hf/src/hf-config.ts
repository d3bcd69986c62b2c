/**
 * Typed reads of fields of a Hugging Face `config.json`. Every problem is a one-line
 * `ConfigError` naming the field, the value found and what the field must be.
 */
import { ConfigError } from '@archzoo/core';

/** A parsed `config.json`: plain JSON with string keys. */
export type HfConfig = Record<string, unknown>;

/** One layer's attention kind as transformers' `layer_types` lists it. */
export type HfLayerType = 'full_attention' | 'sliding_attention';

/** Raises the one-line ConfigError of a field whose value is not `expected`. */
export function invalidField(field: string, expected: string, value: unknown): never {
  throw new ConfigError(`config.json: ${field} must be ${expected}, got ${JSON.stringify(value)}`);
}

/** Reads a positive integer field; `fallback` applies when the field is absent or null. */
export function intField(config: HfConfig, field: string, fallback?: number): number {
  const value = config[field] ?? fallback;
  if (value === undefined) throw new ConfigError(`config.json: missing ${field}; a model folder's config.json must set it`);
  if (!Number.isSafeInteger(value) || (value as number) < 1) invalidField(field, 'a positive integer', value);
  return value as number;
}

/** Reads a positive number field; `fallback` applies when the field is absent or null. */
export function numberField(config: HfConfig, field: string, fallback?: number): number {
  const value = config[field] ?? fallback;
  if (value === undefined) throw new ConfigError(`config.json: missing ${field}; a model folder's config.json must set it`);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalidField(field, 'a positive number', value);
  return value as number;
}

/**
 * Reads a positive number field that null turns off: absent gives `fallback` (the config class's
 * default), null gives undefined.
 */
export function nullableNumberField(config: HfConfig, field: string, fallback: number): number | undefined {
  if (config[field] === null) return undefined;
  return numberField(config, field, fallback);
}

/** Reads a dropout probability, with `fallback` when the field is absent or null. */
export function dropoutField(config: HfConfig, field: string, fallback: number): number {
  const value = config[field] ?? fallback;
  // 0.99 is the largest rate archzoo's dropout config accepts.
  if (typeof value !== 'number' || !(value >= 0 && value <= 0.99)) invalidField(field, 'a dropout probability from 0 to 0.99', value);
  return value as number;
}

export function boolField(config: HfConfig, field: string, fallback: boolean): boolean {
  const value = config[field] ?? fallback;
  if (typeof value !== 'boolean') invalidField(field, 'true or false', value);
  return value as boolean;
}

/** Reads a string field that must be one of `allowed`. */
export function enumField<T extends string>(config: HfConfig, field: string, allowed: readonly T[], fallback: T): T {
  const value = config[field] ?? fallback;
  if (!allowed.includes(value as T)) invalidField(field, `one of ${allowed.join(', ')} (archzoo supports these)`, value);
  return value as T;
}

/**
 * Reads `layer_types` when config.json has it (newer transformers write it), else returns the
 * list `fallback` builds from the older fields.
 */
export function layerTypes(config: HfConfig, nLayers: number, fallback: (layer: number) => HfLayerType): HfLayerType[] {
  const value = config.layer_types;
  if (value === undefined || value === null) return Array.from({ length: nLayers }, (_, layer) => fallback(layer));
  const valid = Array.isArray(value) && value.length === nLayers && value.every((type) => type === 'full_attention' || type === 'sliding_attention');
  if (!valid) invalidField('layer_types', `a list of ${nLayers} entries, each "full_attention" or "sliding_attention"`, value);
  return value as HfLayerType[];
}

/**
 * Places a sliding window on the layers `types` marks sliding: as the attention's own `window`
 * when every layer slides, else as one `layer_pattern` entry per layer. No layer gets a window
 * when the window is absent or covers the whole context.
 */
export function windowOptions(
  types: readonly HfLayerType[],
  window: number | undefined,
  contextLength: number,
): { window?: number; layer_pattern: Array<{ attention?: { window: number } }> } {
  if (window === undefined || window >= contextLength || !types.includes('sliding_attention')) return { layer_pattern: [] };
  if (types.every((type) => type === 'sliding_attention')) return { window, layer_pattern: [] };
  return { layer_pattern: types.map((type) => (type === 'sliding_attention' ? { attention: { window } } : {})) };
}
