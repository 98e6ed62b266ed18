//===- LinearKernelsTest.cpp - bf16 GEMMs with a padded OUT ---------------===//
//
// bf16 mode's linear maps (nfrt/cuda/LinearKernels.cuh) under the harness
// (cuBLAS served by OpenBLAS) against float64 on the same bf16-rounded
// operands: an OUT that is a multiple of 8 (cuBLAS's aligned kernels as
// they are) and one that is not (padded to 64 inside the launcher, the
// output compacted), which must give the same numbers and write nothing
// past y, dx and dW.
//
//===----------------------------------------------------------------------===//
#include "nfrt/cuda/LinearKernels.cuh"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace nfrt::cuda;

namespace {

double bf(float x) { return float(__nv_bfloat16(x)); }

constexpr float kSentinel = 12345.f;

/// With `stepCopy`, W goes in as its bf16 copy made by weightsToBf16 (next
/// to a second weight, so the batch has two tensors), and the launchers'
/// scratch has no room for W.
template <int64_t N, int64_t IN, int64_t OUT, bool stepCopy = false>
void checkLinear() {
  SCOPED_TRACE(testing::Message()
               << "N " << N << " IN " << IN << " OUT " << OUT << " pitch "
               << linearPitch<OUT>() << (stepCopy ? " (step copy)" : ""));
  std::mt19937 rng{uint32_t(OUT)};
  std::normal_distribution<float> n01;
  std::vector<float> x(N * IN), w(OUT * IN), dy(N * OUT);
  for (float &v : x)
    v = n01(rng);
  for (float &v : w)
    v = n01(rng);
  for (float &v : dy)
    v = n01(rng);
  // One sentinel past each output: the launchers must not write there.
  std::vector<float> y(N * OUT + 1, kSentinel), dx(N * IN + 1, kSentinel),
      dw(OUT * IN + 1, kSentinel);
  std::vector<float> scratch(linearBf16Scratch<N, IN, OUT, stepCopy>(),
                             kSentinel);
  cublasHandle_t h;
  ASSERT_EQ(cublasCreate(&h), CUBLAS_STATUS_SUCCESS);
  if constexpr (stepCopy) {
    // The copies as the train step lays them out in its cache, plus one
    // float past the end that must stay untouched.
    std::vector<float> other(3 * IN, 1.f);
    int64_t at = weightBf16Floats(IN, 3);
    std::vector<float> copies(at + weightBf16Floats(IN, OUT) + 1, kSentinel);
    auto *base = reinterpret_cast<__nv_bfloat16 *>(copies.data());
    const WeightCopy list[] = {{other.data(), base, 3, IN},
                               {w.data(), base + 2 * at, OUT, IN}};
    weightsToBf16(nullptr, list);
    EXPECT_EQ(copies.back(), kSentinel);
    const __nv_bfloat16 *wb = base + 2 * at;
    for (int64_t i = 0; i < linearPitch<OUT>() * IN; ++i)
      ASSERT_EQ(float(wb[i]), i < OUT * IN ? bf(w[i]) : 0.0) << "W copy " << i;
    linearForwardBf16<N, IN, OUT, float, float>(h, nullptr, x.data(), wb,
                                                y.data(), scratch.data());
    linearBackwardBf16<N, IN, OUT, float, float, float>(
        h, nullptr, x.data(), wb, dy.data(), dx.data(), dw.data(),
        scratch.data());
  } else {
    linearForwardBf16<N, IN, OUT, float, float>(h, nullptr, x.data(), w.data(),
                                                y.data(), scratch.data());
    linearBackwardBf16<N, IN, OUT, float, float, float>(
        h, nullptr, x.data(), w.data(), dy.data(), dx.data(), dw.data(),
        scratch.data());
  }
  cublasDestroy(h);
  EXPECT_EQ(y[N * OUT], kSentinel);
  EXPECT_EQ(dx[N * IN], kSentinel);
  EXPECT_EQ(dw[OUT * IN], kSentinel);
  auto near = [](double got, double want, const char *what, int64_t i) {
    EXPECT_NEAR(got, want, 1e-5 * (1 + std::fabs(want)))
        << what << "[" << i << "]";
  };
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < OUT; ++o) {
      double s = 0;
      for (int64_t i = 0; i < IN; ++i)
        s += bf(x[n * IN + i]) * bf(w[o * IN + i]);
      near(y[n * OUT + o], s, "y", n * OUT + o);
    }
  for (int64_t n = 0; n < N; ++n)
    for (int64_t i = 0; i < IN; ++i) {
      double s = 0;
      for (int64_t o = 0; o < OUT; ++o)
        s += bf(dy[n * OUT + o]) * bf(w[o * IN + i]);
      near(dx[n * IN + i], s, "dx", n * IN + i);
    }
  for (int64_t o = 0; o < OUT; ++o)
    for (int64_t i = 0; i < IN; ++i) {
      double s = 0;
      for (int64_t n = 0; n < N; ++n)
        s += bf(dy[n * OUT + o]) * bf(x[n * IN + i]);
      near(dw[o * IN + i], s, "dW", o * IN + i);
    }
}

/// The train step's pitched classifier (PITCHED = true): y and dy bf16 in
/// rows of pitch P = linearPitch(OUT). The forward's GEMM writes y there
/// (the compact launcher's values in the real columns, bit for bit, and
/// zeros in the pad columns: x times W's zero pad rows); the backward reads
/// a dy with zero pad columns as it is and gives the padded copy's dx and
/// dW bit for bit. Both run with scratch sized for the pitched form (no
/// tail), a sentinel after it.
template <int64_t N, int64_t IN, int64_t OUT> void checkPitched() {
  constexpr int64_t P = linearPitch<OUT>();
  static_assert(P > OUT);
  SCOPED_TRACE(testing::Message() << "N " << N << " IN " << IN << " OUT " << OUT
                                  << " pitch " << P);
  using bf16 = __nv_bfloat16;
  std::mt19937 rng{uint32_t(OUT + 1)};
  std::normal_distribution<float> n01;
  std::vector<bf16> x(N * IN), dyCompact(N * OUT), dyPitched(N * P + 1);
  std::vector<float> w(OUT * IN);
  for (bf16 &v : x)
    v = bf16(n01(rng));
  for (float &v : w)
    v = n01(rng);
  for (int64_t r = 0; r < N; ++r)
    for (int64_t c = 0; c < P; ++c) {
      bf16 v = bf16(c < OUT ? n01(rng) : 0.f);
      dyPitched[r * P + c] = v;
      if (c < OUT)
        dyCompact[r * OUT + c] = v;
    }
  dyPitched.back() = bf16(kSentinel);
  std::vector<float> compactScratch(linearBf16Scratch<N, IN, OUT>());
  std::vector<float> scratch(
      linearBf16ScratchFloats(N, IN, OUT, false, true) + 1, kSentinel);
  EXPECT_LT(scratch.size(), compactScratch.size());
  cublasHandle_t h;
  ASSERT_EQ(cublasCreate(&h), CUBLAS_STATUS_SUCCESS);
  std::vector<bf16> yCompact(N * OUT), yPitched(N * P + 1, bf16(kSentinel));
  linearForwardBf16<N, IN, OUT, bf16, bf16>(
      h, nullptr, x.data(), w.data(), yCompact.data(), compactScratch.data());
  linearForwardBf16<N, IN, OUT, bf16, bf16, true>(
      h, nullptr, x.data(), w.data(), yPitched.data(), scratch.data());
  std::vector<float> dx(N * IN), dw(OUT * IN), dxPitched(N * IN + 1, kSentinel),
      dwPitched(OUT * IN + 1, kSentinel);
  linearBackwardBf16<N, IN, OUT, bf16, bf16, float>(
      h, nullptr, x.data(), w.data(), dyCompact.data(), dx.data(), dw.data(),
      compactScratch.data());
  linearBackwardBf16<N, IN, OUT, bf16, bf16, float, true>(
      h, nullptr, x.data(), w.data(), dyPitched.data(), dxPitched.data(),
      dwPitched.data(), scratch.data());
  cublasDestroy(h);
  EXPECT_EQ(scratch.back(), kSentinel) << "scratch written past its size";
  EXPECT_EQ(float(yPitched.back()), bf(kSentinel)) << "y written past the end";
  EXPECT_EQ(float(dyPitched.back()), bf(kSentinel));
  EXPECT_EQ(dxPitched.back(), kSentinel);
  EXPECT_EQ(dwPitched.back(), kSentinel);
  int bad = 0;
  auto same = [&](float got, float want, const char *what, int64_t i) {
    if (std::memcmp(&got, &want, sizeof got) != 0 && ++bad <= 5)
      ADD_FAILURE() << what << "[" << i << "] = " << got << ", want " << want;
  };
  for (int64_t r = 0; r < N; ++r)
    for (int64_t c = 0; c < P; ++c)
      same(float(yPitched[r * P + c]),
           c < OUT ? float(yCompact[r * OUT + c]) : 0.f, "y", r * P + c);
  for (int64_t i = 0; i < N * IN; ++i)
    same(dxPitched[i], dx[i], "dx", i);
  for (int64_t i = 0; i < OUT * IN; ++i)
    same(dwPitched[i], dw[i], "dW", i);
  EXPECT_EQ(bad, 0);
}

TEST(LinearKernelsTest, AlignedOut) { checkLinear<24, 32, 64>(); }
// A vocabulary-like OUT: 50 -> pitch 64, 131 -> 192.
TEST(LinearKernelsTest, PaddedOut) { checkLinear<24, 32, 50>(); }
TEST(LinearKernelsTest, PaddedOutOverOneTile) { checkLinear<7, 16, 131>(); }

TEST(LinearKernelsTest, StepCopyAlignedOut) { checkLinear<24, 32, 64, true>(); }
TEST(LinearKernelsTest, StepCopyPaddedOut) { checkLinear<7, 16, 131, true>(); }

// The classifier stored at the GEMM's pitch: 50 -> 64, 131 -> 192, 250 ->
// 256.
TEST(LinearKernelsTest, PitchedOut) {
  checkPitched<24, 32, 50>();
  checkPitched<7, 16, 131>();
  checkPitched<5, 32, 250>();
}

TEST(LinearKernelsTest, Pitch) {
  static_assert(linearPitch<50257>() == 50304, "GPT-2's vocabulary");
  static_assert(linearPitch<256>() == 256 && linearPitch<768>() == 768,
                "aligned sizes are not padded");
  static_assert(linearPitch<100>() == 128, "100 is no multiple of 8");
}

} // namespace
