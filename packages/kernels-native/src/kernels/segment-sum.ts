// Legend: N rows (looked-up tokens), V segments (vocabulary), D row width.
/**
 * UnsortedSegmentSum, the gradient of gather and of embedding lookups:
 * x [S..., inner...] with segmentIds [S...] -> [numSegments, inner...]. The stock cpu kernel
 * loops once per segment over all of x, which is prohibitive for a 50k-token vocabulary.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { floatValues, intValues, sizeOf, type NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';

/** Sums rows into segments: gradient [N, D] with ids [N] and numSegments V -> [V, D]. */
export function unsortedSegmentSum(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const { x, segmentIds } = args.inputs;
  const xValues = floatValues(args.backend, x);
  const ids = intValues(args.backend, segmentIds);
  const numSegments = Number(args.attrs.numSegments);
  if (!x || !segmentIds || !xValues || !ids || !Number.isInteger(numSegments) || numSegments < 0) return null;
  const idRank = segmentIds.shape.length;
  if (idRank > x.shape.length || segmentIds.shape.some((dim, i) => dim !== x.shape[i])) return null;

  const innerShape = x.shape.slice(idRank);
  const inner = sizeOf(innerShape);
  const out = new Float32Array(numSegments * inner);
  addon.segmentSum(xValues, ids, out, ids.length, inner, numSegments);
  return args.backend.makeTensorInfo([numSegments, ...innerShape], 'float32', out);
}
