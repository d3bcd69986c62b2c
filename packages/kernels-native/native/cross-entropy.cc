// Fused softmax cross-entropy over logits [N, V] with int32 labels [N]; a negative label
// marks an ignored row (loss 0, gradient only through logsumexp).
#include <cmath>
#include <cstdint>
#include <vector>

#include "fast-math.h"
#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {

// crossEntropy(logits, labels, loss, logsumexp, N, V) -> index of the first row whose label
// is >= V, or -1 when all labels are valid. Rows with bad labels are left unwritten.
napi_value CrossEntropy(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> logits = args.f32(0), loss = args.f32(2), lse = args.f32(3);
    View<int32_t> labels = args.i32(1);
    int64_t rows = args.integer(4), vocab = args.integer(5);
    requireLength(logits, size_t(rows * vocab), "logits");
    requireLength(labels, size_t(rows), "labels");
    requireLength(loss, size_t(rows), "loss");
    requireLength(lse, size_t(rows), "logsumexp");
    for (int64_t r = 0; r < rows; ++r) {
      if (labels.data[r] >= vocab) return makeNumber(env, double(r));
    }
    if (vocab <= 0) throw ArgError("crossEntropy needs at least one class");
    parallelFor(rows, std::max<int64_t>(1, (1 << 15) / vocab), [&](int64_t first, int64_t last) {
      std::vector<float> scratch(static_cast<size_t>(vocab));
      for (int64_t r = first; r < last; ++r) {
        const float* row = logits.data + r * vocab;
        float maxValue = maxWithNaN(row, vocab);
        for (int64_t j = 0; j < vocab; ++j) scratch[j] = fastExp(row[j] - maxValue);
        float logSumExp = maxValue + float(std::log(sumAsDouble(scratch.data(), vocab)));
        int32_t label = labels.data[r];
        lse.data[r] = logSumExp;
        loss.data[r] = label < 0 ? 0.0f : logSumExp - row[label];
      }
    });
    return makeNumber(env, -1);
  });
}

// crossEntropyGrad(logits, labels, logsumexp, dLoss, dLogsumexp, dLogits, N, V):
// dLogits = softmax * (dLoss + dLogsumexp) - onehot(label) * dLoss, where ignored rows
// (label < 0) get softmax * dLogsumexp. Labels must already be validated (< V).
napi_value CrossEntropyGrad(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Args args(env, info);
    View<float> logits = args.f32(0), lse = args.f32(2), dLoss = args.f32(3), dLse = args.f32(4),
                out = args.f32(5);
    View<int32_t> labels = args.i32(1);
    int64_t rows = args.integer(6), vocab = args.integer(7);
    requireLength(logits, size_t(rows * vocab), "logits");
    requireLength(out, size_t(rows * vocab), "dLogits");
    requireLength(labels, size_t(rows), "labels");
    requireLength(lse, size_t(rows), "logsumexp");
    requireLength(dLoss, size_t(rows), "dLoss");
    requireLength(dLse, size_t(rows), "dLogsumexp");
    for (int64_t r = 0; r < rows; ++r) {
      if (labels.data[r] >= vocab) throw ArgError("label " + std::to_string(labels.data[r]) + " in row " +
                                                  std::to_string(r) + " is not below V=" + std::to_string(vocab));
    }
    parallelFor(rows, std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, vocab)), [&](int64_t first, int64_t last) {
      for (int64_t r = first; r < last; ++r) {
        const float* row = logits.data + r * vocab;
        float* dst = out.data + r * vocab;
        int32_t label = labels.data[r];
        float gLoss = label < 0 ? 0.0f : dLoss.data[r];
        float scale = gLoss + dLse.data[r];
        float shift = lse.data[r];
        for (int64_t j = 0; j < vocab; ++j) dst[j] = fastExp(row[j] - shift) * scale;
        if (label >= 0) dst[label] -= gLoss;
      }
    });
    return nullptr;
  });
}

}  // namespace archzoo
