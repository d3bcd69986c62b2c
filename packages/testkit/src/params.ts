// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * Parameter helpers for tests: build tensors from a plugin's `ParamSpec`s with a seeded `Rng`,
 * count parameters, and draw random input tensors.
 */
import { Rng, tf, type Dims, type ParamSpec, type Params, type Tensor } from '@archzoo/core';

export interface BuildParamsOptions {
  /** Standard deviation of `normal` inits that give none (a model config's `init_std`). Default 0.02. */
  initStd?: number;
  /** Number of layers, for the GPT-2 residual scaling std / sqrt(2 * n_layers) of `residual` inits. */
  nLayers?: number;
  /**
   * Standard deviation of normal noise added to every parameter after init. Tests use it so that
   * structured inits (ones, zeros) cannot hide a wrong formula; default 0 (exact init).
   */
  jitter?: number;
}

/** Number of elements of a shape; a scalar `[]` has one. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, extent) => product * extent, 1);
}

/** Total number of scalars the specs describe. */
export function countParams(specs: readonly ParamSpec[]): number {
  return specs.reduce((total, spec) => total + sizeOf(spec.shape), 0);
}

/**
 * Builds one tensor per spec, keyed by the spec's relative name, drawing from `rng` in spec
 * order. The caller owns (and disposes) the returned tensors.
 */
export function buildParams(specs: readonly ParamSpec[], rng: Rng, options: BuildParamsOptions = {}): Record<string, Tensor> {
  const initStd = options.initStd ?? 0.02;
  const jitter = options.jitter ?? 0;
  const params: Record<string, Tensor> = {};
  for (const spec of specs) {
    const size = sizeOf(spec.shape);
    let values: Float32Array;
    switch (spec.init.kind) {
      case 'normal': {
        let std = spec.init.std ?? initStd;
        if (spec.init.residual && options.nLayers) std /= Math.sqrt(2 * options.nLayers);
        values = rng.normalArray(size, std);
        break;
      }
      case 'zeros':
        values = new Float32Array(size);
        break;
      case 'ones':
        values = new Float32Array(size).fill(1);
        break;
      case 'constant':
        values = new Float32Array(size).fill(spec.init.value);
        break;
    }
    if (jitter > 0) {
      const noise = rng.normalArray(size, jitter);
      for (let i = 0; i < size; i++) values[i] += noise[i];
    }
    params[spec.name] = tf.tensor(values, spec.shape, 'float32');
  }
  return params;
}

/** Disposes every tensor of a params record. */
export function disposeParams(params: Params): void {
  for (const tensor of Object.values(params)) tensor.dispose();
}

/** Draws a float32 tensor of normal values with standard deviation `std` (default 1). */
export function randomTensor(shape: readonly number[], rng: Rng, std = 1): Tensor {
  return tf.tensor(rng.normalArray(sizeOf(shape), std), [...shape], 'float32');
}

/**
 * Small model dimensions for plugin tests, with `overrides` merged on top. `head_dim` follows
 * d_model / n_heads unless given.
 */
export function testDims(overrides: Partial<Dims> = {}): Dims {
  const d_model = overrides.d_model ?? 16;
  const n_heads = overrides.n_heads ?? 4;
  return {
    vocab_size: 32,
    n_layers: 2,
    n_kv_heads: overrides.n_kv_heads ?? Math.max(1, n_heads / 2),
    d_ff: 32,
    context_length: 16,
    ...overrides,
    d_model,
    n_heads,
    head_dim: overrides.head_dim ?? d_model / n_heads,
  };
}
