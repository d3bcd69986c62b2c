// Legend: shapes are any rank; "kept" and "reduced" name the flattened non-reduced and reduced extents.
/**
 * Sum, Mean, Max and Min over any set of axes. Reductions over the innermost or outermost
 * axes read the input in place. Other axis sets are first transposed so that the reduced axes
 * come last, as the stock cpu kernels do. Sums accumulate in double like the stock loops.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { floatValues, sizeOf, type NativeKernelArgs, type NativeKernelImpl } from '../cpu-backend.js';
import { ReduceOp, type NativeAddon, type ReduceOpCode } from '../native-binding.js';
import { transposeValues } from './transpose.js';

/** Sorted, unique, non-negative axes, or null when an axis is out of range. */
function parseAxes(axis: unknown, rank: number): number[] | null {
  if (axis == null) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const axes = new Set<number>();
  for (const value of list) {
    const index = Number(value);
    if (!Number.isInteger(index) || index < -rank || index >= rank) return null;
    axes.add(index < 0 ? index + rank : index);
  }
  return [...axes].sort((p, q) => p - q);
}

function reduceKernel(op: ReduceOpCode, axisAttr: 'axis' | 'reductionIndices'): NativeKernelImpl {
  return (args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null => {
    const { x } = args.inputs;
    const values = floatValues(args.backend, x);
    if (!x || !values || values.length === 0) return null;
    const rank = x.shape.length;
    const axes = parseAxes(args.attrs[axisAttr], rank);
    if (!axes || axes.length === 0) return null;

    const isReduced = (d: number) => axes.includes(d);
    const keptDims = x.shape.filter((_, d) => !isReduced(d));
    const outShape = args.attrs.keepDims ? x.shape.map((dim, d) => (isReduced(d) ? 1 : dim)) : keptDims;
    const kept = sizeOf(keptDims);
    const reduced = values.length / kept;
    const out = new Float32Array(kept);

    const trailing = axes.every((axis, i) => axis === rank - axes.length + i);
    const leading = axes.every((axis, i) => axis === i);
    if (trailing) {
      addon.reduceInner(op, values, out, kept, reduced);
    } else if (leading) {
      addon.reduceOuter(op, values, out, reduced, kept);
    } else {
      const perm = [...x.shape.keys()].filter((d) => !isReduced(d)).concat(axes);
      const permuted = transposeValues(addon, values, x.shape, perm);
      addon.reduceInner(op, permuted, out, kept, reduced);
    }
    return args.backend.makeTensorInfo(outShape, 'float32', out);
  };
}

/** Kernel name -> native body, for the reductions this package replaces. */
export const reduceKernels: Record<string, NativeKernelImpl> = {
  Sum: reduceKernel(ReduceOp.Sum, 'axis'),
  Mean: reduceKernel(ReduceOp.Mean, 'axis'),
  Max: reduceKernel(ReduceOp.Max, 'reductionIndices'),
  Min: reduceKernel(ReduceOp.Min, 'axis'),
};
