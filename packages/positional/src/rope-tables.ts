/**
 * Rotary frequencies and cos/sin tables for RoPE, computed in float64 JavaScript and stored as
 * Float32Arrays. Tables are cached per (frequencies, T, start) because every layer of a forward
 * pass uses the same ones.
 */

/** Llama 3.1 frequency scaling, as HF transformers' `_compute_llama3_parameters`. */
export interface Llama3Scaling {
  type: 'llama3';
  factor: number;
  low_freq_factor: number;
  high_freq_factor: number;
  original_max_position_embeddings: number;
}

/** Linear scaling (position interpolation): every frequency divided by `factor`, as HF's `_compute_linear_scaling_rope_parameters`. */
export interface LinearScaling {
  type: 'linear';
  factor: number;
}

export type RopeScaling = LinearScaling | Llama3Scaling;

/**
 * Computes the inverse frequencies theta^(-2i/R) for i in 0..R/2-1 (Su et al. 2021), optionally
 * rescaled. Linear scaling divides all of them by `factor`. Llama 3.1 scaling divides those with a
 * wavelength above original/low_freq_factor, keeps those below original/high_freq_factor, and
 * interpolates smoothly between.
 */
export function ropeInverseFrequencies(rotaryDim: number, theta: number, scaling?: RopeScaling): Float64Array {
  const half = rotaryDim / 2;
  const inverse = new Float64Array(half);
  for (let i = 0; i < half; i++) inverse[i] = Math.pow(theta, (-2 * i) / rotaryDim);
  if (!scaling) return inverse;
  if (scaling.type === 'linear') {
    for (let i = 0; i < half; i++) inverse[i] /= scaling.factor;
    return inverse;
  }

  const { factor, low_freq_factor: low, high_freq_factor: high, original_max_position_embeddings: original } = scaling;
  const lowFreqWavelength = original / low;
  const highFreqWavelength = original / high;
  for (let i = 0; i < half; i++) {
    const wavelength = (2 * Math.PI) / inverse[i];
    if (wavelength > lowFreqWavelength) {
      inverse[i] /= factor;
    } else if (wavelength >= highFreqWavelength) {
      const smooth = (original / wavelength - low) / (high - low);
      inverse[i] = (1 - smooth) * (inverse[i] / factor) + smooth * inverse[i];
    }
  }
  return inverse;
}

/** cos and sin of position * inverse frequency, row-major [T, R/2], for positions start..start+T-1. */
export interface RopeTables {
  cos: Float32Array;
  sin: Float32Array;
}

const MAX_CACHED_TABLES = 64;
const tableCache = new Map<string, RopeTables>();

/**
 * Returns the cos/sin tables for `seq` positions from `start`. `key` identifies the frequencies (the
 * options they come from); the cache keeps the 64 most recently used tables.
 */
export function ropeTables(key: string, inverse: Float64Array, seq: number, start: number): RopeTables {
  const cacheKey = `${key}|${seq}|${start}`;
  const cached = tableCache.get(cacheKey);
  if (cached) {
    // Re-insert so that Map order is least recently used first.
    tableCache.delete(cacheKey);
    tableCache.set(cacheKey, cached);
    return cached;
  }
  const half = inverse.length;
  const cos = new Float32Array(seq * half);
  const sin = new Float32Array(seq * half);
  for (let t = 0; t < seq; t++) {
    const position = start + t;
    for (let i = 0; i < half; i++) {
      const angle = position * inverse[i];
      cos[t * half + i] = Math.cos(angle);
      sin[t * half + i] = Math.sin(angle);
    }
  }
  const tables = { cos, sin };
  tableCache.set(cacheKey, tables);
  if (tableCache.size > MAX_CACHED_TABLES) tableCache.delete(tableCache.keys().next().value as string);
  return tables;
}
