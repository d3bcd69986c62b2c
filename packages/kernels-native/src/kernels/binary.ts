// Legend: shapes are any rank; operands broadcast numpy-style to the output shape.
/**
 * Broadcasting float32 binary kernels: Add, Sub, Multiply, RealDiv, Maximum, Minimum and
 * SquaredDifference, with the stock formulas (Maximum/Minimum propagate NaN like Math.max),
 * and the comparisons Equal, NotEqual, Greater, GreaterEqual, Less and LessEqual, which
 * return bool tensors.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { broadcastShape, broadcastStrides } from '../broadcast.js';
import { floatValues, sizeOf, type NativeKernelArgs, type NativeKernelImpl } from '../cpu-backend.js';
import { BinaryOp, type BinaryOpCode, type NativeAddon } from '../native-binding.js';
import { uninitializedFloat32 } from '../alloc.js';

/**
 * Writes op(a, b) broadcast to `outShape` into `out`. `out` may alias `a` when `a` already
 * has `outShape`, because each output element depends only on the same-index input.
 */
export function binaryInto(
  addon: NativeAddon,
  op: BinaryOpCode,
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  out: Float32Array | Uint8Array,
  outShape: readonly number[],
): void {
  addon.binary(
    op,
    a,
    broadcastStrides(aShape, outShape),
    b,
    broadcastStrides(bShape, outShape),
    out,
    Int32Array.from(outShape),
  );
}

function binaryKernel(op: BinaryOpCode): NativeKernelImpl {
  const isComparison = op >= BinaryOp.Equal;
  return (args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null => {
    const { a, b } = args.inputs;
    const aValues = floatValues(args.backend, a);
    const bValues = floatValues(args.backend, b);
    if (!a || !b || !aValues || !bValues) return null;
    const outShape = broadcastShape(a.shape, b.shape);
    if (!outShape) return null;
    const size = sizeOf(outShape);
    const out = isComparison ? new Uint8Array(size) : uninitializedFloat32(size);
    if (size > 0) binaryInto(addon, op, aValues, a.shape, bValues, b.shape, out, outShape);
    return args.backend.makeTensorInfo(outShape, isComparison ? 'bool' : 'float32', out);
  };
}

/** AddN: the elementwise sum of same-shape tensors, accumulated left to right in float32 like the stock kernel. */
function addN(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const tensors = Object.keys(args.inputs)
    .sort((p, q) => Number(p) - Number(q))
    .map((key) => args.inputs[key]!);
  if (tensors.length < 2) return null;
  const shape = tensors[0]!.shape;
  const values: Float32Array[] = [];
  for (const info of tensors) {
    const data = floatValues(args.backend, info);
    if (!data || info.shape.length !== shape.length || info.shape.some((dim, d) => dim !== shape[d])) return null;
    values.push(data);
  }
  const out = new Float32Array(sizeOf(shape));
  if (out.length > 0) {
    binaryInto(addon, BinaryOp.Add, values[0]!, shape, values[1]!, shape, out, shape);
    for (const next of values.slice(2)) binaryInto(addon, BinaryOp.Add, out, shape, next, shape, out, shape);
  }
  return args.backend.makeTensorInfo(shape, 'float32', out);
}

/** Kernel name -> native body, for every binary kernel this package replaces. */
export const binaryKernels: Record<string, NativeKernelImpl> = {
  Add: binaryKernel(BinaryOp.Add),
  Sub: binaryKernel(BinaryOp.Sub),
  Multiply: binaryKernel(BinaryOp.Mul),
  RealDiv: binaryKernel(BinaryOp.Div),
  Maximum: binaryKernel(BinaryOp.Max),
  Minimum: binaryKernel(BinaryOp.Min),
  SquaredDifference: binaryKernel(BinaryOp.SquaredDiff),
  Equal: binaryKernel(BinaryOp.Equal),
  NotEqual: binaryKernel(BinaryOp.NotEqual),
  Greater: binaryKernel(BinaryOp.Greater),
  GreaterEqual: binaryKernel(BinaryOp.GreaterEqual),
  Less: binaryKernel(BinaryOp.Less),
  LessEqual: binaryKernel(BinaryOp.LessEqual),
  AddN: addN,
};
