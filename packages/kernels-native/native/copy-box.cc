// Copies an axis-aligned box between two row-major tensors of the same rank: the one
// primitive behind Slice, PadV2, SplitV and Concat.
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "napi-args.h"

namespace archzoo {

// copyBox(src, srcShape, srcBegin, dst, dstShape, dstBegin, size): for every index i inside
// `size`, dst[dstBegin + i] = src[srcBegin + i]. All shape arrays are Int32Array of one rank.
napi_value CopyBox(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> src = args.f32(0), dst = args.f32(3);
    View<int32_t> srcShape = args.i32(1), srcBegin = args.i32(2), dstShape = args.i32(4), dstBegin = args.i32(5),
                  size = args.i32(6);
    size_t rank = size.length;
    if (srcShape.length != rank || srcBegin.length != rank || dstShape.length != rank || dstBegin.length != rank) {
      throw ArgError("copyBox needs shape, begin and size arrays of one rank");
    }
    int64_t srcTotal = 1, dstTotal = 1, boxTotal = 1;
    for (size_t d = 0; d < rank; ++d) {
      if (size.data[d] < 0 || srcBegin.data[d] < 0 || dstBegin.data[d] < 0 ||
          srcBegin.data[d] + size.data[d] > srcShape.data[d] || dstBegin.data[d] + size.data[d] > dstShape.data[d]) {
        throw ArgError("copyBox box exceeds a tensor in dimension " + std::to_string(d));
      }
      srcTotal *= srcShape.data[d];
      dstTotal *= dstShape.data[d];
      boxTotal *= size.data[d];
    }
    requireLength(src, size_t(srcTotal), "src");
    requireLength(dst, size_t(dstTotal), "dst");
    if (boxTotal == 0) return nullptr;
    if (rank == 0) {
      dst.data[0] = src.data[0];
      return nullptr;
    }

    std::vector<int64_t> srcStride(rank, 1), dstStride(rank, 1);
    for (int64_t d = int64_t(rank) - 2; d >= 0; --d) {
      srcStride[d] = srcStride[d + 1] * srcShape.data[d + 1];
      dstStride[d] = dstStride[d + 1] * dstShape.data[d + 1];
    }
    // Innermost dimensions that the box spans whole in both tensors form one contiguous run.
    size_t innerDim = rank - 1;
    int64_t run = size.data[innerDim];
    while (innerDim > 0 && size.data[innerDim] == srcShape.data[innerDim] && size.data[innerDim] == dstShape.data[innerDim]) {
      --innerDim;
      run *= size.data[innerDim];
    }
    int64_t srcOffset = 0, dstOffset = 0;
    for (size_t d = 0; d < rank; ++d) {
      srcOffset += srcBegin.data[d] * srcStride[d];
      dstOffset += dstBegin.data[d] * dstStride[d];
    }
    int64_t runs = boxTotal / run;
    std::vector<int64_t> index(innerDim, 0);
    for (int64_t r = 0; r < runs; ++r) {
      std::memcpy(dst.data + dstOffset, src.data + srcOffset, size_t(run) * sizeof(float));
      for (int64_t d = int64_t(innerDim) - 1; d >= 0; --d) {
        ++index[d];
        srcOffset += srcStride[d];
        dstOffset += dstStride[d];
        if (index[d] < size.data[d]) break;
        srcOffset -= index[d] * srcStride[d];
        dstOffset -= index[d] * dstStride[d];
        index[d] = 0;
      }
    }
    return nullptr;
  });
}

}  // namespace archzoo
