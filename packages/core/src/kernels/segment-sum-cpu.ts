/**
 * UnsortedSegmentSum for the plain `cpu` backend: one pass over the rows. TensorFlow.js's own
 * kernel loops over the data once per segment, so the gradient of an embedding lookup with a
 * 50,257-token vocabulary takes seconds per step; this gives the same sums in milliseconds.
 */
import { tf } from '../tf.js';

interface CpuBackendLike {
  readSync(dataId: unknown): Float32Array | Int32Array;
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
}

function unsortedSegmentSumCpu(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as CpuBackendLike;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = args.attrs!.numSegments as number;
  const values = backend.readSync(x.dataId);
  const ids = backend.readSync(segmentIds.dataId);
  const rowSize = ids.length === 0 ? 0 : values.length / ids.length;
  const out = new Float32Array(numSegments * rowSize);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const src = i * rowSize;
    const dst = segment * rowSize;
    for (let j = 0; j < rowSize; j++) out[dst + j]! += values[src + j]!;
  }
  return backend.makeTensorInfo([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32', out);
}

/**
 * Replaces the `cpu` backend's UnsortedSegmentSum for float32 data; returns the kernel name.
 * Other dtypes keep the stock kernel.
 */
export function registerCpuSegmentSum(): string {
  const stock = tf.getKernel('UnsortedSegmentSum', 'cpu');
  if (stock && (stock.kernelFunc as { archzoo?: boolean }).archzoo) return 'UnsortedSegmentSum';
  const kernelFunc = Object.assign(
    (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) =>
      (args.inputs.x as tf.TensorInfo).dtype === 'float32' || !stock
        ? unsortedSegmentSumCpu(args)
        : (stock.kernelFunc as unknown as (a: typeof args) => tf.TensorInfo)(args),
    { archzoo: true },
  );
  if (stock) tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'cpu', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  return 'UnsortedSegmentSum';
}
