// GatherV2 over the flattened layout x [batch, outer, dim, slice], indices [batch, count].
#include <cstdint>
#include <cstring>

#include "kernels.h"
#include "napi-args.h"

namespace archzoo {

// gather(x, indices, out, batch, outer, dim, slice, count) -> position of the first index
// outside [0, dim), or -1 after writing out [batch, outer, count, slice].
napi_value Gather(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> x = args.f32(0), out = args.f32(2);
    View<int32_t> indices = args.i32(1);
    int64_t batch = args.integer(3), outer = args.integer(4), dim = args.integer(5), slice = args.integer(6),
            count = args.integer(7);
    requireLength(x, size_t(batch * outer * dim * slice), "x");
    requireLength(indices, size_t(batch * count), "indices");
    requireLength(out, size_t(batch * outer * count * slice), "out");
    for (int64_t i = 0; i < batch * count; ++i) {
      if (indices.data[i] < 0 || indices.data[i] >= dim) return makeNumber(env, double(i));
    }
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t o = 0; o < outer; ++o) {
        const float* src = x.data + (b * outer + o) * dim * slice;
        float* dst = out.data + (b * outer + o) * count * slice;
        for (int64_t c = 0; c < count; ++c) {
          std::memcpy(dst + c * slice, src + int64_t(indices.data[b * count + c]) * slice, size_t(slice) * sizeof(float));
        }
      }
    }
    return makeNumber(env, -1);
  });
}

}  // namespace archzoo
