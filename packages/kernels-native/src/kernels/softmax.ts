// Legend: C classes on the last axis; leading dimensions are flattened into rows.
/** Softmax over the last axis, the only axis the stock cpu kernel supports. */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { floatValues, type NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';
import { uninitializedFloat32 } from '../alloc.js';

/** Normalizes each row: logits [..., C] -> probabilities [..., C]. */
export function softmax(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const { logits } = args.inputs;
  const values = floatValues(args.backend, logits);
  if (!logits || !values || logits.shape.length === 0) return null;
  const rank = logits.shape.length;
  const dim = Number(args.attrs.dim ?? -1);
  if (dim !== -1 && dim !== rank - 1) return null;
  const cols = logits.shape[rank - 1]!;
  if (cols === 0 || values.length === 0) return null;
  const out = uninitializedFloat32(values.length);
  addon.softmax(values, out, values.length / cols, cols);
  return args.backend.makeTensorInfo(logits.shape, 'float32', out);
}
