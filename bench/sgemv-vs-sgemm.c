/*
 * Times OpenBLAS's cblas_sgemm against cblas_sgemv for one decoding step's output layer: a row of
 * d_model = 128 values times a 50257 x 128 weight, stored either [n, k] (transposed in the product)
 * or [k, n]. Prints the best of 50 calls of each, in milliseconds, for the given thread count.
 *
 *   cc -O2 bench/sgemv-vs-sgemm.c -lopenblas -o /tmp/sgemv-vs-sgemm && /tmp/sgemv-vs-sgemm 2
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { kRowMajor = 101, kNoTrans = 111, kTrans = 112 };

void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float* a,
                 int lda, const float* b, int ldb, float beta, float* c, int ldc);
void cblas_sgemv(int order, int trans, int m, int n, float alpha, const float* a, int lda,
                 const float* x, int incx, float beta, float* y, int incy);
void openblas_set_num_threads(int count);

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  const int vocab = 50257, width = 128, calls = 50;
  const int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1) {
    fprintf(stderr, "invalid thread count \"%s\"; pass a positive integer\n", argv[1]);
    return 1;
  }
  openblas_set_num_threads(threads);
  float* weight = malloc(sizeof(float) * vocab * width);
  float* row = malloc(sizeof(float) * width);
  float* out = malloc(sizeof(float) * vocab);
  for (long i = 0; i < (long)vocab * width; i++) weight[i] = (float)rand() / RAND_MAX - 0.5f;
  for (int i = 0; i < width; i++) row[i] = (float)rand() / RAND_MAX - 0.5f;

  const char* names[] = {"sgemm, weight [n, k]", "sgemv, weight [n, k]", "sgemm, weight [k, n]", "sgemv, weight [k, n]"};
  for (int mode = 0; mode < 4; mode++) {
    double best = 1e9;
    for (int call = 0; call < calls; call++) {
      double started = now();
      if (mode == 0) cblas_sgemm(kRowMajor, kNoTrans, kTrans, 1, vocab, width, 1, row, width, weight, width, 0, out, vocab);
      if (mode == 1) cblas_sgemv(kRowMajor, kNoTrans, vocab, width, 1, weight, width, row, 1, 0, out, 1);
      if (mode == 2) cblas_sgemm(kRowMajor, kNoTrans, kNoTrans, 1, vocab, width, 1, row, width, weight, vocab, 0, out, vocab);
      if (mode == 3) cblas_sgemv(kRowMajor, kTrans, width, vocab, 1, weight, vocab, row, 1, 0, out, 1);
      double seconds = now() - started;
      if (seconds < best) best = seconds;
    }
    printf("%d threads, %s: %.3f ms\n", threads, names[mode], best * 1e3);
  }
  free(weight);
  free(row);
  free(out);
  return 0;
}
