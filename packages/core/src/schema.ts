/**
 * A small declarative schema for plugin options and configs. Each field states its type and
 * bounds; `checkOptions` turns violations into one-line messages that name the field, the value
 * received and what is accepted. The schema is plain data, so docs and generators can read it.
 */

export type FieldSchema =
  | { type: 'number'; min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean; exclusiveMax?: boolean; optional?: boolean; description: string }
  | { type: 'boolean'; optional?: boolean; description: string }
  | { type: 'string'; optional?: boolean; description: string }
  | { type: 'enum'; values: readonly (string | number)[]; optional?: boolean; description: string }
  | { type: 'number-list'; min?: number; integer?: boolean; optional?: boolean; description: string };

/** Field schemas by option name; the `type` discriminator of a slot option is implicit. */
export type OptionSchema = Readonly<Record<string, FieldSchema>>;

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

function checkNumber(path: string, value: unknown, field: FieldSchema & { type: 'number' | 'number-list' }): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `${path} must be a finite number, got ${describeValue(value)}`;
  }
  if (field.integer && !Number.isInteger(value)) return `${path} must be an integer, got ${value}`;
  if (field.min !== undefined) {
    const exclusive = field.type === 'number' && field.exclusiveMin;
    if (exclusive ? value <= field.min : value < field.min) {
      return `${path} must be ${exclusive ? '>' : '>='} ${field.min}, got ${value}`;
    }
  }
  if (field.type === 'number' && field.max !== undefined) {
    const exclusive = field.exclusiveMax === true;
    if (exclusive ? value >= field.max : value > field.max) return `${path} must be ${exclusive ? '<' : '<='} ${field.max}, got ${value}`;
  }
  return undefined;
}

/**
 * Checks `options` against `schema`. Returns one message per problem: unknown keys, missing
 * required keys, wrong types and out-of-range values. `path` prefixes every message (e.g. "norm").
 */
export function checkOptions(path: string, options: Record<string, unknown>, schema: OptionSchema): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(options)) {
    if (key === 'type') continue;
    if (!(key in schema)) {
      const known = Object.keys(schema);
      problems.push(`${path}.${key} is not an option of "${String(options.type)}"; valid options: ${known.length ? known.join(', ') : '(none)'}`);
    }
  }
  for (const [key, field] of Object.entries(schema)) {
    const value = options[key];
    const fieldPath = `${path}.${key}`;
    if (value === undefined) {
      if (!field.optional) problems.push(`${fieldPath} is required (${field.description})`);
      continue;
    }
    let problem: string | undefined;
    switch (field.type) {
      case 'number':
        problem = checkNumber(fieldPath, value, field);
        break;
      case 'boolean':
        if (typeof value !== 'boolean') problem = `${fieldPath} must be true or false, got ${describeValue(value)}`;
        break;
      case 'string':
        if (typeof value !== 'string') problem = `${fieldPath} must be a string, got ${describeValue(value)}`;
        break;
      case 'enum':
        if (!field.values.includes(value as string | number)) {
          problem = `${fieldPath} must be one of ${field.values.map(describeValue).join(', ')}, got ${describeValue(value)}`;
        }
        break;
      case 'number-list':
        if (!Array.isArray(value)) {
          problem = `${fieldPath} must be a list of numbers, got ${describeValue(value)}`;
        } else {
          problem = value.map((item, i) => checkNumber(`${fieldPath}[${i}]`, item, field)).find((p) => p !== undefined);
        }
        break;
    }
    if (problem) problems.push(problem);
  }
  return problems;
}
