// Legend: shapes are any rank; the cast maps [...] -> [...].
/**
 * Cast from int32 or bool to float32 with a real copy. The stock cpu kernel keeps the
 * int32 or Uint8 storage under the float32 dtype, which sends every later float32 kernel on
 * that tensor (a one-hot mask times logits, say) to the slow stock path.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeKernelArgs } from '../cpu-backend.js';

export function cast(args: NativeKernelArgs): TensorInfo | null {
  const { x } = args.inputs;
  if (!x || args.attrs.dtype !== 'float32' || (x.dtype !== 'int32' && x.dtype !== 'bool')) return null;
  const values = args.backend.data.get(x.dataId)?.values;
  if (!(values instanceof Int32Array) && !(values instanceof Uint8Array)) return null;
  return args.backend.makeTensorInfo(x.shape, 'float32', Float32Array.from(values));
}
