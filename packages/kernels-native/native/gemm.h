// Row-major single-precision GEMM: C[m,n] = op(A)[m,k] * op(B)[k,n], overwriting C.
#pragma once
#include <cstdint>

namespace archzoo {

// op(A)(i, p) = transA ? a[p * lda + i] : a[i * lda + p], likewise for B.
void sgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float* c, int64_t ldc);

// "openblas" when linked against OpenBLAS, "builtin" for the blocked C++ fallback.
const char* blasName();

void setGemmThreads(int count);
int gemmThreads();

// The blocked fallback, exposed so tests and benchmarks can compare it with OpenBLAS.
void sgemmBuiltin(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a,
                  int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc);

}  // namespace archzoo
