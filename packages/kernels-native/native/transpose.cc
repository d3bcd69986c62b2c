// Transpose by an arbitrary permutation, copying contiguous runs where the innermost
// output dimension is also innermost in the input.
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {
namespace {

struct Plan {
  std::vector<int64_t> shape;     // output dimensions, outermost first
  std::vector<int64_t> inStride;  // input stride of each output dimension
};

// Builds the output-order plan, dropping size-1 dimensions and merging output neighbours
// that are also neighbours, in the same order, in the input.
Plan makePlan(const int32_t* shape, const int32_t* perm, size_t rank) {
  std::vector<int64_t> stride(rank, 1);
  for (int64_t d = int64_t(rank) - 2; d >= 0; --d) stride[d] = stride[d + 1] * shape[d + 1];
  Plan plan;
  for (size_t i = 0; i < rank; ++i) {
    int64_t size = shape[perm[i]], s = stride[perm[i]];
    if (size == 1) continue;
    if (!plan.shape.empty() && plan.inStride.back() == s * size) {
      plan.shape.back() *= size;
      plan.inStride.back() = s;
      continue;
    }
    plan.shape.push_back(size);
    plan.inStride.push_back(s);
  }
  if (plan.shape.empty()) {
    plan.shape.push_back(1);
    plan.inStride.push_back(1);
  }
  return plan;
}

}  // namespace

// transpose(x, out, shape: Int32Array, perm: Int32Array): out has shape[perm[i]] as dims.
napi_value Transpose(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> x = args.f32(0), out = args.f32(1);
    View<int32_t> shape = args.i32(2), perm = args.i32(3);
    size_t rank = shape.length;
    if (perm.length != rank) throw ArgError("perm must have one entry per dimension");
    std::vector<bool> seen(rank, false);
    int64_t size = 1;
    for (size_t d = 0; d < rank; ++d) {
      if (perm.data[d] < 0 || size_t(perm.data[d]) >= rank || seen[perm.data[d]]) throw ArgError("perm is not a permutation");
      seen[perm.data[d]] = true;
      size *= shape.data[d];
    }
    if (size == 0) return nullptr;
    requireLength(x, size_t(size), "x");
    requireLength(out, size_t(size), "out");
    Plan plan = makePlan(shape.data, perm.data, rank);
    size_t planRank = plan.shape.size();
    int64_t inner = plan.shape[planRank - 1];
    int64_t innerStride = plan.inStride[planRank - 1];
    int64_t runs = size / inner;
    int64_t minRuns = std::max<int64_t>(1, (1 << 16) / inner);
    parallelFor(runs, minRuns, [&](int64_t first, int64_t last) {
      std::vector<int64_t> index(planRank, 0);
      int64_t rest = first, offset = 0;
      for (int64_t d = int64_t(planRank) - 2; d >= 0; --d) {
        index[d] = rest % plan.shape[d];
        rest /= plan.shape[d];
        offset += index[d] * plan.inStride[d];
      }
      for (int64_t run = first; run < last; ++run) {
        float* dst = out.data + run * inner;
        const float* src = x.data + offset;
        if (innerStride == 1) {
          std::memcpy(dst, src, size_t(inner) * sizeof(float));
        } else {
          for (int64_t j = 0; j < inner; ++j) dst[j] = src[j * innerStride];
        }
        for (int64_t d = int64_t(planRank) - 2; d >= 0; --d) {
          ++index[d];
          offset += plan.inStride[d];
          if (index[d] < plan.shape[d]) break;
          offset -= index[d] * plan.inStride[d];
          index[d] = 0;
        }
      }
    });
    return nullptr;
  });
}

}  // namespace archzoo
