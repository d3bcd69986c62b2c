// Batched GEMM over broadcast batch indices: out[i] = op(a[aBatch[i]]) * op(b[bBatch[i]]).
#include <cstdint>

#include "gemm.h"
#include "kernels.h"
#include "napi-args.h"

namespace archzoo {

// batchMatMul(a, b, out, m, n, k, transposeA, transposeB, aBatch: Int32Array, bBatch: Int32Array)
// a contains matrices of m x k (k x m when transposed), b of k x n (n x k when transposed),
// and out receives aBatch.length matrices of m x n.
napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> a = args.f32(0), b = args.f32(1), out = args.f32(2);
    int64_t m = args.integer(3), n = args.integer(4), k = args.integer(5);
    bool transA = args.boolean(6), transB = args.boolean(7);
    View<int32_t> aBatch = args.i32(8), bBatch = args.i32(9);
    if (aBatch.length != bBatch.length) throw ArgError("aBatch and bBatch differ in length");
    int64_t batches = int64_t(aBatch.length);
    int64_t aSize = m * k, bSize = k * n, outSize = m * n;
    requireLength(out, size_t(batches * outSize), "out");
    for (int64_t i = 0; i < batches; ++i) {
      int64_t ai = aBatch.data[i], bi = bBatch.data[i];
      if (ai < 0 || bi < 0 || size_t((ai + 1) * aSize) > a.length || size_t((bi + 1) * bSize) > b.length) {
        throw ArgError("batch index out of range in batchMatMul");
      }
    }
    int64_t lda = transA ? m : k;
    int64_t ldb = transB ? k : n;
    for (int64_t i = 0; i < batches; ++i) {
      sgemm(transA, transB, m, n, k, a.data + aBatch.data[i] * aSize, lda, b.data + bBatch.data[i] * bSize,
            ldb, out.data + i * outSize, n);
    }
    return nullptr;
  });
}

// gemmBuiltin(a, b, out, m, n, k, transposeA, transposeB): the blocked fallback GEMM,
// callable even when OpenBLAS is linked, for tests and benchmarks.
napi_value GemmBuiltin(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> a = args.f32(0), b = args.f32(1), out = args.f32(2);
    int64_t m = args.integer(3), n = args.integer(4), k = args.integer(5);
    bool transA = args.boolean(6), transB = args.boolean(7);
    requireLength(a, size_t(m * k), "a");
    requireLength(b, size_t(k * n), "b");
    requireLength(out, size_t(m * n), "out");
    sgemmBuiltin(transA, transB, m, n, k, a.data, transA ? m : k, b.data, transB ? k : n, out.data, n);
    return nullptr;
  });
}

}  // namespace archzoo
