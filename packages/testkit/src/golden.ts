// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * Golden fixtures: inputs, parameters and expected outputs computed by an independent
 * implementation (a numpy or plain-JS script committed beside the fixture), compared with the
 * plugin's float32 output within a stated tolerance.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tf, type Dims, type SlotOptions, type Tensor } from '@archzoo/core';

/** A tensor as JSON: row-major values. */
export interface TensorData {
  shape: number[];
  data: number[];
}

/** Accepted error |actual - expected| <= atol + rtol * |expected|, per element. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * Default golden tolerance for a float32 forward pass against a float64 reference on values of
 * order one: a few float32 roundings per element give errors near 1e-6, well inside 1e-5 + 1e-4|x|.
 */
export const FLOAT32_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-4 };

export interface GoldenCase {
  name: string;
  /** Manifest method: "apply" (the default for norm, ffn, attention), "embed", "rotate", "bias", or a stability hook. */
  call?: string;
  /** Plugin options; merged over the manifest's defaults. */
  options?: Record<string, unknown>;
  /** Dimensions merged over the kit's small test dims. */
  dims?: Partial<Dims>;
  /** Absolute position of the first query (positions and attention). Default 0. */
  start?: number;
  /** Float inputs by the exercise's input names (x; q, k; logits, ...). */
  inputs?: Record<string, TensorData>;
  /** Fixed non-differentiated inputs (a stability loss's `weight`). */
  constants?: Record<string, TensorData>;
  /** The plugin's parameters by relative name; every declared parameter must be present. */
  params?: Record<string, TensorData>;
  /** Expected outputs by the exercise's output names (y; x; q, k; bias; ...). */
  expected: Record<string, TensorData>;
  /** Attention only: the position scheme's options and parameters. */
  position?: { options: SlotOptions; params?: Record<string, TensorData> };
  tolerance?: Partial<Tolerance>;
}

export interface GoldenFixture {
  /** The committed script that wrote this file, relative to the fixture. */
  generator: string;
  /** The formula the generator implements and its source (paper, reference code). */
  source: string;
  tolerance?: Partial<Tolerance>;
  cases: GoldenCase[];
}

/** Reads a fixture from a path or file URL, or passes an already-loaded fixture through. */
export function loadFixture(fixture: string | URL | GoldenFixture): GoldenFixture {
  if (typeof fixture === 'object' && !(fixture instanceof URL)) return fixture;
  const path = fixture instanceof URL ? fileURLToPath(fixture) : fixture;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as GoldenFixture;
  if (!Array.isArray(parsed.cases) || typeof parsed.generator !== 'string') {
    throw new Error(`${path} is not a golden fixture: expected an object with "generator", "source" and a "cases" list`);
  }
  return parsed;
}

/** A float32 tensor from fixture data; the caller disposes it. */
export function tensorFromData(data: TensorData): Tensor {
  const size = data.shape.reduce((product, extent) => product * extent, 1);
  if (size !== data.data.length) throw new Error(`fixture tensor has shape [${data.shape}] (${size} values) but ${data.data.length} values`);
  return tf.tensor(data.data, data.shape, 'float32');
}

/**
 * Throws unless `actual` matches `expected` in shape and, element by element, within `tolerance`.
 * The message names the worst element, both values and the tolerance.
 */
export function expectClose(actual: Tensor, expected: TensorData, tolerance: Tolerance, label: string): void {
  if (actual.shape.length !== expected.shape.length || actual.shape.some((extent, i) => extent !== expected.shape[i])) {
    throw new Error(`${label}: shape [${actual.shape}] differs from the expected [${expected.shape}]`);
  }
  const values = actual.dataSync();
  let worst = -1;
  let worstExcess = 0;
  let mismatches = 0;
  for (let i = 0; i < values.length; i++) {
    const allowed = tolerance.atol + tolerance.rtol * Math.abs(expected.data[i]);
    const error = Math.abs(values[i] - expected.data[i]);
    if (!(error <= allowed)) {
      mismatches++;
      const excess = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error / allowed;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (mismatches > 0) {
    throw new Error(
      `${label}: ${mismatches} of ${values.length} values outside atol ${tolerance.atol} + rtol ${tolerance.rtol}; ` +
        `worst at flat index ${worst}: got ${values[worst]}, expected ${expected.data[worst]}`,
    );
  }
}
