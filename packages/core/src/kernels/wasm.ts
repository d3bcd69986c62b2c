/**
 * Kernels registered into the `wasm` backend of TensorFlow.js 4.22 by `selectBackend('wasm')`:
 * UnsortedSegmentSum, which it lacks and which is the gradient of gather, and a BatchMatMul that
 * moves transposed and batched products onto its XNNPACK path.
 */
import { tf } from '../tf.js';

interface WasmBackendLike {
  readSync(dataId: unknown): Float32Array | Int32Array;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: unknown): boolean;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
type WasmKernel = (args: KernelArgs) => tf.TensorInfo;

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

function stockConfig(name: string): tf.KernelConfig {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`the wasm backend has no ${name} kernel; reinstall @tensorflow/tfjs-backend-wasm 4.22`);
  return config;
}

function stockKernel(name: string): WasmKernel {
  return stockConfig(name).kernelFunc as unknown as WasmKernel;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * Returns, for each batch of `outBatch` in row-major order, the index of the matching batch of an
 * operand whose batch shape `batch` broadcasts to it (numpy rules: missing and size-1 dims repeat).
 */
function batchIndices(batch: readonly number[], outBatch: readonly number[]): Int32Array {
  const indices = new Int32Array(sizeOf(outBatch));
  const offset = outBatch.length - batch.length;
  for (let i = 0; i < indices.length; i++) {
    let rest = i;
    let index = 0;
    let stride = 1;
    for (let axis = outBatch.length - 1; axis >= 0; axis--) {
      const coordinate = rest % outBatch[axis]!;
      rest = Math.floor(rest / outBatch[axis]!);
      const dim = axis >= offset ? batch[axis - offset]! : 1;
      if (dim !== 1) index += coordinate * stride;
      stride *= dim;
    }
    indices[i] = index;
  }
  return indices;
}

// Multiply-adds per batch below which equal batches stay in the stock kernel's scalar loop.
const SMALL_PRODUCT = 8192;

/**
 * Returns a BatchMatMul for the wasm backend that gives the stock kernel only products it runs
 * through XNNPACK: no transposes and one batch on each side. The stock kernel runs every other
 * product in a scalar loop (batch_mat_mul_impl.cc in tfjs-backend-wasm). Transposed operands are
 * transposed first, a batched `a` against a single `b` becomes one product with the batches as
 * rows, and other batched products run one batch at a time, except tiny ones. The tiny LLaMA's
 * 2 x 128 training step went from 3.5 s to 0.9 s.
 */
function xnnpackBatchMatMul(stock: WasmKernel): WasmKernel {
  const reshape = stockKernel('Reshape');
  const transpose = stockKernel('Transpose');
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const transposeA = Boolean(args.attrs?.transposeA);
    const transposeB = Boolean(args.attrs?.transposeB);
    const aBatch = a.shape.slice(0, -2);
    const bBatch = b.shape.slice(0, -2);
    const [aRows, aCols] = a.shape.slice(-2) as [number, number];
    const [bRows, bCols] = b.shape.slice(-2) as [number, number];
    const m = transposeA ? aCols : aRows;
    const k = transposeA ? aRows : aCols;
    const n = transposeB ? bRows : bCols;
    const bInner = transposeB ? bCols : bRows;
    if (k !== bInner) {
      // tfjs-core 4.22 leaves this check to the kernel, and the batch loop below would read past b.
      throw new Error(
        `Error in matMul: inner shapes (${k}) and (${bInner}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
      );
    }
    const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
    const outShape = [...outBatch, m, n];
    const batches = sizeOf(outBatch);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    if (sizeOf(outShape) === 0 || k === 0) {
      // The stock kernel returns uninitialised memory for k = 0 and fails on an empty batch.
      const empty = backend.makeOutput(outShape, 'float32');
      backend.typedArrayFromHeap(empty).fill(0);
      return empty;
    }
    if (!transposeA && !transposeB && sizeOf(aBatch) === 1 && sizeOf(bBatch) === 1) return stock(args);
    // Equal batches of tiny products stay in the stock loop, which runs each faster than the
    // 5 us that slicing a batch costs. 512 batches of [8, 8] x [8, 8] took 3.0 ms sliced and
    // 0.34 ms in the stock loop.
    if (m * n * k < SMALL_PRODUCT && sizeOf(aBatch) === batches && sizeOf(bBatch) === batches) return stock(args);

    const temporaries: tf.TensorInfo[] = [];
    const keep = (info: tf.TensorInfo): tf.TensorInfo => {
      temporaries.push(info);
      return info;
    };
    const release = (info: tf.TensorInfo): void => {
      backend.disposeData(info.dataId);
      temporaries.splice(temporaries.indexOf(info), 1);
    };
    const asMatrices = (x: tf.TensorInfo, batch: number, transposed: boolean): tf.TensorInfo => {
      const [rows, cols] = x.shape.slice(-2) as [number, number];
      const x3 = keep(reshape({ inputs: { x }, backend, attrs: { shape: [batch, rows, cols] } }));
      return transposed ? keep(transpose({ inputs: { x: x3 }, backend, attrs: { perm: [0, 2, 1] } })) : x3;
    };
    const product = (left: tf.TensorInfo, right: tf.TensorInfo): tf.TensorInfo =>
      stock({ inputs: { a: left, b: right }, backend, attrs: { transposeA: false, transposeB: false } });

    try {
      const a3 = asMatrices(a, sizeOf(aBatch), transposeA);
      const b3 = asMatrices(b, sizeOf(bBatch), transposeB);

      if (sizeOf(bBatch) === 1 && sizeOf(aBatch) === batches) {
        // Every batch of a meets the same b: one product of [batches * m, k] x [k, n].
        const rows = keep(reshape({ inputs: { x: a3 }, backend, attrs: { shape: [1, batches * m, k] } }));
        const flat = keep(product(rows, b3));
        return reshape({ inputs: { x: flat }, backend, attrs: { shape: outShape } });
      }

      const aIndex = batchIndices(aBatch, outBatch);
      const bIndex = batchIndices(bBatch, outBatch);
      const out = keep(backend.makeOutput(outShape, 'float32'));
      // The heap may grow during the loop, so every view of it is taken right before its use.
      const slice = (x: tf.TensorInfo, index: number, rows: number, cols: number): tf.TensorInfo => {
        const part = keep(backend.makeOutput([1, rows, cols], 'float32'));
        const size = rows * cols;
        backend.typedArrayFromHeap(part).set(backend.typedArrayFromHeap(x).subarray(index * size, (index + 1) * size));
        return part;
      };
      const bSingle = sizeOf(bBatch) === 1 ? b3 : undefined;
      for (let i = 0; i < batches; i++) {
        const left = slice(a3, aIndex[i]!, m, k);
        const right = bSingle ?? slice(b3, bIndex[i]!, k, n);
        const result = keep(product(left, right));
        backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(result), i * m * n);
        release(result);
        release(left);
        if (!bSingle) release(right);
      }
      temporaries.splice(temporaries.indexOf(out), 1);
      return out;
    } finally {
      for (const info of temporaries) backend.disposeData(info.dataId);
    }
  };
}

let registered: string[] | undefined;

/** Registers the kernels once; returns their names. */
export function registerWasmKernels(): string[] {
  if (registered) return registered;
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
  }
  const stock = stockConfig('BatchMatMul');
  tf.unregisterKernel('BatchMatMul', 'wasm');
  // The stock setup function binds the wasm entry point, so it stays for a re-initialised backend.
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    kernelFunc: xnnpackBatchMatMul(stock.kernelFunc as unknown as WasmKernel) as unknown as tf.KernelFunc,
  });
  registered = ['UnsortedSegmentSum', 'BatchMatMul'];
  return registered;
}
