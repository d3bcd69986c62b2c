#include "gemm.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

#include "parallel.h"

#ifdef ARCHZOO_OPENBLAS
extern "C" {
// Prototypes from OpenBLAS's cblas.h (LP64 build: blasint is int); declared here so the
// build needs only the shared library, not the header's install path.
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                 const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc);
void cblas_sgemv(int order, int trans, int m, int n, float alpha, const float* a, int lda,
                 const float* x, int incx, float beta, float* y, int incy);
void openblas_set_num_threads(int count);
int openblas_get_num_threads(void);
}
#endif

namespace archzoo {

namespace {

constexpr int64_t kMR = 6;    // rows of C per micro-tile
constexpr int64_t kNR = 16;   // columns of C per micro-tile (two 8-float vectors)
constexpr int64_t kKC = 256;  // depth of one packed block
constexpr int64_t kMC = 96;   // rows of A per packed block (multiple of kMR)
constexpr int64_t kNC = 2048; // columns of B per packed block (multiple of kNR)

typedef float Vec8 __attribute__((vector_size(32)));

inline Vec8 loadVec(const float* p) {
  Vec8 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// Packs op(B)[pc:pc+kc, jc:jc+nc] into column panels of kNR, zero-padding the last one.
void packB(bool transB, const float* b, int64_t ldb, int64_t pc, int64_t kc, int64_t jc, int64_t nc,
           float* out) {
  for (int64_t j0 = 0; j0 < nc; j0 += kNR) {
    int64_t nr = std::min(kNR, nc - j0);
    for (int64_t p = 0; p < kc; ++p) {
      float* dst = out + j0 * kc + p * kNR;
      for (int64_t j = 0; j < nr; ++j) {
        int64_t row = pc + p, col = jc + j0 + j;
        dst[j] = transB ? b[col * ldb + row] : b[row * ldb + col];
      }
      for (int64_t j = nr; j < kNR; ++j) dst[j] = 0.0f;
    }
  }
}

// Packs op(A)[ic:ic+mc, pc:pc+kc] into row panels of kMR, zero-padding the last one.
void packA(bool transA, const float* a, int64_t lda, int64_t ic, int64_t mc, int64_t pc, int64_t kc,
           float* out) {
  for (int64_t i0 = 0; i0 < mc; i0 += kMR) {
    int64_t mr = std::min(kMR, mc - i0);
    for (int64_t p = 0; p < kc; ++p) {
      float* dst = out + i0 * kc + p * kMR;
      for (int64_t i = 0; i < mr; ++i) {
        int64_t row = ic + i0 + i, col = pc + p;
        dst[i] = transA ? a[col * lda + row] : a[row * lda + col];
      }
      for (int64_t i = mr; i < kMR; ++i) dst[i] = 0.0f;
    }
  }
}

// C tile (mr x nr) = (accumulate ? C : 0) + Ap[kc x kMR]^T * Bp[kc x kNR].
void microKernel(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, int64_t mr,
                 int64_t nr, bool accumulate) {
  Vec8 acc[kMR][2] = {};
  for (int64_t p = 0; p < kc; ++p) {
    Vec8 b0 = loadVec(bp + p * kNR);
    Vec8 b1 = loadVec(bp + p * kNR + 8);
    const float* ar = ap + p * kMR;
    for (int64_t i = 0; i < kMR; ++i) {
      Vec8 ai = Vec8{} + ar[i];
      acc[i][0] += ai * b0;
      acc[i][1] += ai * b1;
    }
  }
  float tile[kMR][kNR];
  std::memcpy(tile, acc, sizeof(tile));
  for (int64_t i = 0; i < mr; ++i) {
    float* row = c + i * ldc;
    if (accumulate) {
      for (int64_t j = 0; j < nr; ++j) row[j] += tile[i][j];
    } else {
      for (int64_t j = 0; j < nr; ++j) row[j] = tile[i][j];
    }
  }
}

}  // namespace

void sgemmBuiltin(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a,
                  int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
    return;
  }
  std::vector<float> bPacked(kKC * ((std::min(n, kNC) + kNR - 1) / kNR) * kNR);
  for (int64_t jc = 0; jc < n; jc += kNC) {
    int64_t nc = std::min(kNC, n - jc);
    for (int64_t pc = 0; pc < k; pc += kKC) {
      int64_t kc = std::min(kKC, k - pc);
      packB(transB, b, ldb, pc, kc, jc, nc, bPacked.data());
      int64_t blocks = (m + kMC - 1) / kMC;
      parallelFor(blocks, 1, [&](int64_t first, int64_t last) {
        std::vector<float> aPacked(kMC * kKC);
        for (int64_t block = first; block < last; ++block) {
          int64_t ic = block * kMC;
          int64_t mc = std::min(kMC, m - ic);
          packA(transA, a, lda, ic, mc, pc, kc, aPacked.data());
          for (int64_t j0 = 0; j0 < nc; j0 += kNR) {
            for (int64_t i0 = 0; i0 < mc; i0 += kMR) {
              microKernel(kc, aPacked.data() + i0 * kc, bPacked.data() + j0 * kc,
                          c + (ic + i0) * ldc + jc + j0, ldc, std::min(kMR, mc - i0),
                          std::min(kNR, nc - j0), pc > 0);
            }
          }
        }
      });
    }
  }
}

#ifdef ARCHZOO_OPENBLAS

namespace {

constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

// Multiply-adds up to which OpenBLAS's sgemm runs on one thread: 65,536 times its
// GEMM_MULTITHREAD_THRESHOLD, which is 4 by default.
constexpr int64_t kSingleThreadWork = 262144;

// Guards OpenBLAS's process-wide thread count, which small matrix-vector products lower and
// restore, against the same from another worker thread that loaded the addon.
std::mutex gThreadCountMutex;

// sgemm for m == 1 or n == 1, through sgemv. The output is zeroed first so that beta = 0
// never meets uninitialised memory.
void sgemv(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float* c, int64_t ldc) {
  if (m == 1) {
    // c[0, :] = op(A)[0, :] * op(B): the matrix is B, the vector op(A)'s only row.
    const int incA = transA ? int(lda) : 1;
    std::fill(c, c + n, 0.0f);
    cblas_sgemv(kRowMajor, transB ? kNoTrans : kTrans, int(transB ? n : k), int(transB ? k : n), 1.0f, b,
                int(ldb), a, incA, 0.0f, c, 1);
    return;
  }
  // c[:, 0] = op(A) * op(B)[:, 0]: the matrix is A, the vector op(B)'s only column.
  const int incB = transB ? 1 : int(ldb);
  for (int64_t i = 0; i < m; ++i) c[i * ldc] = 0.0f;
  cblas_sgemv(kRowMajor, transA ? kTrans : kNoTrans, int(transA ? k : m), int(transA ? m : k), 1.0f, a,
              int(lda), b, incB, 0.0f, c, int(ldc));
}

}  // namespace

void sgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
    return;
  }
  if (m == 1 || n == 1) {
    // A matrix-vector product. For a 50257 x 128 output head on two threads, OpenBLAS 0.3.21's
    // sgemm took 1.6 (weights [k, n]) to 2.5 (weights [n, k]) times as long as its sgemv.
    // sgemv splits products above 9,216 elements across threads. Between the small products of
    // a decoding step, waking the second thread cost about 12 us: a 128 x 128 product took 16 us
    // on two threads and 4 us on one. So products that sgemm would keep on one thread do too.
    if (m * n * k > kSingleThreadWork) {
      sgemv(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
      return;
    }
    std::lock_guard<std::mutex> lock(gThreadCountMutex);
    const int threads = openblas_get_num_threads();
    if (threads > 1) openblas_set_num_threads(1);
    sgemv(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
    if (threads > 1) openblas_set_num_threads(threads);
    return;
  }
  cblas_sgemm(kRowMajor, transA ? kTrans : kNoTrans, transB ? kTrans : kNoTrans, int(m), int(n),
              int(k), 1.0f, a, int(lda), b, int(ldb), 0.0f, c, int(ldc));
}

const char* blasName() { return "openblas"; }

void setGemmThreads(int count) {
  std::lock_guard<std::mutex> lock(gThreadCountMutex);
  openblas_set_num_threads(std::max(1, count));
}

int gemmThreads() { return openblas_get_num_threads(); }

#else

void sgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float* c, int64_t ldc) {
  sgemmBuiltin(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
}

const char* blasName() { return "builtin"; }

// The builtin GEMM shares the elementwise worker count.
void setGemmThreads(int count) { setWorkerCount(count); }

int gemmThreads() { return workerCount(); }

#endif

}  // namespace archzoo
