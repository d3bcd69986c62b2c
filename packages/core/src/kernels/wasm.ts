/**
 * Kernels the `wasm` backend of TensorFlow.js 4.22 lacks, registered by `selectBackend('wasm')`.
 * UnsortedSegmentSum is the gradient of gather, so training an embedding needs it.
 */
import { tf } from '../tf.js';

interface WasmBackendLike {
  readSync(dataId: unknown): Float32Array | Int32Array;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = args.attrs!.numSegments as number;
  const values = backend.readSync(x.dataId) as Float32Array;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  const rowSize = ids.length === 0 ? 0 : values.length / ids.length;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const outValues = backend.typedArrayFromHeap(out);
  outValues.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const src = i * rowSize;
    const dst = segment * rowSize;
    for (let j = 0; j < rowSize; j++) outValues[dst + j]! += values[src + j]!;
  }
  return out;
}

/** Registers the missing kernels once; returns their names. */
export function registerWasmKernels(): string[] {
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
  }
  return ['UnsortedSegmentSum'];
}
