//===- RopeTest.cpp - RoPE through its angle table under the harness -----===//
//
// launchRopeTable + launchRope (nfrt/cuda/AttentionKernels.cuh) against the
// kernel they replaced, which computed the angle in double per pair and
// every launch (copied below): the same bits, fp32 and bf16 in and out,
// forward and inverse (the backward's un-rotation), in place too.
//
//===----------------------------------------------------------------------===//
#include "nfrt/cuda/AttentionKernels.cuh"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

using namespace nfrt::cuda;

namespace {

/// The rotation before the table (AttentionKernels.cuh until then).
template <int64_t B, int64_t T, int64_t H, int64_t HD, class I, class O>
__global__ void __launch_bounds__(256)
    ropeFormula(const I *in, O *out, double theta, double sign) {
  constexpr int64_t Pairs = B * T * H * (HD / 2);
  for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       idx < Pairs; idx += int64_t(gridDim.x) * blockDim.x) {
    int64_t i = idx % (HD / 2), t = idx / (HD / 2) / H % T;
    double angle = sign * double(t) * pow(theta, -2.0 * double(i) / HD);
    float c = float(cos(angle)), s = float(sin(angle));
    int64_t at = idx * 2;
    float x0 = toF32(in[at]), x1 = toF32(in[at + 1]);
    out[at] = fromF32<O>(x0 * c - x1 * s);
    out[at + 1] = fromF32<O>(x0 * s + x1 * c);
  }
}

template <class X>
bool sameBits(const std::vector<X> &a, const std::vector<X> &b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(X)) == 0;
}

template <int64_t B, int64_t T, int64_t H, int64_t HD, class I, class O>
void checkBits(double theta) {
  constexpr int64_t n = B * T * H * HD;
  std::mt19937 rng(11);
  std::normal_distribution<float> n01;
  std::vector<I> in(n);
  for (I &x : in)
    x = fromF32<I>(3.f * n01(rng));
  std::vector<float> table(ropeTableFloats(T, HD));
  launchRopeTable<T, HD>(nullptr, table.data(), theta);
  for (bool inverse : {false, true}) {
    std::vector<O> want(n), got(n);
    // A few blocks, so that the grid-stride loop strides.
    ASSERT_EQ(
        nfrt::simt::launchKernel("ropeFormula", ropeFormula<B, T, H, HD, I, O>,
                                 dim3(3), dim3(64), 0, nullptr, in.data(),
                                 want.data(), theta, inverse ? -1.0 : 1.0),
        cudaSuccess);
    launchRope<B, T, H, HD, I, O>(nullptr, in.data(), got.data(), table.data(),
                                  inverse);
    EXPECT_TRUE(sameBits(want, got)) << (inverse ? "inverse" : "forward");
    size_t diff = 0;
    for (int64_t i = 0; i < n; ++i)
      diff += std::memcmp(&want[i], &got[i], sizeof(O)) != 0;
    EXPECT_EQ(diff, 0u) << "values that differ, "
                        << (inverse ? "inverse" : "forward");
  }
}

} // namespace

TEST(RopeTest, TableEqualsFormulaFp32) {
  checkBits<2, 37, 3, 16, float, float>(10000.0);
  checkBits<1, 130, 2, 64, float, float>(500000.0);
}

TEST(RopeTest, TableEqualsFormulaBf16) {
  checkBits<2, 37, 3, 32, bf16, bf16>(10000.0);
  checkBits<2, 37, 3, 32, bf16, float>(10000.0);
  checkBits<2, 37, 3, 32, float, bf16>(10000.0);
  checkBits<1, 130, 2, 128, bf16, bf16>(1e6);
}

// The table itself: the positive direction then the negative, each the
// angle in double rounded to float.
TEST(RopeTest, TableLayout) {
  constexpr int64_t T = 9, HD = 8;
  std::vector<float> table(ropeTableFloats(T, HD));
  ASSERT_EQ(table.size(), size_t(2 * T * HD));
  launchRopeTable<T, HD>(nullptr, table.data(), 100.0);
  for (int64_t dir = 0; dir < 2; ++dir)
    for (int64_t t = 0; t < T; ++t)
      for (int64_t i = 0; i < HD / 2; ++i) {
        double angle = (dir ? -1.0 : 1.0) * double(t) *
                       std::pow(100.0, -2.0 * double(i) / HD);
        const float *cs = table.data() + dir * ropeTableDirectionFloats(T, HD) +
                          2 * (t * (HD / 2) + i);
        EXPECT_EQ(cs[0], float(std::cos(angle))) << t << " " << i;
        EXPECT_EQ(cs[1], float(std::sin(angle))) << t << " " << i;
      }
}

// In place (in == out), as the header allows.
TEST(RopeTest, InPlace) {
  constexpr int64_t B = 1, T = 20, H = 2, HD = 16, n = B * T * H * HD;
  std::vector<float> x(n), want(n);
  for (int64_t i = 0; i < n; ++i)
    x[i] = float(i % 7) - 3.f;
  std::vector<float> table(ropeTableFloats(T, HD));
  launchRopeTable<T, HD>(nullptr, table.data(), 10000.0);
  launchRope<B, T, H, HD, float, float>(nullptr, x.data(), want.data(),
                                        table.data(), false);
  launchRope<B, T, H, HD, float, float>(nullptr, x.data(), x.data(),
                                        table.data(), false);
  EXPECT_TRUE(sameBits(x, want));
}
