// Elementwise unary ops with the tfjs cpu backend's formulas.
#include <cmath>
#include <cstdint>

#include "fast-math.h"
#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {
namespace {

// Op codes shared with src/native-binding.ts.
enum UnaryOp {
  kExp = 0, kLog = 1, kNeg = 2, kSqrt = 3, kRsqrt = 4, kSquare = 5, kTanh = 6, kSigmoid = 7,
  kErf = 8, kRelu = 9, kRelu6 = 10, kElu = 11, kLeakyRelu = 12, kAbs = 13, kReciprocal = 14,
  kClip = 15,
};

// Abramowitz and Stegun 7.1.26, the approximation tfjs uses for Erf (backend_util.ERF_*).
inline float erfApprox(float x) {
  const float p = 0.3275911f, a1 = 0.254829592f, a2 = -0.284496736f, a3 = 1.421413741f,
              a4 = -1.453152027f, a5 = 1.061405429f;
  float sign = x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f);
  sign = x != x ? x : sign;
  float v = std::fabs(x);
  float t = 1.0f / (1.0f + p * v);
  float poly = ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t;
  return sign * (1.0f - poly * fastExp(-v * v));
}

template <typename F>
void mapRange(const float* x, float* out, int64_t first, int64_t last, F f) {
  for (int64_t i = first; i < last; ++i) out[i] = f(x[i]);
}

void runUnary(int op, float alpha, float beta, const float* x, float* out, int64_t first, int64_t last) {
  switch (op) {
    case kExp: mapRange(x, out, first, last, [](float v) { return fastExp(v); }); break;
    case kLog: mapRange(x, out, first, last, [](float v) { return std::log(v); }); break;
    case kNeg: mapRange(x, out, first, last, [](float v) { return -v; }); break;
    case kSqrt: mapRange(x, out, first, last, [](float v) { return std::sqrt(v); }); break;
    case kRsqrt: mapRange(x, out, first, last, [](float v) { return float(1.0 / std::sqrt(double(v))); }); break;
    case kSquare: mapRange(x, out, first, last, [](float v) { return v * v; }); break;
    case kTanh: mapRange(x, out, first, last, [](float v) { return std::tanh(v); }); break;
    case kSigmoid: mapRange(x, out, first, last, [](float v) { return 1.0f / (1.0f + fastExp(-v)); }); break;
    case kErf: mapRange(x, out, first, last, [](float v) { return erfApprox(v); }); break;
    // Math.max(0, NaN) is NaN in tfjs, and `v < 0` is false for NaN, so NaN passes through.
    case kRelu: mapRange(x, out, first, last, [](float v) { return v < 0.0f ? 0.0f : v; }); break;
    case kRelu6: mapRange(x, out, first, last, [](float v) { return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v); }); break;
    case kElu: mapRange(x, out, first, last, [](float v) { return v >= 0.0f ? v : fastExp(v) - 1.0f; }); break;
    case kLeakyRelu: mapRange(x, out, first, last, [alpha](float v) { return v < 0.0f ? alpha * v : v; }); break;
    case kAbs: mapRange(x, out, first, last, [](float v) { return std::fabs(v); }); break;
    case kReciprocal: mapRange(x, out, first, last, [](float v) { return 1.0f / v; }); break;
    // ClipByValue to [alpha, beta], with the stock kernel's comparison order (NaN passes).
    case kClip: mapRange(x, out, first, last, [alpha, beta](float v) { return v > beta ? beta : (v < alpha ? alpha : v); }); break;
    default: break;
  }
}

}  // namespace

// unary(op, x, out, alpha, beta): alpha is the LeakyRelu slope or the ClipByValue minimum,
// beta the ClipByValue maximum; the other ops ignore both.
napi_value Unary(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    int op = int(args.integer(0));
    View<float> x = args.f32(1), out = args.f32(2);
    float alpha = float(args.number(3));
    float beta = args.count > 4 ? float(args.number(4)) : 0.0f;
    if (op < kExp || op > kClip) throw ArgError("unknown unary op code " + std::to_string(op));
    requireLength(out, x.length, "out");
    parallelFor(int64_t(x.length), 1 << 16, [&](int64_t first, int64_t last) {
      runUnary(op, alpha, beta, x.data, out.data, first, last);
    });
    return nullptr;
  });
}


// softcap(x, out, cap): out = cap * tanh(x / cap), the soft-capping of Gemma 2's attention
// scores and final logits, in one pass.
napi_value Softcap(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> x = args.f32(0), out = args.f32(1);
    float cap = float(args.number(2));
    requireLength(out, x.length, "out");
    float inverse = 1.0f / cap;
    parallelFor(int64_t(x.length), 1 << 16, [&](int64_t first, int64_t last) {
      for (int64_t i = first; i < last; ++i) out.data[i] = cap * fastTanh(x.data[i] * inverse);
    });
    return nullptr;
  });
}

// softcapGrad(dy, y, dx, cap): dx = dy * (1 - (y / cap)^2), the derivative of the soft-cap
// written with its output y, so the input need not be kept.
napi_value SoftcapGrad(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> dy = args.f32(0), y = args.f32(1), dx = args.f32(2);
    float cap = float(args.number(3));
    requireLength(y, dy.length, "y");
    requireLength(dx, dy.length, "dx");
    float inverse = 1.0f / cap;
    parallelFor(int64_t(dy.length), 1 << 16, [&](int64_t first, int64_t last) {
      for (int64_t i = first; i < last; ++i) {
        float t = y.data[i] * inverse;
        dx.data[i] = dy.data[i] * (1.0f - t * t);
      }
    });
    return nullptr;
  });
}

}  // namespace archzoo
