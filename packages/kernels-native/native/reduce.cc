// Sum, mean, max and min over the innermost axis ([outer, inner] -> [outer]) or over
// the outermost axis ([outer, inner] -> [inner]). Sums accumulate in double, as the
// tfjs cpu backend does with JavaScript numbers.
#include <cstdint>
#include <vector>

#include "fast-math.h"
#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {
namespace {

// Op codes shared with src/native-binding.ts.
enum ReduceOp { kSum = 0, kMean = 1, kMax = 2, kMin = 3 };

float minWithNaN(const float* p, int64_t n) {
  float best = p[0];
  bool sawNaN = false;
  for (int64_t j = 0; j < n; ++j) {
    float v = p[j];
    sawNaN |= (v != v);
    best = v < best ? v : best;
  }
  return sawNaN ? __builtin_nanf("") : best;
}

// Mean divides each element by the count in float before summing, as tfjs Mean does.
double sumScaled(const float* p, int64_t n, float divisor) {
  double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    for (int l = 0; l < 8; ++l) lanes[l] += double(p[j + l] / divisor);
  }
  double total = 0.0;
  for (; j < n; ++j) total += double(p[j] / divisor);
  for (int l = 0; l < 8; ++l) total += lanes[l];
  return total;
}

void checkReduceArgs(int op, int64_t outer, int64_t inner, const View<float>& x) {
  if (op < kSum || op > kMin) throw ArgError("unknown reduce op code " + std::to_string(op));
  if (outer <= 0 || inner <= 0) throw ArgError("reduce needs non-empty outer and inner sizes");
  requireLength(x, size_t(outer * inner), "x");
}

}  // namespace

// reduceInner(op, x, out, outer, inner): out[i] = reduce(x[i, :]).
napi_value ReduceInner(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    int op = int(args.integer(0));
    View<float> x = args.f32(1), out = args.f32(2);
    int64_t outer = args.integer(3), inner = args.integer(4);
    checkReduceArgs(op, outer, inner, x);
    requireLength(out, size_t(outer), "out");
    float divisor = float(inner);
    parallelFor(outer, std::max<int64_t>(1, (1 << 16) / inner), [&](int64_t first, int64_t last) {
      for (int64_t i = first; i < last; ++i) {
        const float* row = x.data + i * inner;
        switch (op) {
          case kSum: out.data[i] = float(sumAsDouble(row, inner)); break;
          case kMean: out.data[i] = float(sumScaled(row, inner, divisor)); break;
          case kMax: out.data[i] = maxWithNaN(row, inner); break;
          case kMin: out.data[i] = minWithNaN(row, inner); break;
        }
      }
    });
    return nullptr;
  });
}

// reduceOuter(op, x, out, outer, inner): out[j] = reduce(x[:, j]).
napi_value ReduceOuter(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    int op = int(args.integer(0));
    View<float> x = args.f32(1), out = args.f32(2);
    int64_t outer = args.integer(3), inner = args.integer(4);
    checkReduceArgs(op, outer, inner, x);
    requireLength(out, size_t(inner), "out");
    float divisor = float(outer);
    // Columns are split across threads; each thread walks all rows of its columns.
    parallelFor(inner, std::max<int64_t>(16, (1 << 16) / outer), [&](int64_t first, int64_t last) {
      int64_t width = last - first;
      if (op == kSum || op == kMean) {
        std::vector<double> acc(size_t(width), 0.0);
        for (int64_t i = 0; i < outer; ++i) {
          const float* row = x.data + i * inner + first;
          if (op == kSum) {
            for (int64_t j = 0; j < width; ++j) acc[j] += double(row[j]);
          } else {
            for (int64_t j = 0; j < width; ++j) acc[j] += double(row[j] / divisor);
          }
        }
        for (int64_t j = 0; j < width; ++j) out.data[first + j] = float(acc[j]);
        return;
      }
      std::vector<float> best(x.data + first, x.data + last);
      std::vector<char> sawNaN(size_t(width), 0);
      for (int64_t i = 0; i < outer; ++i) {
        const float* row = x.data + i * inner + first;
        for (int64_t j = 0; j < width; ++j) {
          float v = row[j];
          sawNaN[j] |= (v != v);
          bool better = op == kMax ? v > best[j] : v < best[j];
          best[j] = better ? v : best[j];
        }
      }
      for (int64_t j = 0; j < width; ++j) out.data[first + j] = sawNaN[j] ? __builtin_nanf("") : best[j];
    });
    return nullptr;
  });
}

}  // namespace archzoo
