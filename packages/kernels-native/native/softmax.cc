// Softmax over the last axis of a [rows, cols] view, with the vectorizable fastExp.
#include <cmath>
#include <cstdint>

#include "fast-math.h"
#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {

// softmax(x, out, rows, cols): out = exp(x - max) / sum(exp(x - max)) per row. The sum is
// accumulated in double and rounded to float before the division, as tfjs does.
napi_value Softmax(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> x = args.f32(0), out = args.f32(1);
    int64_t rows = args.integer(2), cols = args.integer(3);
    requireLength(x, size_t(rows * cols), "x");
    requireLength(out, size_t(rows * cols), "out");
    if (cols <= 0) return nullptr;
    int64_t minRows = std::max<int64_t>(1, (1 << 15) / cols);
    parallelFor(rows, minRows, [&](int64_t first, int64_t last) {
      for (int64_t r = first; r < last; ++r) {
        const float* row = x.data + r * cols;
        float* dst = out.data + r * cols;
        float maxValue = maxWithNaN(row, cols);
        for (int64_t j = 0; j < cols; ++j) dst[j] = fastExp(row[j] - maxValue);
        float total = float(sumAsDouble(dst, cols));
        for (int64_t j = 0; j < cols; ++j) dst[j] = dst[j] / total;
      }
    });
    return nullptr;
  });
}

}  // namespace archzoo
