/**
 * The functions exported by the compiled addon (native/addon.cc). Every function writes into
 * output arrays allocated by the caller and reads its inputs without copying them.
 */

/** Binary op codes, matching `BinaryOp` in native/binary.cc; comparisons write 0/1 bytes. */
export const BinaryOp = {
  Add: 0,
  Sub: 1,
  Mul: 2,
  Div: 3,
  Max: 4,
  Min: 5,
  SquaredDiff: 6,
  Equal: 7,
  NotEqual: 8,
  Greater: 9,
  GreaterEqual: 10,
  Less: 11,
  LessEqual: 12,
} as const;
export type BinaryOpCode = (typeof BinaryOp)[keyof typeof BinaryOp];

/** Unary op codes, matching `UnaryOp` in native/unary.cc. */
export const UnaryOp = {
  Exp: 0,
  Log: 1,
  Neg: 2,
  Sqrt: 3,
  Rsqrt: 4,
  Square: 5,
  Tanh: 6,
  Sigmoid: 7,
  Erf: 8,
  Relu: 9,
  Relu6: 10,
  Elu: 11,
  LeakyRelu: 12,
  Abs: 13,
  Reciprocal: 14,
  ClipByValue: 15,
} as const;
export type UnaryOpCode = (typeof UnaryOp)[keyof typeof UnaryOp];

/** Reduction op codes, matching `ReduceOp` in native/reduce.cc. */
export const ReduceOp = { Sum: 0, Mean: 1, Max: 2, Min: 3 } as const;
export type ReduceOpCode = (typeof ReduceOp)[keyof typeof ReduceOp];

export interface NativeAddon {
  /** Sets the OpenBLAS (or builtin GEMM) thread count and the elementwise thread count. */
  setThreads(gemmThreads: number, elementwiseThreads: number): void;
  getThreads(): { gemm: number; elementwise: number };
  buildInfo(): { blas: 'openblas' | 'builtin'; simd: 'avx2' | 'none' };
  /** Sets glibc's M_MMAP_THRESHOLD and M_TRIM_THRESHOLD; false where the C library is not glibc. */
  tuneMalloc(mmapThreshold: number, trimThreshold: number): boolean;
  /** out[i] = op(a[aBatch[i]]) x op(b[bBatch[i]]) for matrices of [m, k] x [k, n]. */
  batchMatMul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
    aBatch: Int32Array,
    bBatch: Int32Array,
  ): void;
  /** The blocked C++ GEMM that replaces OpenBLAS when it is absent. */
  gemmBuiltin(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
  ): void;
  /** Strides are per output dimension, in elements, 0 along broadcast dimensions. */
  binary(
    op: BinaryOpCode,
    a: Float32Array,
    aStrides: Int32Array,
    b: Float32Array,
    bStrides: Int32Array,
    out: Float32Array | Uint8Array,
    outShape: Int32Array,
  ): void;
  /** alpha: LeakyRelu slope or ClipByValue minimum; beta: ClipByValue maximum. */
  unary(op: UnaryOpCode, x: Float32Array, out: Float32Array, alpha: number, beta?: number): void;
  /** out = cap * tanh(x / cap). */
  softcap(x: Float32Array, out: Float32Array, cap: number): void;
  /** dx = dy * (1 - (y / cap)^2), with y the soft-capped output. */
  softcapGrad(dy: Float32Array, y: Float32Array, dx: Float32Array, cap: number): void;
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  transpose(x: Float32Array, out: Float32Array, shape: Int32Array, perm: Int32Array): void;
  reduceInner(op: ReduceOpCode, x: Float32Array, out: Float32Array, outer: number, inner: number): void;
  reduceOuter(op: ReduceOpCode, x: Float32Array, out: Float32Array, outer: number, inner: number): void;
  segmentSum(x: Float32Array, ids: Int32Array, out: Float32Array, rows: number, inner: number, segments: number): void;
  /** Returns the position of the first out-of-range index, or -1 on success. */
  gather(
    x: Float32Array,
    indices: Int32Array,
    out: Float32Array,
    batch: number,
    outer: number,
    dim: number,
    slice: number,
    count: number,
  ): number;
  /** dst[dstBegin + i] = src[srcBegin + i] for every index i inside `size`. */
  copyBox(
    src: Float32Array,
    srcShape: Int32Array,
    srcBegin: Int32Array,
    dst: Float32Array,
    dstShape: Int32Array,
    dstBegin: Int32Array,
    size: Int32Array,
  ): void;
  /** One fused AdamW step; the attributes are those of the ArchzooAdamW kernel. */
  adamw(
    param: Float32Array,
    m: Float32Array,
    v: Float32Array,
    grad: Float32Array,
    paramOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    beta1: number,
    beta2: number,
    eps: number,
    decayFactor: number,
    stepSize: number,
    sqrtBiasCorrection2: number,
  ): void;
  /** Returns the first row whose label is >= V, or -1 on success. */
  crossEntropy(
    logits: Float32Array,
    labels: Int32Array,
    loss: Float32Array,
    logsumexp: Float32Array,
    rows: number,
    vocab: number,
  ): number;
  crossEntropyGrad(
    logits: Float32Array,
    labels: Int32Array,
    logsumexp: Float32Array,
    dLoss: Float32Array,
    dLogsumexp: Float32Array,
    dLogits: Float32Array,
    rows: number,
    vocab: number,
  ): void;
}
