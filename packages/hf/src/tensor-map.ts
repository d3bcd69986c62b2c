/**
 * Moves tensors between an HF checkpoint and archzoo's stable names: every archzoo parameter is
 * looked up through its family's `hfTensor`, checked against the shape the config implies, and
 * transposed or cut out of a fused tensor as needed. Export runs the same table backwards.
 */
import { CheckpointError, firstNonFiniteIndex, type ParamSpec, type TensorValues } from '@archzoo/core';

import type { Family, HfTensorRef } from './family.js';

/** A tensor as float32 values with its shape. */
export interface TensorData {
  shape: readonly number[];
  data: Float32Array;
}

/** Transposes a row-major [rows, cols] matrix. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  }
  return out;
}

/** Computes the shape the HF checkpoint stores for an archzoo parameter of shape `shape`. */
function hfShapeOf(ref: HfTensorRef, shape: readonly number[]): number[] {
  const stored = [...shape];
  if (ref.part) stored[stored.length - 1]! *= ref.part.count;
  return ref.transpose && stored.length === 2 ? stored.reverse() : stored;
}

/** Cuts part `index` of `count` equal parts out of the last axis of a tensor. */
function sliceLastAxis(tensor: TensorData, index: number, count: number): Float32Array {
  const last = tensor.shape[tensor.shape.length - 1]!;
  const width = last / count;
  const rows = tensor.data.length / last;
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(tensor.data.subarray(r * last + index * width, r * last + (index + 1) * width), r * width);
  return out;
}

/** Strips a family's optional name prefix when the checkpoint uses it. */
function withoutPrefix(family: Family, tensors: ReadonlyMap<string, TensorData>): Map<string, TensorData> {
  const prefix = family.optionalPrefix;
  if (!prefix || ![...tensors.keys()].some((name) => name.startsWith(prefix))) return new Map(tensors);
  return new Map([...tensors].map(([name, tensor]) => [name.startsWith(prefix) ? name.slice(prefix.length) : name, tensor]));
}

/**
 * Builds archzoo parameters from HF tensors. Raises a one-line CheckpointError for a missing
 * tensor, a shape that differs from the one config.json implies, a NaN or Infinity in a used
 * tensor, or a tensor nothing uses
 * (`lm_head.weight` is allowed and skipped when embeddings are tied).
 */
export function importTensors(
  family: Family,
  specs: readonly ParamSpec[],
  hfTensors: ReadonlyMap<string, TensorData>,
  label: string,
  tied: boolean,
): Map<string, TensorValues> {
  const tensors = withoutPrefix(family, hfTensors);
  const used = new Set<string>();
  const params = new Map<string, TensorValues>();
  for (const spec of specs) {
    const ref = family.hfTensor(spec.name);
    const expected = hfShapeOf(ref, spec.shape);
    const tensor = tensors.get(ref.name);
    if (tensor === undefined) {
      throw new CheckpointError(`${label}: missing tensor ${ref.name} of shape [${expected}] (archzoo ${spec.name}); check that the weights match config.json`);
    }
    const sameShape = tensor.shape.length === expected.length && tensor.shape.every((dim, i) => dim === expected[i]);
    if (!sameShape) {
      throw new CheckpointError(
        `${label}: tensor ${ref.name} has shape [${tensor.shape}] but config.json implies [${expected}] (archzoo ${spec.name}); check that the weights match config.json`,
      );
    }
    if (!used.has(ref.name)) {
      // Checked once per HF tensor, because a fused tensor feeds several archzoo parameters.
      const bad = firstNonFiniteIndex(tensor.data);
      if (bad !== -1) {
        throw new CheckpointError(`${label}: tensor ${ref.name} contains ${tensor.data[bad]} at index ${bad}; the file is corrupt, so download or export it again`);
      }
    }
    used.add(ref.name);
    let data = ref.part ? sliceLastAxis(tensor, ref.part.index, ref.part.count) : tensor.data;
    if (ref.transpose && expected.length === 2) data = transpose2d(data, expected[0]!, expected[1]!);
    params.set(spec.name, { shape: [...spec.shape], data });
  }
  for (const name of tensors.keys()) {
    if (used.has(name) || family.ignored?.test(name) || (tied && name === 'lm_head.weight')) continue;
    throw new CheckpointError(`${label}: unexpected tensor ${name}, which the model described by config.json does not use; check that the weights match config.json`);
  }
  return params;
}

/**
 * Returns the name export writes for an HF tensor: the family's `optionalPrefix`, when it has one,
 * goes before every name but the LM head's, which sits outside the base model.
 */
function exportedName(family: Family, name: string): string {
  const prefix = family.optionalPrefix;
  if (prefix === undefined || name === family.hfTensor('lm_head.weight').name) return name;
  return `${prefix}${name}`;
}

/**
 * Builds HF tensors from archzoo parameters, the inverse of `importTensors`: transposes back,
 * joins fused parts along the last axis and adds the family's optional prefix. Tensors come out
 * in the order of `specs`.
 */
export function exportTensors(family: Family, specs: readonly ParamSpec[], params: ReadonlyMap<string, TensorData>): Map<string, TensorValues> {
  const groups = new Map<string, { shape: number[]; parts: Float32Array[] }>();
  for (const spec of specs) {
    const values = params.get(spec.name);
    if (values === undefined) throw new CheckpointError(`missing parameter ${spec.name}; pass every parameter the config builds`);
    const hfRef = family.hfTensor(spec.name);
    const ref = { ...hfRef, name: exportedName(family, hfRef.name) };
    const shape = hfShapeOf(ref, spec.shape);
    const data = ref.transpose && spec.shape.length === 2 ? transpose2d(values.data, spec.shape[0]!, spec.shape[1]!) : values.data;
    const group = groups.get(ref.name) ?? { shape, parts: [] };
    group.parts[ref.part?.index ?? 0] = data;
    groups.set(ref.name, group);
  }
  const out = new Map<string, TensorValues>();
  for (const [name, { shape, parts }] of groups) {
    if (parts.length === 1) {
      out.set(name, { shape, data: parts[0]! });
      continue;
    }
    const last = shape[shape.length - 1]!;
    const width = last / parts.length;
    const rows = parts[0]!.length / width;
    const data = new Float32Array(rows * last);
    parts.forEach((part, index) => {
      for (let r = 0; r < rows; r++) data.set(part.subarray(r * width, (r + 1) * width), r * last + index * width);
    });
    out.set(name, { shape, data });
  }
  return out;
}
