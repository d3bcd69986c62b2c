/**
 * Finite-difference gradient checks for tfjs functions. The analytic gradient comes from
 * `tf.grads`. The numeric one comes from central differences of the same float32 forward pass,
 * with the differences and sums taken in float64 JavaScript arithmetic.
 */
import { Rng, hashString, tf, type Tensor } from '@archzoo/core';
import { sizeOf } from './params.js';

export interface GradCheckOptions {
  /**
   * Central-difference step. Default 5e-3: float32 rounding in the forward pass contributes an
   * error of about 1e-7 * |loss| / eps (~1e-4 here), truncation about eps^2 * f''' / 6 (~1e-5).
   */
  eps?: number;
  /**
   * Largest accepted relative L2 error over the probed entries of one input,
   * |numeric - analytic| / max(|numeric|, |analytic|, floor). Default 1e-2: ten times the combined
   * float32 noise above, while a wrong gradient (a missing term, a sign or a transposition) is off
   * by order one.
   */
  rtol?: number;
  /** Gradient norm below which the error is measured absolutely instead. Default 1e-3. */
  floor?: number;
  /** Entries probed per input, chosen by a seeded draw; inputs this small or smaller are probed fully. Default 24. */
  maxProbes?: number;
  /** Seed of the output projection and of the probe choice. Default 0. */
  seed?: number;
  /** Input names used in messages; default `input 0`, `input 1`, ... */
  names?: readonly string[];
}

export interface GradCheckEntry {
  name: string;
  /** Relative L2 error over the probed entries. */
  relError: number;
  analyticNorm: number;
  numericNorm: number;
  probes: number;
}

/** Output(s) of a function under test: one tensor or a list of tensors. */
export type GradCheckOutput = Tensor | readonly Tensor[];

function asList(output: GradCheckOutput): readonly Tensor[] {
  return Array.isArray(output) ? output : [output as Tensor];
}

function probeIndices(size: number, maxProbes: number, rng: Rng): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (size <= maxProbes) return all;
  return rng.shuffle(all).slice(0, maxProbes).sort((a, b) => a - b);
}

/**
 * Checks the gradients of `fn` with respect to every tensor of `inputs` against central finite
 * differences. The scalar being differentiated is sum_j <output_j, r_j> with fixed seeded normal
 * projections r_j, so every output element contributes. Throws an `Error` naming each input whose
 * relative error exceeds `rtol`; returns the per-input errors otherwise. All inputs must be
 * float32, and `fn` must not dispose them.
 */
export function gradCheck(fn: (...inputs: Tensor[]) => GradCheckOutput, inputs: readonly Tensor[], options: GradCheckOptions = {}): GradCheckEntry[] {
  const eps = options.eps ?? 5e-3;
  const rtol = options.rtol ?? 1e-2;
  const floor = options.floor ?? 1e-3;
  const maxProbes = options.maxProbes ?? 24;
  // A stream of its own: projections equal to the inputs (both drawn from Rng(seed)) would make
  // the gradient of a scale-invariant function such as LayerNorm vanish exactly.
  const rng = new Rng(hashString('gradCheck', options.seed ?? 0));
  const names = inputs.map((_, i) => options.names?.[i] ?? `input ${i}`);
  for (const [i, input] of inputs.entries()) {
    if (input.dtype !== 'float32') throw new Error(`gradCheck: ${names[i]} has dtype ${input.dtype}; only float32 inputs can be differentiated`);
  }

  // Projections are drawn from the output shapes of one plain forward pass.
  const outputShapes = tf.tidy(() => asList(fn(...inputs)).map((output) => output.shape));
  // Float32 draws widened to float64, so both sides of the comparison use identical projections.
  const projections32 = outputShapes.map((shape) => rng.normalArray(sizeOf(shape), 1));
  const projections = projections32.map((values) => Float64Array.from(values));

  const loss = (...xs: Tensor[]): Tensor => {
    const outputs = asList(fn(...xs));
    const terms = outputs.map((output, j) => tf.sum(tf.mul(output, tf.tensor(projections32[j], output.shape, 'float32'))));
    return terms.length === 1 ? terms[0] : tf.addN(terms);
  };
  const lossFloat64 = (xs: Tensor[]): number =>
    tf.tidy(() => {
      const outputs = asList(fn(...xs));
      let total = 0;
      outputs.forEach((output, j) => {
        const values = output.dataSync();
        const projection = projections[j];
        for (let e = 0; e < values.length; e++) total += values[e] * projection[e];
      });
      return total;
    });

  const analytic = tf.tidy(() => tf.grads(loss)([...inputs]).map((grad) => grad.dataSync().slice()));

  const entries: GradCheckEntry[] = [];
  const failures: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const base = input.dataSync().slice() as Float32Array;
    const probes = probeIndices(base.length, maxProbes, rng);
    let diffSq = 0;
    let analyticSq = 0;
    let numericSq = 0;
    let worst = { index: -1, numeric: 0, analytic: 0 };
    for (const index of probes) {
      const plus = Math.fround(base[index] + eps);
      const minus = Math.fround(base[index] - eps);
      const evaluate = (value: number): number => {
        const data = base.slice();
        data[index] = value;
        const perturbed = tf.tensor(data, input.shape, 'float32');
        const xs = inputs.map((x, k) => (k === i ? perturbed : x));
        const total = lossFloat64(xs);
        perturbed.dispose();
        return total;
      };
      const numeric = (evaluate(plus) - evaluate(minus)) / (plus - minus);
      const exact = analytic[i][index];
      const diff = numeric - exact;
      diffSq += diff * diff;
      analyticSq += exact * exact;
      numericSq += numeric * numeric;
      if (worst.index < 0 || Math.abs(diff) > Math.abs(worst.numeric - worst.analytic)) worst = { index, numeric, analytic: exact };
    }
    const analyticNorm = Math.sqrt(analyticSq);
    const numericNorm = Math.sqrt(numericSq);
    const relError = Math.sqrt(diffSq) / Math.max(analyticNorm, numericNorm, floor);
    entries.push({ name: names[i], relError, analyticNorm, numericNorm, probes: probes.length });
    if (!(relError <= rtol)) {
      failures.push(
        `${names[i]}: relative error ${relError.toExponential(2)} > ${rtol} over ${probes.length} entries ` +
          `(|analytic| ${analyticNorm.toExponential(3)}, |numeric| ${numericNorm.toExponential(3)}; ` +
          `worst flat index ${worst.index}: analytic ${worst.analytic.toExponential(4)}, numeric ${worst.numeric.toExponential(4)})`,
      );
    }
  }
  if (failures.length) throw new Error(`gradient check failed (eps ${eps}): ${failures.join('; ')}`);
  return entries;
}
