//===- LossKernelsTest.cpp - softmax cross-entropy under the harness ------===//
//
// The cross-entropy kernels (nfrt/cuda/LossKernels.cuh) against a float64
// reference on the same stored logits: the online softmax (one read for
// max and lse, bf16 mode's default, and forced on fp32 logits) and the
// two-pass one (fp32 mode), fused with the gradient (bf16 dlogits written
// in place over the logits, as the train step does) or as forward and
// backward (lse cached or recomputed). Rows span hundreds of units between
// each other and tens within one, so that a sum of exp(x) without the max
// overflows fp32 and a running sum not rescaled when the max grows is off
// by orders of magnitude; V is no multiple of 8 or 32 and the rows of a
// bf16 buffer start at every offset from a 16-byte boundary (the online
// kernels' head, chunks and tail), and one row's target holds its max.
//
// Tolerances: the loss within 1e-5 (mean) and a few fp32 ulps of the
// row's lse (a row's loss is lse - x_t, a difference of values of several
// hundred); each dlogit within one bf16 rounding of the reference (bf16)
// plus what fp32 arithmetic at that lse allows.
//
//===----------------------------------------------------------------------===//
#include "nfrt/cuda/LossKernels.cuh"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

using namespace nfrt::cuda;

namespace {

/// Logits stored as L and what the kernels read of them (fp32), targets,
/// and the float64 loss rows, lse and softmax gradient.
template <class L> struct Problem {
  int64_t n, v;
  std::vector<L> logits;
  std::vector<float> read;
  std::vector<int32_t> targets;
  std::vector<double> loss, lse, grad;

  void reference(double g) {
    loss.assign(n, 0);
    lse.assign(n, 0);
    grad.assign(n * v, 0);
    for (int64_t r = 0; r < n; ++r) {
      const float *x = &read[r * v];
      double m = -INFINITY, s = 0;
      for (int64_t j = 0; j < v; ++j)
        m = std::max(m, double(x[j]));
      for (int64_t j = 0; j < v; ++j)
        s += std::exp(double(x[j]) - m);
      lse[r] = m + std::log(s);
      loss[r] = lse[r] - x[targets[r]];
      for (int64_t j = 0; j < v; ++j)
        grad[r * v + j] = g * (std::exp(double(x[j]) - lse[r]) -
                               (j == targets[r] ? 1.0 : 0.0));
    }
  }
};

template <class L> Problem<L> randomProblem(int64_t n, int64_t v, int seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n01;
  std::uniform_real_distribution<float> offset(-400.f, 400.f);
  std::uniform_int_distribution<int32_t> target(0, int32_t(v - 1));
  Problem<L> p{n, v, {}, {}, {}, {}, {}, {}};
  for (int64_t r = 0; r < n; ++r) {
    // Row 0 is tightly peaked (spread 30: exp differences beyond fp32's
    // range within the row); the others mix spreads of 0.5 to 20.
    float shift = offset(rng), spread = r == 0 ? 30.f : 0.5f + float(r % 5) * 5;
    for (int64_t j = 0; j < v; ++j) {
      L x = fromF32<L>(shift + spread * n01(rng));
      p.logits.push_back(x);
      p.read.push_back(toF32(x));
    }
    p.targets.push_back(target(rng));
  }
  // Row 1's target holds the row's maximum (its loss is small, its
  // gradient at the target close to 0 from below).
  int64_t arg = 0;
  for (int64_t j = 1; j < v; ++j)
    if (p.read[v + j] > p.read[v + arg])
      arg = j;
  p.targets[1] = int32_t(arg);
  // Row 2's target is its last value (the tail of the chunked row).
  p.targets[2] = int32_t(v - 1);
  return p;
}

/// One fp32 ulp at |x| (at least at 1).
double ulp32(double x) {
  return std::ldexp(1.0, std::ilogb(std::max(std::fabs(x), 1.0)) - 23);
}
/// One bf16 ulp at |x| (8 significant bits).
double ulpBf16(double x) {
  return x == 0 ? 0 : std::ldexp(1.0, std::ilogb(std::fabs(x)) - 7);
}

/// Checks the loss rows and, when given, the gradient against the
/// reference.
template <class L, class DL>
void expectClose(const Problem<L> &p, const std::vector<float> &rowLoss,
                 const std::vector<DL> *grad, double g) {
  double sum = 0, want = 0;
  for (int64_t r = 0; r < p.n; ++r) {
    // lse - x_t: fp32 rounding of lse (a few hundred) and of the sum.
    double tol = 4 * ulp32(p.lse[r]) + 1e-6 * std::fabs(p.loss[r]);
    EXPECT_NEAR(rowLoss[r], p.loss[r], tol) << "row " << r;
    sum += rowLoss[r];
    want += p.loss[r];
  }
  EXPECT_LT(std::fabs(sum - want) / std::fabs(want), 1e-5) << "mean loss";
  if (!grad)
    return;
  int bad = 0;
  for (int64_t r = 0; r < p.n; ++r)
    for (int64_t j = 0; j < p.v; ++j) {
      double ref = p.grad[r * p.v + j], got = toF32((*grad)[r * p.v + j]);
      // softmax in fp32: exp(x - lse) with x - lse good to a few ulps of
      // lse; bf16 adds one rounding of the result.
      double prob = std::exp(double(p.read[r * p.v + j]) - p.lse[r]);
      double tol = std::fabs(g) * (prob * 8 * ulp32(p.lse[r]) + 1e-7) +
                   (std::is_same_v<DL, bf16> ? ulpBf16(ref) : 0.0);
      if (std::fabs(got - ref) > tol && ++bad <= 5)
        ADD_FAILURE() << "dlogits[" << r << ", " << j << "] = " << got
                      << ", want " << ref << " +- " << tol;
    }
  EXPECT_EQ(bad, 0) << "dlogits elements out of tolerance";
}

/// crossEntropyFused<N, V, L, DL, ONLINE>; in place (dlogits over the
/// logits) when IN_PLACE, with the logits `pad` elements past an aligned
/// start.
template <int64_t N, int64_t V, class L, class DL, bool ONLINE, bool IN_PLACE>
void checkFused(int seed, int64_t pad = 0) {
  SCOPED_TRACE(testing::Message() << "N " << N << " V " << V << " pad " << pad
                                  << (ONLINE ? " online" : " two-pass")
                                  << (IN_PLACE ? " in place" : ""));
  static_assert(!IN_PLACE || std::is_same_v<L, DL>);
  Problem<L> p = randomProblem<L>(N, V, seed);
  float dloss = 1.5f; // a seed other than 1 shows where g is applied
  double g = double(dloss) / N;
  p.reference(g);
  std::vector<L> buffer(pad + N * V);
  std::copy(p.logits.begin(), p.logits.end(), buffer.begin() + pad);
  std::vector<DL> separate(IN_PLACE ? 0 : N * V);
  DL *dlogits;
  if constexpr (IN_PLACE)
    dlogits = buffer.data() + pad;
  else
    dlogits = separate.data();
  std::vector<float> rowLoss(N, NAN);
  NF_LAUNCH((crossEntropyFused<N, V, L, DL, ONLINE>), dim3((N + 7) / 8),
            dim3(256), 0, nullptr, buffer.data() + pad, p.targets.data(),
            rowLoss.data(), dlogits, dloss);
  std::vector<DL> grad(dlogits, dlogits + N * V);
  expectClose(p, rowLoss, &grad, g);
}

/// The train step's pitched classifier (crossEntropyFused<N, V, bf16, bf16,
/// true, P>): bf16 logits in rows of pitch P > V (as the head's padded
/// GEMM writes them), dlogits in place. The pad columns hold a value far
/// above the row (read as a logit it would move lse by hundreds) and must
/// come back as zeros; a sentinel after the buffer stays. Against the
/// compact kernel (pitch V) on the same logits: bit for bit on the rows
/// that start 16-byte aligned in both layouts (the lanes then take the
/// same values), within the reference's tolerances everywhere (a compact
/// row starting elsewhere is cut into other chunks, so its lse may round
/// differently).
template <int64_t N, int64_t V, int64_t P> void checkPitched(int seed) {
  SCOPED_TRACE(testing::Message() << "N " << N << " V " << V << " pitch " << P);
  static_assert(P > V && P % 8 == 0);
  Problem<bf16> p = randomProblem<bf16>(N, V, seed);
  float dloss = 1.5f;
  double g = double(dloss) / N;
  p.reference(g);
  std::vector<bf16> compact = p.logits;
  std::vector<float> compactLoss(N, NAN), pitchedLoss(N, NAN);
  NF_LAUNCH((crossEntropyFused<N, V, bf16, bf16>), dim3((N + 7) / 8), dim3(256),
            0, nullptr, compact.data(), p.targets.data(), compactLoss.data(),
            compact.data(), dloss);
  const bf16 pad = fromF32<bf16>(1000.f), sentinel = fromF32<bf16>(-7.f);
  std::vector<bf16> pitched(N * P + 1, pad);
  pitched.back() = sentinel;
  for (int64_t r = 0; r < N; ++r)
    std::copy(&p.logits[r * V], &p.logits[r * V] + V, &pitched[r * P]);
  NF_LAUNCH((crossEntropyFused<N, V, bf16, bf16, true, P>), dim3((N + 7) / 8),
            dim3(256), 0, nullptr, pitched.data(), p.targets.data(),
            pitchedLoss.data(), pitched.data(), dloss);
  std::vector<bf16> grad(N * V);
  for (int64_t r = 0; r < N; ++r)
    std::copy(&pitched[r * P], &pitched[r * P] + V, &grad[r * V]);
  expectClose(p, pitchedLoss, &grad, g);
  int bad = 0, aligned = 0;
  for (int64_t r = 0; r < N; ++r) {
    for (int64_t j = V; j < P; ++j)
      if (toF32(pitched[r * P + j]) != 0.f && ++bad <= 5)
        ADD_FAILURE() << "pad dlogits[" << r << ", " << j
                      << "] = " << toF32(pitched[r * P + j]);
    if (r * V % 8 != 0)
      continue;
    ++aligned;
    EXPECT_EQ(pitchedLoss[r], compactLoss[r]) << "row " << r;
    for (int64_t j = 0; j < V; ++j)
      if (toF32(grad[r * V + j]) != toF32(compact[r * V + j]) && ++bad <= 5)
        ADD_FAILURE() << "dlogits[" << r << ", " << j
                      << "] = " << toF32(grad[r * V + j]) << ", compact "
                      << toF32(compact[r * V + j]);
  }
  EXPECT_EQ(bad, 0) << "pad or aligned-row dlogits differ";
  EXPECT_GE(aligned, 1);
  EXPECT_EQ(toF32(pitched.back()), toF32(sentinel)) << "written past the end";
}

/// crossEntropyForward (with or without the cache) then
/// crossEntropyBackward from the cache or recomputing lse.
template <int64_t N, int64_t V, class L, class DL, bool ONLINE>
void checkForwardBackward(int seed, bool cache) {
  SCOPED_TRACE(testing::Message()
               << "N " << N << " V " << V << (ONLINE ? " online" : " two-pass")
               << (cache ? " cached lse" : " recomputed lse"));
  Problem<L> p = randomProblem<L>(N, V, seed);
  float dloss = 0.75f;
  double g = double(dloss) / N;
  p.reference(g);
  std::vector<float> rowLoss(N, NAN), stats(2 * N, NAN);
  std::vector<DL> grad(N * V);
  NF_LAUNCH((crossEntropyForward<N, V, L, ONLINE>), dim3((N + 7) / 8),
            dim3(256), 0, nullptr, p.logits.data(), p.targets.data(),
            rowLoss.data(), cache ? stats.data() : nullptr);
  NF_LAUNCH((crossEntropyBackward<N, V, L, DL, ONLINE>), dim3((N + 7) / 8),
            dim3(256), 0, nullptr, p.logits.data(), p.targets.data(),
            cache ? stats.data() : nullptr, &dloss, grad.data());
  expectClose(p, rowLoss, &grad, g);
  if (cache)
    for (int64_t r = 0; r < N; ++r) {
      EXPECT_NEAR(stats[2 * r + 1], p.lse[r], 4 * ulp32(p.lse[r]))
          << "lse " << r;
      // The max is one of the row's values, exactly.
      EXPECT_EQ(stats[2 * r],
                *std::max_element(&p.read[r * V], &p.read[r * V] + V))
          << "max " << r;
    }
}

// bf16 mode's train step: the online softmax, bf16 dlogits in place. 19
// rows of an odd V start at every offset from a 16-byte boundary; V 1237
// is no multiple of 8 or 32, V 37 is barely more than a warp, V 5 less
// than one chunk.
TEST(LossKernelsTest, FusedBf16InPlace) {
  checkFused<19, 1237, bf16, bf16, true, true>(1);
}
TEST(LossKernelsTest, FusedBf16InPlaceUnalignedBuffer) {
  checkFused<19, 1237, bf16, bf16, true, true>(2, 3);
}
TEST(LossKernelsTest, FusedBf16InPlaceShortRows) {
  checkFused<17, 37, bf16, bf16, true, true>(3);
  checkFused<9, 5, bf16, bf16, true, true>(4);
}
TEST(LossKernelsTest, FusedBf16InPlaceVocabularyOfGpt2) {
  checkFused<3, 50257, bf16, bf16, true, true>(5);
}
// The train step's bf16 classifier at the head GEMM's padded pitch
// (linearPitch: 1237 -> 1280, 250 -> 256, GPT-2's 50257 -> 50304).
TEST(LossKernelsTest, FusedBf16InPlacePitched) {
  checkPitched<19, 1237, 1280>(15);
  checkPitched<17, 250, 256>(16);
}
TEST(LossKernelsTest, FusedBf16InPlacePitchedVocabularyOfGpt2) {
  checkPitched<9, 50257, 50304>(17);
}
// bf16 logits, fp32 gradient written elsewhere (its rows not aligned as
// the logits': one value per lane in the gradient pass).
TEST(LossKernelsTest, FusedBf16LogitsFp32Gradient) {
  checkFused<11, 1237, bf16, float, true, false>(6);
}
// The online softmax on fp32 logits (4 per chunk), and fp32 mode's
// two-pass kernel.
TEST(LossKernelsTest, FusedFp32Online) {
  checkFused<11, 1237, float, float, true, false>(7);
  checkFused<11, 1237, float, float, true, true>(8, 1);
}
TEST(LossKernelsTest, FusedFp32TwoPass) {
  checkFused<11, 1237, float, float, false, false>(9);
}
TEST(LossKernelsTest, ForwardBackwardBf16Online) {
  checkForwardBackward<13, 1237, bf16, float, true>(10, true);
  checkForwardBackward<13, 1237, bf16, float, true>(11, false);
}
TEST(LossKernelsTest, ForwardBackwardFp32) {
  checkForwardBackward<13, 1237, float, float, false>(12, true);
  checkForwardBackward<13, 1237, float, float, false>(13, false);
  checkForwardBackward<13, 1237, float, float, true>(14, false);
}

} // namespace
