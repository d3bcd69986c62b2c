/**
 * The model config: plain JSON data, validated against the registered plugins before anything is
 * built. `resolveConfig` fills every default, so a resolved config fully describes the model.
 */
import { dFfFromRule, type DFfRule } from './d-ff.js';
import { ConfigError } from './errors.js';
import type { Registry } from './registry.js';
import { checkOptions, type OptionSchema } from './schema.js';
import type { Dims, SlotKind, SlotOptions } from './spec.js';

/** Norm placement around each sublayer, and the way the two sublayers combine. */
export interface BlockConfig {
  /**
   * pre: x + f(norm(x)); post: norm(x + f(x)); sandwich: x + norm(f(norm(x)));
   * reordered: x + norm(f(x)), with no input norm (OLMo 2).
   */
  placement: 'pre' | 'post' | 'sandwich' | 'reordered';
  /**
   * serial: attention then FFN. parallel_shared_norm: x + attn(n(x)) + ffn(n(x)) with one norm
   * (GPT-J, PaLM); parallel_two_norms: with a norm per branch (GPT-NeoX).
   */
  layout: 'serial' | 'parallel_shared_norm' | 'parallel_two_norms';
  /** A norm after the last layer, before the output projection. */
  final_norm: boolean;
  /** A norm right after the token embedding (BLOOM). */
  embedding_norm: boolean;
}

/** Per-layer changes to slot options; `layer_pattern[i % length]` applies to layer i. */
export interface LayerOverride {
  attention?: Partial<SlotOptions>;
  position?: Partial<SlotOptions> | null;
  ffn?: Partial<SlotOptions>;
}

export interface DropoutConfig {
  embedding: number;
  attention: number;
  residual: number;
}

export interface ModelConfig {
  vocab_size: number;
  d_model: number;
  n_layers: number;
  n_heads: number;
  /** Key/value heads: n_heads for MHA, 1 for MQA, in between for GQA. Default n_heads. */
  n_kv_heads?: number;
  /** Default d_model / n_heads. */
  head_dim?: number;
  /** FFN hidden width, or a rule that derives it from d_model (e.g. LLaMA's 8/3 rounded to 256). */
  d_ff: number | DFfRule;
  context_length: number;
  norm: SlotOptions;
  position: SlotOptions;
  attention: SlotOptions;
  ffn: SlotOptions;
  stability?: SlotOptions[];
  block?: Partial<BlockConfig>;
  /** Share the token embedding with the output projection. Default false. */
  tie_embeddings?: boolean;
  layer_pattern?: LayerOverride[];
  /** Standard deviation of normal initialisation. Default 0.02. */
  init_std?: number;
  /** Standard deviation of the token embedding's initialisation (PaLM: 1). Default init_std. */
  embedding_init_std?: number;
  dropout?: Partial<DropoutConfig>;
}

/** The slot options one layer uses, after defaults and its layer_pattern entry. */
export interface LayerSlots {
  attention: SlotOptions;
  /** null means no position scheme on this layer (NoPE). */
  position: SlotOptions | null;
  ffn: SlotOptions;
}

export interface ResolvedConfig {
  dims: Dims;
  norm: SlotOptions;
  position: SlotOptions;
  attention: SlotOptions;
  ffn: SlotOptions;
  stability: SlotOptions[];
  block: BlockConfig;
  tie_embeddings: boolean;
  layer_pattern: LayerOverride[];
  init_std: number;
  embedding_init_std: number;
  dropout: DropoutConfig;
  /** Per layer, the resolved slot options. */
  layers: LayerSlots[];
}

const DEFAULT_BLOCK: BlockConfig = { placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false };
const DEFAULT_DROPOUT: DropoutConfig = { embedding: 0, attention: 0, residual: 0 };

const DIM_FIELDS: OptionSchema = {
  vocab_size: { type: 'number', integer: true, min: 1, description: 'vocabulary size' },
  d_model: { type: 'number', integer: true, min: 1, description: 'model width' },
  n_layers: { type: 'number', integer: true, min: 1, description: 'number of layers' },
  n_heads: { type: 'number', integer: true, min: 1, description: 'query heads' },
  n_kv_heads: { type: 'number', integer: true, min: 1, optional: true, description: 'key/value heads' },
  head_dim: { type: 'number', integer: true, min: 1, optional: true, description: 'width of one head' },
  d_ff: { type: 'number', integer: true, min: 1, description: 'FFN hidden width' },
  context_length: { type: 'number', integer: true, min: 1, description: 'maximum sequence length' },
  init_std: { type: 'number', min: 0, exclusiveMin: true, optional: true, description: 'normal init std' },
  embedding_init_std: { type: 'number', min: 0, exclusiveMin: true, optional: true, description: 'normal init std of the token embedding' },
  tie_embeddings: { type: 'boolean', optional: true, description: 'share embedding and output projection' },
};

const D_FF_RULE_SCHEMA: OptionSchema = {
  rule: { type: 'enum', values: ['4x', '8/3'], description: "'4x' of d_model, or '8/3' (2/3 of 4x, for gated FFNs)" },
  multiple_of: { type: 'number', integer: true, min: 1, optional: true, description: 'round up to a multiple of this' },
  multiplier: { type: 'number', min: 0, exclusiveMin: true, optional: true, description: "factor before rounding (Meta's ffn_dim_multiplier)" },
};

const BLOCK_SCHEMA: OptionSchema = {
  placement: { type: 'enum', values: ['pre', 'post', 'sandwich', 'reordered'], optional: true, description: 'norm placement' },
  layout: { type: 'enum', values: ['serial', 'parallel_shared_norm', 'parallel_two_norms'], optional: true, description: 'sublayer layout' },
  final_norm: { type: 'boolean', optional: true, description: 'norm after the last layer' },
  embedding_norm: { type: 'boolean', optional: true, description: 'norm after the embedding' },
};

const DROPOUT_SCHEMA: OptionSchema = {
  embedding: { type: 'number', min: 0, max: 0.99, optional: true, description: 'embedding dropout' },
  attention: { type: 'number', min: 0, max: 0.99, optional: true, description: 'attention-probability dropout' },
  residual: { type: 'number', min: 0, max: 0.99, optional: true, description: 'dropout on sublayer outputs' },
};

const TOP_LEVEL_KEYS = new Set([
  ...Object.keys(DIM_FIELDS),
  'norm',
  'position',
  'attention',
  'ffn',
  'stability',
  'block',
  'layer_pattern',
  'dropout',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges a manifest's defaults under the user's options; never mutates either. */
function withDefaults(registry: Registry, kind: SlotKind, options: SlotOptions, where: string): SlotOptions {
  const manifest = registry.get(kind, options.type, where);
  return { ...manifest.defaults, ...options } as SlotOptions;
}

function checkSlot(registry: Registry, kind: SlotKind, options: unknown, where: string, dims: Dims, problems: string[]): SlotOptions | undefined {
  if (!isRecord(options) || typeof options.type !== 'string') {
    problems.push(`${where} must be an object with a "type" naming a ${kind} plugin, got ${JSON.stringify(options)}`);
    return undefined;
  }
  if (!registry.has(kind, options.type)) {
    const known = registry.ids(kind);
    problems.push(`${where}.type "${options.type}" is not a registered ${kind} plugin; registered: ${known.join(', ') || '(none)'}`);
    return undefined;
  }
  const manifest = registry.get(kind, options.type, where);
  const resolved = withDefaults(registry, kind, options as SlotOptions, where);
  const schemaProblems = checkOptions(where, resolved, manifest.schema);
  problems.push(...schemaProblems);
  if (schemaProblems.length === 0 && manifest.validate) {
    problems.push(...manifest.validate(resolved, dims).map((p) => `${where}: ${p}`));
  }
  return resolved;
}

function resolveDims(config: Record<string, unknown>, problems: string[]): Dims | undefined {
  const before = problems.length;
  const dFfInput = config.d_ff;
  const dFfIsRule = isRecord(dFfInput);
  const numeric = pick(config, Object.keys(DIM_FIELDS));
  if (dFfIsRule) numeric.d_ff = 1;
  problems.push(...checkOptions('config', numeric, DIM_FIELDS).filter((p) => !p.includes('is not an option')));
  if (dFfIsRule) problems.push(...checkOptions('d_ff', { type: 'd_ff', ...dFfInput }, D_FF_RULE_SCHEMA));
  if (problems.length > before) return undefined;
  const d_model = config.d_model as number;
  const n_heads = config.n_heads as number;
  const n_kv_heads = (config.n_kv_heads as number | undefined) ?? n_heads;
  let head_dim = config.head_dim as number | undefined;
  if (head_dim === undefined) {
    if (d_model % n_heads !== 0) {
      problems.push(`n_heads (${n_heads}) must divide d_model (${d_model}); change n_heads or set head_dim explicitly`);
      return undefined;
    }
    head_dim = d_model / n_heads;
  }
  if (n_heads % n_kv_heads !== 0) {
    problems.push(`n_kv_heads (${n_kv_heads}) must divide n_heads (${n_heads}); use a divisor of ${n_heads} (1 for MQA, ${n_heads} for MHA)`);
    return undefined;
  }
  return {
    vocab_size: config.vocab_size as number,
    d_model,
    n_layers: config.n_layers as number,
    n_heads,
    n_kv_heads,
    head_dim,
    d_ff: dFfIsRule ? dFfFromRule(dFfInput as unknown as DFfRule, d_model) : (dFfInput as number),
    context_length: config.context_length as number,
  };
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function mergeOverride(base: SlotOptions, override: Partial<SlotOptions> | undefined): SlotOptions {
  if (!override) return base;
  // A different type replaces the options wholesale; the same type merges option by option.
  if (override.type !== undefined && override.type !== base.type) return { ...override } as SlotOptions;
  return { ...base, ...override } as SlotOptions;
}

/**
 * Validates `config` against `registry` and fills every default. Throws a `ConfigError` whose
 * one-line message names the first problem (and how many more there are).
 */
export function resolveConfig(config: ModelConfig, registry: Registry): ResolvedConfig {
  const problems: string[] = [];
  if (!isRecord(config)) throw new ConfigError(`a model config must be a JSON object, got ${JSON.stringify(config)}`);
  const raw = config as unknown as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.has(key)) problems.push(`config.${key} is not a model config field; valid fields: ${[...TOP_LEVEL_KEYS].join(', ')}`);
  }
  const dims = resolveDims(raw, problems);
  if (!dims) throw configError(problems);

  const norm = checkSlot(registry, 'norm', config.norm, 'norm', dims, problems);
  const position = checkSlot(registry, 'position', config.position, 'position', dims, problems);
  const attention = checkSlot(registry, 'attention', config.attention, 'attention', dims, problems);
  const ffn = checkSlot(registry, 'ffn', config.ffn, 'ffn', dims, problems);

  const stabilityInput = config.stability ?? [];
  const stability: SlotOptions[] = [];
  if (!Array.isArray(stabilityInput)) {
    problems.push(`stability must be a list of stability options, got ${JSON.stringify(stabilityInput)}`);
  } else {
    stabilityInput.forEach((options, i) => {
      const resolved = checkSlot(registry, 'stability', options, `stability[${i}]`, dims, problems);
      if (resolved) stability.push(resolved);
    });
    const ids = stability.map((s) => s.type);
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated) problems.push(`stability lists "${repeated}" twice; give each stability plugin once`);
  }

  const blockInput = config.block ?? {};
  if (!isRecord(blockInput)) problems.push(`block must be an object, got ${JSON.stringify(blockInput)}`);
  else problems.push(...checkOptions('block', { type: 'block', ...blockInput }, BLOCK_SCHEMA));
  const block: BlockConfig = { ...DEFAULT_BLOCK, ...(isRecord(blockInput) ? blockInput : {}) };
  if (block.placement === 'reordered' && block.layout !== 'serial') {
    problems.push(`block.placement "reordered" needs block.layout "serial", got "${block.layout}"`);
  }

  const dropoutInput = config.dropout ?? {};
  if (!isRecord(dropoutInput)) problems.push(`dropout must be an object, got ${JSON.stringify(dropoutInput)}`);
  else problems.push(...checkOptions('dropout', { type: 'dropout', ...dropoutInput }, DROPOUT_SCHEMA));
  const dropout: DropoutConfig = { ...DEFAULT_DROPOUT, ...(isRecord(dropoutInput) ? dropoutInput : {}) };

  // Attention dropout is the attention plugin's own `dropout` option; dropout.attention sets it
  // on every layer, so the rate lives in one place.
  if (dropout.attention > 0 && attention) {
    const manifest = registry.get('attention', attention.type);
    if (!('dropout' in manifest.schema)) {
      problems.push(`dropout.attention (${dropout.attention}) needs an attention plugin with a dropout option, but "${attention.type}" has none; remove dropout.attention`);
    } else if (attention.dropout !== undefined && attention.dropout !== 0 && attention.dropout !== dropout.attention) {
      problems.push(`dropout.attention (${dropout.attention}) conflicts with attention.dropout (${String(attention.dropout)}); set only one of them`);
    } else {
      attention.dropout = dropout.attention;
    }
  }

  const layerPattern = config.layer_pattern ?? [];
  const layers: LayerSlots[] = [];
  if (!Array.isArray(layerPattern)) {
    problems.push(`layer_pattern must be a list of per-layer overrides, got ${JSON.stringify(layerPattern)}`);
  } else if (attention && ffn && position) {
    const patternSlots = layerPattern.map((override, p): LayerSlots | undefined => {
      if (!isRecord(override)) {
        problems.push(`layer_pattern[${p}] must be an object with attention, position or ffn overrides`);
        return undefined;
      }
      for (const key of Object.keys(override)) {
        if (!['attention', 'position', 'ffn'].includes(key)) problems.push(`layer_pattern[${p}].${key} is not overridable per layer; valid: attention, position, ffn`);
      }
      const where = `layer_pattern[${p}]`;
      const entry = override as LayerOverride;
      const layerAttention = checkSlot(registry, 'attention', mergeOverride(attention, entry.attention), `${where}.attention`, dims, problems);
      const layerFfn = checkSlot(registry, 'ffn', mergeOverride(ffn, entry.ffn), `${where}.ffn`, dims, problems);
      const layerPosition =
        entry.position === null ? null : checkSlot(registry, 'position', mergeOverride(position, entry.position ?? undefined), `${where}.position`, dims, problems);
      if (!layerAttention || !layerFfn || layerPosition === undefined) return undefined;
      return { attention: layerAttention, position: layerPosition, ffn: layerFfn };
    });
    for (let i = 0; i < dims.n_layers; i++) {
      const slots = layerPattern.length ? patternSlots[i % layerPattern.length] : { attention, position, ffn };
      if (slots) layers.push(slots);
    }
  }

  if (problems.length) throw configError(problems);
  return {
    dims,
    norm: norm!,
    position: position!,
    attention: attention!,
    ffn: ffn!,
    stability,
    block,
    tie_embeddings: config.tie_embeddings ?? false,
    layer_pattern: layerPattern,
    init_std: config.init_std ?? 0.02,
    embedding_init_std: config.embedding_init_std ?? config.init_std ?? 0.02,
    dropout,
    layers,
  };
}

function configError(problems: string[]): ConfigError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new ConfigError(`invalid model config: ${problems[0]}${more}`);
}

/**
 * Validates a resolved config read back from a file, such as a checkpoint's `state.json`, with the
 * checks of `resolveConfig`. Its top-level fields and dims must resolve again, every entry of
 * `layers` must pass its plugin's schema, and no stored value may differ from what resolving
 * gives. Returns the config resolved again, or throws a one-line `ConfigError` naming the first
 * bad field and its value.
 */
export function checkResolvedConfig(stored: unknown, registry: Registry): ResolvedConfig {
  if (!isRecord(stored) || !isRecord(stored.dims)) {
    throw new ConfigError(`invalid model config: a resolved config must be a JSON object with a dims object, got ${JSON.stringify(stored)?.slice(0, 80)}`);
  }
  const { dims, layers, ...rest } = stored;
  const resolved = resolveConfig({ ...rest, ...dims } as unknown as ModelConfig, registry);

  const problems: string[] = [];
  if (layers !== undefined && (!Array.isArray(layers) || layers.length !== resolved.dims.n_layers)) {
    problems.push(`layers must list the slots of all ${resolved.dims.n_layers} layers, got ${JSON.stringify(layers)?.slice(0, 80)}`);
  } else {
    (layers ?? []).forEach((slots: unknown, i: number) => {
      const where = `layers[${i}]`;
      if (!isRecord(slots)) {
        problems.push(`${where} must be an object with attention, position and ffn options, got ${JSON.stringify(slots)}`);
        return;
      }
      checkSlot(registry, 'attention', slots.attention, `${where}.attention`, resolved.dims, problems);
      checkSlot(registry, 'ffn', slots.ffn, `${where}.ffn`, resolved.dims, problems);
      if (slots.position !== null) checkSlot(registry, 'position', slots.position, `${where}.position`, resolved.dims, problems);
    });
  }
  if (problems.length) throw configError(problems);

  const difference = firstDifference(stored, resolved, '');
  if (difference !== undefined) throw new ConfigError(`invalid model config: ${difference}`);
  return resolved;
}

/** Returns the path of `key` under `path`: `layers[2]` for an array entry, `attention.window` for a field. */
function childPath(path: string, key: string, inArray: boolean): string {
  if (inArray) return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Finds the first value of `stored` that `resolved` does not contain as is, and describes it.
 * Keys missing from `stored` pass, so configs written before a field with a default existed still load.
 */
function firstDifference(stored: unknown, resolved: unknown, path: string): string | undefined {
  const isContainer = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
  if (isContainer(stored) && isContainer(resolved) && Array.isArray(stored) === Array.isArray(resolved)) {
    const storedLength = Object.keys(stored).length;
    const resolvedLength = Object.keys(resolved).length;
    if (Array.isArray(stored) && storedLength !== resolvedLength) {
      return `${path} has ${storedLength} entries, but the rest of the config resolves it to ${resolvedLength}`;
    }
    for (const [key, value] of Object.entries(stored)) {
      const child = childPath(path, key, Array.isArray(stored));
      if (!(key in resolved)) return `${child} is not a field of a resolved model config`;
      const found = firstDifference(value, resolved[key], child);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Object.is(stored, resolved)) return undefined;
  return `${path} is ${JSON.stringify(stored)}, but the rest of the config resolves it to ${JSON.stringify(resolved)}`;
}
