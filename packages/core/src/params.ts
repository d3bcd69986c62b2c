/**
 * The model's parameter table: full stable names (`layers.3.attn.q_proj.weight`), shapes, init
 * and weight-decay flags, all from the resolved config. Checkpoints, weight-decay groups and
 * name maps to other formats are plain tables over these names.
 */
import type { ResolvedConfig } from './config.js';
import type { Registry } from './registry.js';
import { hashString, Rng } from './rng.js';
import type { ParamSpec } from './spec.js';
import { tf, type Tensor } from './tf.js';

/** Returns the names of a layer's norms under the config's placement and layout. */
export function layerNormNames(config: ResolvedConfig): string[] {
  const { placement, layout } = config.block;
  if (layout !== 'serial') return layout === 'parallel_shared_norm' ? ['attn_norm'] : ['attn_norm', 'ffn_norm'];
  switch (placement) {
    case 'pre':
    case 'post':
      return ['attn_norm', 'ffn_norm'];
    case 'sandwich':
      return ['attn_norm', 'attn_post_norm', 'ffn_norm', 'ffn_post_norm'];
    case 'reordered':
      return ['attn_post_norm', 'ffn_post_norm'];
  }
}

function scoped(prefix: string, specs: ParamSpec[]): ParamSpec[] {
  return specs.map((spec) => ({ ...spec, name: `${prefix}.${spec.name}` }));
}

/** Lists every parameter of the model, in a fixed order. */
export function modelParamSpecs(config: ResolvedConfig, registry: Registry): ParamSpec[] {
  const { dims } = config;
  const normManifest = registry.get('norm', config.norm.type);
  const norm = (prefix: string) => scoped(prefix, normManifest.params(config.norm, dims, dims.d_model));
  const specs: ParamSpec[] = [
    { name: 'embed.weight', shape: [dims.vocab_size, dims.d_model], init: { kind: 'normal', std: config.embedding_init_std }, decay: true },
  ];
  specs.push(...scoped('position', registry.get('position', config.position.type).params(config.position, dims)));
  if (config.block.embedding_norm) specs.push(...norm('embed_norm'));

  config.layers.forEach((slots, i) => {
    const prefix = `layers.${i}`;
    for (const name of layerNormNames(config)) specs.push(...norm(`${prefix}.${name}`));
    specs.push(...scoped(`${prefix}.attn`, registry.get('attention', slots.attention.type).params(slots.attention, dims)));
    specs.push(...scoped(`${prefix}.ffn`, registry.get('ffn', slots.ffn.type).params(slots.ffn, dims)));
    for (const options of config.stability) {
      specs.push(...scoped(`${prefix}.stability.${options.type}`, registry.get('stability', options.type).params(options, dims)));
    }
  });

  if (config.block.final_norm) specs.push(...norm('final_norm'));
  if (!config.tie_embeddings) specs.push({ name: 'lm_head.weight', shape: [dims.d_model, dims.vocab_size], init: { kind: 'normal' }, decay: true });

  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new Error(`parameter name ${spec.name} is produced twice; a plugin returned duplicate names`);
    seen.add(spec.name);
  }
  return specs;
}

/** Total parameter count from the config alone. */
export function countParams(specs: readonly ParamSpec[]): number {
  return specs.reduce((total, spec) => total + spec.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Initial values of one parameter. Each parameter draws from its own generator, seeded by the run
 * seed and its name, so adding a parameter never changes the others.
 */
export function initialValues(spec: ParamSpec, config: ResolvedConfig, seed: number): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  switch (spec.init.kind) {
    case 'zeros':
      return new Float32Array(size);
    case 'ones':
      return new Float32Array(size).fill(1);
    case 'constant':
      return new Float32Array(size).fill(spec.init.value);
    case 'normal': {
      const base = spec.init.std ?? config.init_std;
      // GPT-2 scales the init of projections that write into the residual stream by 1/sqrt(2L).
      const std = spec.init.residual ? base / Math.sqrt(2 * config.dims.n_layers) : base;
      return new Rng(hashString(spec.name, seed)).normalArray(size, std);
    }
  }
}

/** Builds every parameter as a tf.Variable named by its stable name. */
export function initParams(specs: readonly ParamSpec[], config: ResolvedConfig, seed: number): Map<string, tf.Variable> {
  const params = new Map<string, tf.Variable>();
  for (const spec of specs) {
    const values = tf.tensor(initialValues(spec, config, seed), spec.shape, 'float32');
    params.set(spec.name, tf.variable(values, true));
    values.dispose();
  }
  return params;
}

/** Returns the parameters under `prefix.`, keyed by their names relative to it. */
export function scopeParams(params: ReadonlyMap<string, Tensor>, prefix: string): Record<string, Tensor> {
  const scope: Record<string, Tensor> = {};
  const start = `${prefix}.`;
  for (const [name, tensor] of params) if (name.startsWith(start)) scope[name.slice(start.length)] = tensor;
  return scope;
}
