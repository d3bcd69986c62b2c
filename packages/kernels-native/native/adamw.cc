// Fused AdamW update (decoupled weight decay, PyTorch's torch.optim.AdamW arithmetic) with the
// float32 rounding of @archzoo/core's JavaScript cpu kernel: each step is computed in double
// with the double attributes and rounded to float where that kernel calls Math.fround.
#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {
namespace {

struct AdamWStep {
  double beta1, beta2, eps, decayFactor, stepSize, sqrtBiasCorrection2;
};

// fp-contract=off keeps GCC from fusing a multiply and an add into one FMA, which would skip a
// rounding step that the reference performs.
__attribute__((optimize("fp-contract=off"))) void adamwRange(const AdamWStep& s, const float* __restrict param, const float* __restrict m, const float* __restrict v,
                const float* __restrict grad, float* __restrict paramOut, float* __restrict mOut, float* __restrict vOut,
                int64_t first, int64_t last) {
  const double beta1 = s.beta1, beta2 = s.beta2, eps = s.eps, decayFactor = s.decayFactor, stepSize = s.stepSize,
               sqrtBiasCorrection2 = s.sqrtBiasCorrection2;
  const double oneMinusBeta1 = double(float(1.0 - beta1));
  const double oneMinusBeta2 = double(float(1.0 - beta2));
  for (int64_t i = first; i < last; ++i) {
    double g = grad[i];
    float mi = float(double(float(m[i] * beta1)) + double(float(g * oneMinusBeta1)));
    float gSquared = float(g * g);
    float vi = float(double(float(v[i] * beta2)) + double(float(double(gSquared) * oneMinusBeta2)));
    float denom = float(double(float(std::sqrt(double(vi)) / sqrtBiasCorrection2)) + eps);
    float decayed = float(param[i] * decayFactor);
    float update = float(double(float(double(mi) / double(denom))) * stepSize);
    mOut[i] = mi;
    vOut[i] = vi;
    paramOut[i] = float(double(decayed) - double(update));
  }
}

}  // namespace

// adamw(param, m, v, grad, paramOut, mOut, vOut, beta1, beta2, eps, decayFactor, stepSize,
// sqrtBiasCorrection2): all arrays have the same length.
napi_value AdamW(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> param = args.f32(0), m = args.f32(1), v = args.f32(2), grad = args.f32(3);
    View<float> paramOut = args.f32(4), mOut = args.f32(5), vOut = args.f32(6);
    AdamWStep step{args.number(7), args.number(8), args.number(9), args.number(10), args.number(11), args.number(12)};
    size_t n = param.length;
    for (const View<float>* view : {&m, &v, &grad, &paramOut, &mOut, &vOut}) requireLength(*view, n, "AdamW array");
    parallelFor(int64_t(n), 1 << 16, [&](int64_t first, int64_t last) {
      adamwRange(step, param.data, m.data, v.data, grad.data, paramOut.data, mOut.data, vOut.data, first, last);
    });
    return nullptr;
  });
}

}  // namespace archzoo
