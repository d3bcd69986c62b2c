/** Every kernel this package implements natively, by tfjs kernel name. */
import type { NativeKernelImpl } from './cpu-backend.js';
import { ADAMW, adamw } from './kernels/adamw.js';
import { binaryKernels } from './kernels/binary.js';
import { cast } from './kernels/cast.js';
import {
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
  softmaxCrossEntropy,
  softmaxCrossEntropyGrad,
} from './kernels/cross-entropy.js';
import { fusedMatMul } from './kernels/fused-mat-mul.js';
import { gatherV2 } from './kernels/gather.js';
import { batchMatMul } from './kernels/mat-mul.js';
import { reduceKernels } from './kernels/reduce.js';
import { unsortedSegmentSum } from './kernels/segment-sum.js';
import { concat, padV2, slice, splitV } from './kernels/slice-pad.js';
import { softmax } from './kernels/softmax.js';
import { SOFTCAP, SOFTCAP_GRAD, softcap, softcapGrad } from './kernels/softcap.js';
import { transpose } from './kernels/transpose.js';
import { unaryKernels } from './kernels/unary.js';

export const NATIVE_KERNELS: Readonly<Record<string, NativeKernelImpl>> = {
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  UnsortedSegmentSum: unsortedSegmentSum,
  [SOFTMAX_CROSS_ENTROPY]: softmaxCrossEntropy,
  [SOFTMAX_CROSS_ENTROPY_GRAD]: softmaxCrossEntropyGrad,
  ...binaryKernels,
  ...unaryKernels,
  Softmax: softmax,
  Transpose: transpose,
  ...reduceKernels,
  GatherV2: gatherV2,
  Cast: cast,
  Slice: slice,
  PadV2: padV2,
  SplitV: splitV,
  Concat: concat,
  [ADAMW]: adamw,
  [SOFTCAP]: softcap,
  [SOFTCAP_GRAD]: softcapGrad,
};

/**
 * Kernels that only archzoo defines, so they are registered even where no stock kernel exists.
 * @archzoo/core registers its JavaScript ArchzooAdamW only when none is registered yet.
 */
export const ARCHZOO_ONLY_KERNELS: ReadonlySet<string> = new Set([
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
  ADAMW,
  SOFTCAP,
  SOFTCAP_GRAD,
]);
