// Elementwise binary ops with numpy broadcasting, driven by per-operand strides
// (0 along broadcast dimensions) over the output shape.
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {
namespace {

// Op codes shared with src/native-binding.ts. Codes from kEqual on compare and write
// 0/1 bytes (the cpu backend stores bool tensors as Uint8Array).
enum BinaryOp {
  kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kMax = 4, kMin = 5, kSquaredDiff = 6,
  kEqual = 7, kNotEqual = 8, kGreater = 9, kGreaterEqual = 10, kLess = 11, kLessEqual = 12,
};

struct AddOp { static float apply(float a, float b) { return a + b; } };
struct SubOp { static float apply(float a, float b) { return a - b; } };
struct MulOp { static float apply(float a, float b) { return a * b; } };
struct DivOp { static float apply(float a, float b) { return a / b; } };
// Math.max / Math.min semantics: NaN in either operand gives NaN.
struct MaxOp {
  static float apply(float a, float b) { return (a != a || b != b) ? NAN : (a > b ? a : b); }
};
struct MinOp {
  static float apply(float a, float b) { return (a != a || b != b) ? NAN : (a < b ? a : b); }
};
struct SquaredDiffOp {
  static float apply(float a, float b) {
    float d = a - b;
    return d * d;
  }
};

struct EqualOp { static uint8_t apply(float a, float b) { return a == b; } };
struct NotEqualOp { static uint8_t apply(float a, float b) { return a != b; } };
struct GreaterOp { static uint8_t apply(float a, float b) { return a > b; } };
struct GreaterEqualOp { static uint8_t apply(float a, float b) { return a >= b; } };
struct LessOp { static uint8_t apply(float a, float b) { return a < b; } };
struct LessEqualOp { static uint8_t apply(float a, float b) { return a <= b; } };

// Applies Op along one run of n outputs; strides are in elements.
template <typename Op, typename Out>
void applyRun(const float* a, int64_t sa, const float* b, int64_t sb, Out* out, int64_t n) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = Op::apply(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = *b;
    for (int64_t i = 0; i < n; ++i) out[i] = Op::apply(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const float av = *a;
    for (int64_t i = 0; i < n; ++i) out[i] = Op::apply(av, b[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = Op::apply(a[i * sa], b[i * sb]);
  }
}

struct Layout {
  std::vector<int64_t> shape, aStride, bStride;  // outermost first, merged
};

// Drops size-1 dimensions and merges neighbours that are contiguous for both operands.
Layout collapse(const int32_t* shape, const int32_t* aStride, const int32_t* bStride, size_t rank) {
  Layout layout;
  for (size_t d = 0; d < rank; ++d) {
    if (shape[d] == 1) continue;
    if (!layout.shape.empty()) {
      int64_t size = shape[d];
      int64_t& lastShape = layout.shape.back();
      // Merging dimension (last, d) into one works when stride[last] == stride[d] * shape[d].
      if (layout.aStride.back() == int64_t(aStride[d]) * size &&
          layout.bStride.back() == int64_t(bStride[d]) * size) {
        lastShape *= size;
        layout.aStride.back() = aStride[d];
        layout.bStride.back() = bStride[d];
        continue;
      }
    }
    layout.shape.push_back(shape[d]);
    layout.aStride.push_back(aStride[d]);
    layout.bStride.push_back(bStride[d]);
  }
  if (layout.shape.empty()) {
    layout.shape.push_back(1);
    layout.aStride.push_back(0);
    layout.bStride.push_back(0);
  }
  return layout;
}

template <typename Op, typename Out>
void runBroadcast(const Layout& layout, const float* a, const float* b, Out* out) {
  size_t rank = layout.shape.size();
  int64_t inner = layout.shape[rank - 1];
  int64_t sa = layout.aStride[rank - 1], sb = layout.bStride[rank - 1];
  int64_t outer = 1;
  for (size_t d = 0; d + 1 < rank; ++d) outer *= layout.shape[d];
  int64_t minRuns = std::max<int64_t>(1, (1 << 16) / std::max<int64_t>(1, inner));
  parallelFor(outer, minRuns, [&](int64_t first, int64_t last) {
    // Odometer over the outer dimensions, started at run `first`.
    std::vector<int64_t> index(rank, 0);
    int64_t rest = first, aOffset = 0, bOffset = 0;
    for (int64_t d = int64_t(rank) - 2; d >= 0; --d) {
      index[d] = rest % layout.shape[d];
      rest /= layout.shape[d];
      aOffset += index[d] * layout.aStride[d];
      bOffset += index[d] * layout.bStride[d];
    }
    for (int64_t run = first; run < last; ++run) {
      applyRun<Op, Out>(a + aOffset, sa, b + bOffset, sb, out + run * inner, inner);
      for (int64_t d = int64_t(rank) - 2; d >= 0; --d) {
        ++index[d];
        aOffset += layout.aStride[d];
        bOffset += layout.bStride[d];
        if (index[d] < layout.shape[d]) break;
        aOffset -= index[d] * layout.aStride[d];
        bOffset -= index[d] * layout.bStride[d];
        index[d] = 0;
      }
    }
  });
}

}  // namespace

// binary(op, a, aStrides, b, bStrides, out, outShape): all stride and shape arrays are
// Int32Array of the output rank, outermost first.
napi_value Binary(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    int op = int(args.integer(0));
    View<float> a = args.f32(1), b = args.f32(3);
    View<int32_t> aStride = args.i32(2), bStride = args.i32(4), shape = args.i32(6);
    size_t rank = shape.length;
    if (aStride.length != rank || bStride.length != rank) throw ArgError("stride arrays must match the output rank");
    int64_t size = 1, aExtent = 1, bExtent = 1;
    for (size_t d = 0; d < rank; ++d) {
      size *= shape.data[d];
      aExtent += int64_t(shape.data[d] - 1) * aStride.data[d];
      bExtent += int64_t(shape.data[d] - 1) * bStride.data[d];
    }
    if (size == 0) return nullptr;
    requireLength(a, size_t(aExtent), "a");
    requireLength(b, size_t(bExtent), "b");
    Layout layout = collapse(shape.data, aStride.data, bStride.data, rank);
    if (op >= kEqual) {
      View<uint8_t> out = args.u8(5);
      requireLength(out, size_t(size), "out");
      switch (op) {
        case kEqual: runBroadcast<EqualOp>(layout, a.data, b.data, out.data); break;
        case kNotEqual: runBroadcast<NotEqualOp>(layout, a.data, b.data, out.data); break;
        case kGreater: runBroadcast<GreaterOp>(layout, a.data, b.data, out.data); break;
        case kGreaterEqual: runBroadcast<GreaterEqualOp>(layout, a.data, b.data, out.data); break;
        case kLess: runBroadcast<LessOp>(layout, a.data, b.data, out.data); break;
        case kLessEqual: runBroadcast<LessEqualOp>(layout, a.data, b.data, out.data); break;
        default: throw ArgError("unknown binary op code " + std::to_string(op));
      }
      return nullptr;
    }
    View<float> out = args.f32(5);
    requireLength(out, size_t(size), "out");
    switch (op) {
      case kAdd: runBroadcast<AddOp>(layout, a.data, b.data, out.data); break;
      case kSub: runBroadcast<SubOp>(layout, a.data, b.data, out.data); break;
      case kMul: runBroadcast<MulOp>(layout, a.data, b.data, out.data); break;
      case kDiv: runBroadcast<DivOp>(layout, a.data, b.data, out.data); break;
      case kMax: runBroadcast<MaxOp>(layout, a.data, b.data, out.data); break;
      case kMin: runBroadcast<MinOp>(layout, a.data, b.data, out.data); break;
      case kSquaredDiff: runBroadcast<SquaredDiffOp>(layout, a.data, b.data, out.data); break;
      default: throw ArgError("unknown binary op code " + std::to_string(op));
    }
    return nullptr;
  });
}

}  // namespace archzoo
