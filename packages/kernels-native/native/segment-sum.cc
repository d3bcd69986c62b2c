// UnsortedSegmentSum, the gradient of gather: out[ids[i], :] += x[i, :].
#include <cstdint>

#include "kernels.h"
#include "napi-args.h"

namespace archzoo {

// segmentSum(x, ids, out, rows, inner, numSegments): out must be zero-filled
// [numSegments, inner]; rows whose id is outside [0, numSegments) are skipped, as in tfjs.
napi_value SegmentSum(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> x = args.f32(0), out = args.f32(2);
    View<int32_t> ids = args.i32(1);
    int64_t rows = args.integer(3), inner = args.integer(4), segments = args.integer(5);
    requireLength(x, size_t(rows * inner), "x");
    requireLength(ids, size_t(rows), "segmentIds");
    requireLength(out, size_t(segments * inner), "out");
    for (int64_t i = 0; i < rows; ++i) {
      int64_t id = ids.data[i];
      if (id < 0 || id >= segments) continue;
      const float* src = x.data + i * inner;
      float* dst = out.data + id * inner;
      for (int64_t j = 0; j < inner; ++j) dst[j] += src[j];
    }
    return nullptr;
  });
}

}  // namespace archzoo
