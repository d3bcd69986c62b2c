// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * Fixed sinusoidal positions (Vaswani et al. 2017, arXiv 1706.03762, section 3.5), added to the
 * embeddings: PE(p, 2i) = sin(p / base^(2i/D)) and PE(p, 2i+1) = cos(p / base^(2i/D)).
 * The paper's sqrt(d_model) scaling of the token embeddings is not part of this plugin.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type ParamSpec, type Params, type PositionManifest, type SlotOptions, type Tensor } from '@archzoo/core';

export interface SinusoidalOptions extends SlotOptions {
  type: 'sinusoidal';
  /** Wavelength base; 10000 in the paper. */
  base: number;
}

const MAX_CACHED_TABLES = 64;
const tableCache = new Map<string, Float32Array>();

/**
 * Returns the [T, D] table of positions start..start+T-1, computed in float64 and cached as a Float32Array
 * (the 64 most recently used tables are kept).
 */
export function sinusoidalTable(seq: number, width: number, start: number, base: number): Float32Array {
  const key = `${seq}|${width}|${start}|${base}`;
  const cached = tableCache.get(key);
  if (cached) {
    tableCache.delete(key);
    tableCache.set(key, cached);
    return cached;
  }
  const table = new Float32Array(seq * width);
  for (let t = 0; t < seq; t++) {
    for (let dim = 0; dim < width; dim++) {
      const pairStart = dim - (dim % 2);
      const angle = (start + t) / Math.pow(base, pairStart / width);
      table[t * width + dim] = dim % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  tableCache.set(key, table);
  if (tableCache.size > MAX_CACHED_TABLES) tableCache.delete(tableCache.keys().next().value as string);
  return table;
}

export const sinusoidal: PositionManifest<SinusoidalOptions> = {
  id: 'sinusoidal',
  kind: 'position',
  contract: CONTRACT_VERSION,
  package: '@archzoo/positional',
  description: 'Fixed sinusoidal position encodings added to the embeddings: sin on even dims, cos on odd dims',
  schema: {
    base: { type: 'number', min: 1, exclusiveMin: true, description: 'wavelength base of p / base^(2i/D)' },
  },
  defaults: { base: 10000 },
  references: ['Vaswani et al. 2017, "Attention Is All You Need", arXiv 1706.03762, section 3.5'],
  params(): ParamSpec[] {
    return [];
  },
  /** x [B, T, D] -> [B, T, D], adding the encodings of positions start..start+T-1. */
  embed(_params: Params, xBTD: Tensor, start: number, options: SinusoidalOptions, _ctx: ApplyContext): Tensor {
    const [, seq, width] = xBTD.shape as number[];
    const table = sinusoidalTable(seq, width, start, options.base);
    return tf.tidy(() => tf.add(xBTD, tf.tensor2d(table, [seq, width])));
  },
};
