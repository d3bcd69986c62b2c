// Branch-free float math that GCC auto-vectorizes (no libm calls inside loops).
#pragma once
#include <cstdint>
#include <cstring>

namespace archzoo {

inline float bitsToFloat(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

// exp(x) for float32 with a maximum relative error of about 2e-7 (two ulp) on
// [-87.3, 88.7]; below that it returns 0 (the true value is subnormal, under 1.2e-38),
// above it +inf, and NaN stays NaN. Range reduction x = n ln2 + r, |r| <= ln2 / 2,
// then a degree-6 polynomial for exp(r) (the Cephes expf coefficients).
inline float fastExp(float x) {
  const float hi = 88.3762626647949f;
  const float lo = -87.3365478515625f;
  float xc = x > hi ? hi : (x < lo ? lo : x);
  // Round x / ln2 to the nearest integer with the 1.5 * 2^23 shifter trick.
  const float shifter = 12582912.0f;
  float t = xc * 1.44269504088896341f + shifter;
  float n = t - shifter;
  int32_t tBits;
  std::memcpy(&tBits, &t, sizeof(tBits));
  int32_t nInt = tBits - 0x4B400000;
  float r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float r2 = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r2 + r + 1.0f;
  // n lies in [-126, 127] after clamping, so 2^n is a normal float.
  float scale = bitsToFloat(static_cast<uint32_t>(nInt + 127) << 23);
  float result = p * scale;
  result = x < lo ? 0.0f : result;
  result = x > hi ? __builtin_inff() : result;
  return result;
}


// tanh(x) for float32 with a relative error below 1e-6. For |x| >= 0.25 it is
// 1 - 2 / (exp(2|x|) + 1) with the sign of x, where the subtraction loses no digits because
// the result is at least 0.24; below 0.25 the odd Taylor series to x^9, whose first omitted
// term is under 1e-8 relative there. Saturates to +-1 and keeps NaN.
inline float fastTanh(float x) {
  float a = x < 0.0f ? -x : x;
  float large = 1.0f - 2.0f / (fastExp(2.0f * a) + 1.0f);
  large = x < 0.0f ? -large : large;
  float x2 = x * x;
  float series = -17.0f / 315.0f + x2 * (62.0f / 2835.0f);
  series = 2.0f / 15.0f + x2 * series;
  series = -1.0f / 3.0f + x2 * series;
  series = x + x * x2 * series;
  return a < 0.25f ? series : large;
}
}  // namespace archzoo

namespace archzoo {

// Sum of n floats accumulated in double over eight independent lanes, so that GCC can
// vectorize it without -ffast-math (the lane order is fixed, so results are reproducible).
inline double sumAsDouble(const float* p, int64_t n) {
  double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    for (int l = 0; l < 8; ++l) lanes[l] += double(p[j + l]);
  }
  double total = 0.0;
  for (; j < n; ++j) total += double(p[j]);
  for (int l = 0; l < 8; ++l) total += lanes[l];
  return total;
}

// Maximum of n >= 1 floats; NaN anywhere gives NaN, as in the tfjs Max kernel. The main
// loop stays vectorizable: `v * 0` is NaN exactly for NaN and infinite v, and only then does
// a scalar pass decide.
inline float maxWithNaN(const float* p, int64_t n) {
  typedef float Vec8 __attribute__((vector_size(32)));
  Vec8 lanes = Vec8{} + p[0];
  Vec8 flags = Vec8{};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    Vec8 v;
    std::memcpy(&v, p + j, sizeof(v));
    flags += v * 0.0f;
    lanes = v > lanes ? v : lanes;
  }
  float best = lanes[0];
  float flag = flags[0];
  for (int l = 1; l < 8; ++l) {
    best = lanes[l] > best ? lanes[l] : best;
    flag += flags[l];
  }
  for (; j < n; ++j) {
    best = p[j] > best ? p[j] : best;
    flag += p[j] * 0.0f;
  }
  if (flag == 0.0f) return best;
  for (int64_t i = 0; i < n; ++i) {
    if (p[i] != p[i]) return p[i];
  }
  return best;
}

}  // namespace archzoo
