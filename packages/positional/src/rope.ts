// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * Rotary position embedding (RoPE, Su et al. 2021): rotates pairs of query and key dimensions by
 * position-dependent angles, so that q.k depends on the relative position only. Supports the
 * half-split pairing of HF transformers (`rotate_half`, GPT-NeoX) and the interleaved pairing of
 * GPT-J and Meta's reference LLaMA code, partial rotary dims, and linear or Llama 3.1 frequency
 * scaling.
 */
import { ArchzooError, CONTRACT_VERSION, tf, type ApplyContext, type Dims, type ParamSpec, type PositionManifest, type SlotOptions, type Tensor } from '@archzoo/core';
import { ropeInverseFrequencies, ropeTables, type RopeScaling } from './rope-tables.js';

export interface RopeOptions extends SlotOptions {
  type: 'rope';
  /** Frequency base: inverse frequencies are theta^(-2i/R). */
  theta: number;
  /** Fraction of each head's dims that is rotated (the first round(K * fraction)); the rest pass through. */
  rotary_fraction: number;
  /** 'half': dim i pairs with i + R/2 (HF rotate_half). 'interleaved': dims 2i and 2i+1 pair (GPT-J, Meta LLaMA). */
  pairing: 'half' | 'interleaved';
  /** 'linear' divides every frequency by scaling_factor; 'llama3' rescales as Llama 3.1, using the four fields below. */
  scaling: 'none' | 'linear' | 'llama3';
  /** Divisor of all frequencies ('linear', 8 on Gemma 3 global layers) or of the low ones ('llama3', 8 in Llama 3.1). */
  scaling_factor?: number;
  /** Llama 3.1 scaling: wavelengths above original_max_position_embeddings / low_freq_factor are scaled fully. */
  low_freq_factor?: number;
  /** Llama 3.1 scaling: wavelengths below original_max_position_embeddings / high_freq_factor are kept. */
  high_freq_factor?: number;
  /** Llama 3.1 scaling: the context length the model was first trained at (8192 in Llama 3.1). */
  original_max_position_embeddings?: number;
}

const SCALING_FIELDS = ['scaling_factor', 'low_freq_factor', 'high_freq_factor', 'original_max_position_embeddings'] as const;

/** Returns the number of rotated dims of a head of `headDim`: round(headDim * rotary_fraction). */
export function rotaryDimOf(options: RopeOptions, headDim: number): number {
  return Math.round(headDim * options.rotary_fraction);
}

function scalingOf(options: RopeOptions): RopeScaling | undefined {
  if (options.scaling === 'none') return undefined;
  if (options.scaling === 'linear') return { type: 'linear', factor: options.scaling_factor as number };
  return {
    type: 'llama3',
    factor: options.scaling_factor as number,
    low_freq_factor: options.low_freq_factor as number,
    high_freq_factor: options.high_freq_factor as number,
    original_max_position_embeddings: options.original_max_position_embeddings as number,
  };
}

function rotaryDimProblem(options: RopeOptions, headDim: number): string | undefined {
  const rotaryDim = rotaryDimOf(options, headDim);
  if (rotaryDim > 0 && rotaryDim % 2 === 0) return undefined;
  return (
    `rope: rotary dimension (${rotaryDim} = head_dim ${headDim} x rotary_fraction ${options.rotary_fraction}) must be even and positive; ` +
    `choose head_dim and rotary_fraction so that round(head_dim * rotary_fraction) is a positive even number`
  );
}

/**
 * Per-dim cos and sin tables [T, K] for positions start..start+T-1: each rotated dim takes the
 * angle of its pair, and pass-through dims (R..K-1) get cos 1 and sin 0.
 */
function fullTables(cosTP: Float32Array, sinTP: Float32Array, seq: number, headDim: number, rotaryDim: number, pairing: RopeOptions['pairing']) {
  const half = rotaryDim / 2;
  const cosTK = new Float32Array(seq * headDim).fill(1);
  const sinTK = new Float32Array(seq * headDim);
  for (let t = 0; t < seq; t++) {
    for (let d = 0; d < rotaryDim; d++) {
      const pair = pairing === 'half' ? d % half : d >> 1;
      cosTK[t * headDim + d] = cosTP[t * half + pair]!;
      sinTK[t * headDim + d] = sinTP[t * half + pair]!;
    }
  }
  return { cosTK, sinTK };
}

/**
 * The signed permutation [K, K] that maps each rotated dim to its partner: (x @ P)[d] is
 * -x[partner] for the first dim of a pair and +x[partner] for the second; pass-through dims map
 * to 0. With it, RoPE is x * cos + (x @ P) * sin: one small matrix product and three elementwise
 * ops, which is much faster than splitting and concatenating halves on the CPU backends.
 */
function partnerMatrix(headDim: number, rotaryDim: number, pairing: RopeOptions['pairing']): Float32Array {
  const half = rotaryDim / 2;
  const matrixKK = new Float32Array(headDim * headDim);
  for (let d = 0; d < rotaryDim; d++) {
    const first = pairing === 'half' ? d < half : d % 2 === 0;
    const offset = pairing === 'half' ? half : 1;
    const partner = first ? d + offset : d - offset;
    matrixKK[partner * headDim + d] = first ? -1 : 1;
  }
  return matrixKK;
}

/** Rotates `x` [B, N, T, K] (N heads) with tables [T, K] and the partner matrix [K, K]. Returns [B, N, T, K]. */
function rotateHeads(x: Tensor, cosTK: Tensor, sinTK: Tensor, partnerKK: Tensor): Tensor {
  const [batch, heads, seq, headDim] = x.shape as [number, number, number, number];
  const partnersBNTK = tf.reshape(tf.matMul(tf.reshape(x, [batch * heads * seq, headDim]), partnerKK), x.shape);
  return tf.add(tf.mul(x, cosTK), tf.mul(partnersBNTK, sinTK));
}

export const rope: PositionManifest<RopeOptions> = {
  id: 'rope',
  kind: 'position',
  contract: CONTRACT_VERSION,
  package: '@archzoo/positional',
  description: 'Rotary position embedding of queries and keys, with half-split or interleaved pairing, partial rotary dims and linear or Llama 3.1 frequency scaling',
  schema: {
    theta: { type: 'number', min: 1, exclusiveMin: true, description: 'frequency base theta of theta^(-2i/R)' },
    rotary_fraction: { type: 'number', min: 0, exclusiveMin: true, max: 1, description: 'fraction of each head dim that is rotated' },
    pairing: { type: 'enum', values: ['half', 'interleaved'], description: "'half': dim i pairs with i + R/2 (HF rotate_half); 'interleaved': dims 2i and 2i+1 (GPT-J, Meta LLaMA)" },
    scaling: { type: 'enum', values: ['none', 'linear', 'llama3'], description: "frequency scaling: 'linear' (needs scaling_factor) or 'llama3' as Llama 3.1 (needs the four scaling fields)" },
    scaling_factor: { type: 'number', min: 1, optional: true, description: "divisor of all frequencies ('linear') or of the low frequencies ('llama3')" },
    low_freq_factor: { type: 'number', min: 0, exclusiveMin: true, optional: true, description: 'Llama 3.1 scaling: low-frequency wavelength boundary is original / low_freq_factor' },
    high_freq_factor: { type: 'number', min: 0, exclusiveMin: true, optional: true, description: 'Llama 3.1 scaling: high-frequency wavelength boundary is original / high_freq_factor' },
    original_max_position_embeddings: { type: 'number', integer: true, min: 1, optional: true, description: 'Llama 3.1 scaling: pre-training context length' },
  },
  defaults: { theta: 10000, rotary_fraction: 1, pairing: 'half', scaling: 'none' },
  references: [
    'Su et al. 2021, "RoFormer: Enhanced Transformer with Rotary Position Embedding", arXiv 2104.09864',
    'huggingface/transformers src/transformers/models/llama/modeling_llama.py, rotate_half and apply_rotary_pos_emb (half pairing)',
    'huggingface/transformers src/transformers/models/gptj/modeling_gptj.py, rotate_every_two (interleaved pairing, partial rotary_dim)',
    'huggingface/transformers src/transformers/modeling_rope_utils.py, _compute_linear_scaling_rope_parameters and _compute_llama3_parameters',
  ],
  validate(options: RopeOptions, dims: Dims): string[] {
    const problems: string[] = [];
    const rotary = rotaryDimProblem(options, dims.head_dim);
    if (rotary) problems.push(rotary);
    const given = SCALING_FIELDS.filter((field) => options[field] !== undefined);
    if (options.scaling === 'llama3') {
      const missing = SCALING_FIELDS.filter((field) => options[field] === undefined);
      if (missing.length) problems.push(`rope: scaling "llama3" needs ${missing.join(', ')}; Llama 3.1 uses scaling_factor 8, low_freq_factor 1, high_freq_factor 4, original_max_position_embeddings 8192`);
      else if ((options.high_freq_factor as number) <= (options.low_freq_factor as number)) {
        problems.push(`rope: high_freq_factor (${options.high_freq_factor}) must be greater than low_freq_factor (${options.low_freq_factor})`);
      }
    } else if (options.scaling === 'linear') {
      if (options.scaling_factor === undefined) problems.push('rope: scaling "linear" needs scaling_factor, the divisor of every frequency (8 on Gemma 3 global layers)');
      const extra = given.filter((field) => field !== 'scaling_factor');
      if (extra.length) problems.push(`rope: ${extra.join(', ')} only apply with scaling "llama3", but scaling is "linear"; remove them`);
    } else if (given.length) {
      problems.push(`rope: ${given.join(', ')} only apply with scaling "linear" or "llama3", but scaling is "none"; set scaling or remove them`);
    }
    return problems;
  },
  params(): ParamSpec[] {
    return [];
  },
  /** q [B, H, T, K], k [B, G, T, K] -> the same shapes, rotated for positions start..start+T-1. */
  rotate(qBHTK: Tensor, kBGTK: Tensor, start: number, options: RopeOptions, _ctx: ApplyContext): [Tensor, Tensor] {
    const headDim = qBHTK.shape[3] as number;
    const problem = rotaryDimProblem(options, headDim);
    if (problem) throw new ArchzooError(problem);
    const rotaryDim = rotaryDimOf(options, headDim);
    const seq = qBHTK.shape[2] as number;
    const scaling = scalingOf(options);
    const key = JSON.stringify([options.theta, rotaryDim, scaling ?? null]);
    const inverse = ropeInverseFrequencies(rotaryDim, options.theta, scaling);
    const tables = ropeTables(key, inverse, seq, start);
    const { cosTK, sinTK } = fullTables(tables.cos, tables.sin, seq, headDim, rotaryDim, options.pairing);
    return tf.tidy(() => {
      const cos = tf.tensor2d(cosTK, [seq, headDim]);
      const sin = tf.tensor2d(sinTK, [seq, headDim]);
      const partner = tf.tensor2d(partnerMatrix(headDim, rotaryDim, options.pairing), [headDim, headDim]);
      return [rotateHeads(qBHTK, cos, sin, partner), rotateHeads(kBGTK, cos, sin, partner)];
    });
  },
};
