// Legend: V rows of the table (vocabulary), D row width, B batch, T sequence.
/**
 * GatherV2 (embedding lookup) for float32 params and int32 indices, with `axis` and
 * `batchDims` as in tfjs `collectGatherOpShapeInfo`. An out-of-range index hands the call
 * to the stock kernel, which raises its usual error.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { floatValues, intValues, sizeOf, type NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';

/** Gathers rows along `axis`: an embedding lookup is table [V, D] with ids [B, T] -> [B, T, D]. */
export function gatherV2(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x, indices } = args.inputs;
  const xValues = floatValues(args.backend, x);
  const indexValues = intValues(args.backend, indices);
  if (!x || !indices || !xValues || !indexValues) return null;

  const xRank = x.shape.length;
  const indicesRank = indices.shape.length;
  let axis = Number(args.attrs.axis ?? 0);
  if (axis < 0) axis += xRank;
  let batchDims = Number(args.attrs.batchDims ?? 0);
  if (batchDims < 0) batchDims += indicesRank;
  if (axis < 0 || axis >= xRank || batchDims < 0 || batchDims > axis || batchDims > indicesRank) return null;
  for (let i = 0; i < batchDims; i++) if (x.shape[i] !== indices.shape[i]) return null;

  const batch = sizeOf(x.shape.slice(0, batchDims));
  const outer = sizeOf(x.shape.slice(batchDims, axis));
  const dim = x.shape[axis]!;
  const slice = sizeOf(x.shape.slice(axis + 1));
  const outShape = [...x.shape.slice(0, axis), ...indices.shape.slice(batchDims), ...x.shape.slice(axis + 1)];
  if (batch === 0) return null;
  const count = indexValues.length / batch;

  const out = new Float32Array(sizeOf(outShape));
  if (addon.gather(xValues, indexValues, out, batch, outer, dim, slice, count) !== -1) return null;
  return args.backend.makeTensorInfo(outShape, 'float32', out);
}
