//===- DiagnosticKernelsTest.cpp - saturation and scale blindness --------===//
//
// The layer diagnostics of docs/math.md#diagnostics on inputs whose
// answer is known: rows of very different scale through a DyT/Derf layer
// in its linear regime (the output keeps the input's scale: slope 1), in
// saturation (every row comes out at about the same scale: slope 0), and
// rows of equal scale (no slope: NaN).
//
//===----------------------------------------------------------------------===//
#include "nfrt/cpu/NormKernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace nfrt::cpu;

namespace {

constexpr int64_t N = 64, D = 32;

/// Row r is a fixed pattern times 2^(r / 8): RMS spans a factor of 256.
std::vector<float> rowsOfGrowingScale() {
  std::vector<float> x(N * D);
  for (int64_t r = 0; r < N; ++r)
    for (int64_t j = 0; j < D; ++j)
      x[r * D + j] = std::ldexp(1.f, int(r / 8)) * std::sin(0.7f * j + 0.3f);
  return x;
}

TEST(ScaleBlindness, LinearRegimeKeepsScale) {
  std::vector<float> x = rowsOfGrowingScale();
  float alpha = 1e-4f, shift = 0.f; // |alpha x| <= 0.026: erf, tanh linear
  EXPECT_NEAR((scaleBlindness<N, D, 1>(x.data(), &alpha, &shift, 1.f)), 1.0,
              1e-3);
  EXPECT_NEAR((scaleBlindness<N, D, 0>(x.data(), &alpha, nullptr, 1.f)), 1.0,
              1e-3);
}

TEST(ScaleBlindness, SaturationDiscardsScale) {
  std::vector<float> x = rowsOfGrowingScale();
  float alpha = 1e3f, shift = 0.f; // nearly every |alpha x| > 10
  EXPECT_NEAR((scaleBlindness<N, D, 1>(x.data(), &alpha, &shift, 1.f)), 0.0,
              0.02);
  EXPECT_NEAR((scaleBlindness<N, D, 0>(x.data(), &alpha, nullptr, 1.f)), 0.0,
              0.02);
}

TEST(ScaleBlindness, InverseScaleOfDerfEmaApplies) {
  // alpha x / c with c = 1e7 is the linear regime again.
  std::vector<float> x = rowsOfGrowingScale();
  float alpha = 1e3f, shift = 0.f;
  EXPECT_NEAR((scaleBlindness<N, D, 1>(x.data(), &alpha, &shift, 1e-7f)), 1.0,
              1e-3);
}

TEST(ScaleBlindness, EqualRowScalesHaveNoSlope) {
  std::vector<float> x(N * D, 0.5f);
  float alpha = 1.f, shift = 0.f;
  EXPECT_TRUE(
      std::isnan(scaleBlindness<N, D, 1>(x.data(), &alpha, &shift, 1.f)));
}

TEST(SaturationFraction, CountsBeyondThreshold) {
  // alpha x + s over x = -2, -1, 0, 1, 2 with alpha 1, s 0.5 is -1.5, -0.5,
  // 0.5, 1.5, 2.5: one magnitude beyond 2, three beyond 1.4.
  std::vector<float> x = {-2.f, -1.f, 0.f, 1.f, 2.f};
  float alpha = 1.f, shift = 0.5f;
  EXPECT_FLOAT_EQ((saturationFraction<5>(x.data(), &alpha, &shift, 1.f, 2.f)),
                  1.f / 5);
  EXPECT_FLOAT_EQ((saturationFraction<5>(x.data(), &alpha, &shift, 1.f, 1.4f)),
                  3.f / 5);
}

} // namespace
