// Legend: B batch, H heads, T sequence, K head dim (RoPE slices and concatenates along K).
/**
 * Slice, PadV2 (constant padding, the gradient of Slice), SplitV and Concat for float32,
 * each as box copies between row-major tensors.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { floatValues, sizeOf, type NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';

function copyBox(
  addon: NativeAddon,
  src: Float32Array,
  srcShape: readonly number[],
  srcBegin: readonly number[],
  dst: Float32Array,
  dstShape: readonly number[],
  dstBegin: readonly number[],
  size: readonly number[],
): void {
  addon.copyBox(
    src,
    Int32Array.from(srcShape),
    Int32Array.from(srcBegin),
    dst,
    Int32Array.from(dstShape),
    Int32Array.from(dstBegin),
    Int32Array.from(size),
  );
}

/** Reads a number or a number array attribute as a list, or returns null for other values. */
function toNumberList(value: unknown): number[] | null {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.map(Number);
  return null;
}

/** begin/size as tfjs `slice_util.parseSliceParams` reads them: padded to the rank, -1 = to the end. */
function sliceParams(shape: readonly number[], begin: unknown, size: unknown): [number[], number[]] | null {
  const rank = shape.length;
  const beginList = toNumberList(begin);
  const sizeList = size == null ? [] : toNumberList(size);
  if (!beginList || !sizeList) return null;
  const fullBegin = shape.map((_, d) => beginList[d] ?? 0);
  const fullSize = shape.map((dim, d) => {
    const requested = sizeList[d] ?? -1;
    return requested === -1 ? dim - fullBegin[d]! : requested;
  });
  for (let d = 0; d < rank; d++) {
    if (fullBegin[d]! < 0 || fullSize[d]! < 0 || fullBegin[d]! + fullSize[d]! > shape[d]!) return null;
  }
  return [fullBegin, fullSize];
}

export function slice(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x } = args.inputs;
  const values = floatValues(args.backend, x);
  if (!x || !values) return null;
  const params = sliceParams(x.shape, args.attrs.begin, args.attrs.size);
  if (!params) return null;
  const [begin, size] = params;
  const out = new Float32Array(sizeOf(size));
  if (out.length > 0) copyBox(addon, values, x.shape, begin, out, size, size.map(() => 0), size);
  return args.backend.makeTensorInfo(size, 'float32', out);
}

export function padV2(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x } = args.inputs;
  const values = floatValues(args.backend, x);
  const paddings = args.attrs.paddings as Array<[number, number]> | undefined;
  if (!x || !values || !Array.isArray(paddings) || paddings.length !== x.shape.length) return null;
  if (paddings.some(([before, after]) => before < 0 || after < 0)) return null;
  const outShape = x.shape.map((dim, d) => paddings[d]![0] + dim + paddings[d]![1]);
  const out = new Float32Array(sizeOf(outShape));
  const constant = Number(args.attrs.constantValue ?? 0);
  if (constant !== 0) out.fill(constant);
  if (values.length > 0) copyBox(addon, values, x.shape, x.shape.map(() => 0), out, outShape, paddings.map(([before]) => before), x.shape);
  return args.backend.makeTensorInfo(outShape, 'float32', out);
}

/** Split sizes as tfjs `backend_util.prepareSplitSize` computes them, or null when invalid. */
function splitSizes(dim: number, numOrSizeSplits: unknown): number[] | null {
  if (typeof numOrSizeSplits === 'number') {
    if (numOrSizeSplits <= 0 || dim % numOrSizeSplits !== 0) return null;
    return new Array<number>(numOrSizeSplits).fill(dim / numOrSizeSplits);
  }
  if (!Array.isArray(numOrSizeSplits)) return null;
  const sizes = numOrSizeSplits.map(Number);
  const unknown = sizes.filter((s) => s === -1).length;
  if (unknown > 1) return null;
  const known = sizes.reduce((sum, s) => (s === -1 ? sum : sum + s), 0);
  if (unknown === 1) sizes[sizes.indexOf(-1)] = dim - known;
  if (sizes.some((s) => s < 0) || sizes.reduce((a, b) => a + b, 0) !== dim) return null;
  return sizes;
}

export function splitV(args: NativeKernelArgs, addon: NativeAddon): TensorInfo[] | null {
  const { x } = args.inputs;
  const values = floatValues(args.backend, x);
  if (!x || !values || x.shape.length === 0) return null;
  const rank = x.shape.length;
  let axis = Number(args.attrs.axis ?? 0);
  if (axis < 0) axis += rank;
  if (!(axis >= 0 && axis < rank)) return null;
  const sizes = splitSizes(x.shape[axis]!, args.attrs.numOrSizeSplits);
  if (!sizes) return null;

  const outputs: TensorInfo[] = [];
  let offset = 0;
  for (const part of sizes) {
    const shape = x.shape.map((dim, d) => (d === axis ? part : dim));
    const begin = x.shape.map((_, d) => (d === axis ? offset : 0));
    const out = new Float32Array(sizeOf(shape));
    if (out.length > 0) copyBox(addon, values, x.shape, begin, out, shape, shape.map(() => 0), shape);
    outputs.push(args.backend.makeTensorInfo(shape, 'float32', out));
    offset += part;
  }
  return outputs;
}

export function concat(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const tensors = Object.keys(args.inputs)
    .sort((p, q) => Number(p) - Number(q))
    .map((key) => args.inputs[key]!);
  if (tensors.length === 0) return null;
  const rank = tensors[0]!.shape.length;
  if (rank === 0) return null;
  let axis = Number(args.attrs.axis ?? 0);
  if (axis < 0) axis += rank;
  if (!(axis >= 0 && axis < rank)) return null;

  const parts: Array<{ info: TensorInfo; values: Float32Array }> = [];
  for (const info of tensors) {
    const values = floatValues(args.backend, info);
    if (!values || info.shape.length !== rank) return null;
    if (info.shape.some((dim, d) => d !== axis && dim !== tensors[0]!.shape[d])) return null;
    parts.push({ info, values });
  }
  const outShape = tensors[0]!.shape.map((dim, d) => (d === axis ? parts.reduce((sum, p) => sum + p.info.shape[axis]!, 0) : dim));
  const out = new Float32Array(sizeOf(outShape));
  let offset = 0;
  for (const { info, values } of parts) {
    const begin = outShape.map((_, d) => (d === axis ? offset : 0));
    if (values.length > 0) copyBox(addon, values, info.shape, info.shape.map(() => 0), out, outShape, begin, info.shape);
    offset += info.shape[axis]!;
  }
  return args.backend.makeTensorInfo(outShape, 'float32', out);
}
