// Fused AdamW update (decoupled weight decay, PyTorch's torch.optim.AdamW arithmetic) with the
// float32 rounding of @archzoo/core's JavaScript cpu kernel: each step is computed in double
// with the double attributes and rounded to float where that kernel calls Math.fround.
#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {

// adamw(param, m, v, grad, paramOut, mOut, vOut, beta1, beta2, eps, decayFactor, stepSize,
// sqrtBiasCorrection2): all arrays have the same length.
napi_value AdamW(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> param = args.f32(0), m = args.f32(1), v = args.f32(2), grad = args.f32(3);
    View<float> paramOut = args.f32(4), mOut = args.f32(5), vOut = args.f32(6);
    double beta1 = args.number(7), beta2 = args.number(8), eps = args.number(9);
    double decayFactor = args.number(10), stepSize = args.number(11), sqrtBiasCorrection2 = args.number(12);
    size_t n = param.length;
    for (const View<float>* view : {&m, &v, &grad, &paramOut, &mOut, &vOut}) requireLength(*view, n, "AdamW array");

    const double oneMinusBeta1 = double(float(1.0 - beta1));
    const double oneMinusBeta2 = double(float(1.0 - beta2));
    parallelFor(int64_t(n), 1 << 16, [&](int64_t first, int64_t last) {
      for (int64_t i = first; i < last; ++i) {
        double g = grad.data[i];
        float mi = float(double(float(m.data[i] * beta1)) + double(float(g * oneMinusBeta1)));
        float gSquared = float(g * g);
        float vi = float(double(float(v.data[i] * beta2)) + double(float(double(gSquared) * oneMinusBeta2)));
        float denom = float(double(float(std::sqrt(double(vi)) / sqrtBiasCorrection2)) + eps);
        float decayed = float(param.data[i] * decayFactor);
        float update = float(double(float(double(mi) / double(denom))) * stepSize);
        mOut.data[i] = mi;
        vOut.data[i] = vi;
        paramOut.data[i] = float(double(decayed) - double(update));
      }
    });
    return nullptr;
  });
}

}  // namespace archzoo
