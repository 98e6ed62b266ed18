//===- FlashAttentionTest.cpp - tensor-core attention under the harness ---===//
//
// The emulated mma against a plain matrix product (with the fragment
// layout of the PTX ISA, nfrt/cuda/Mma.cuh), then the flash attention
// kernels (nfrt/cuda/FlashAttentionKernels.cuh) against a float64
// reference that rounds where they round (test/torch/bf16_policy.py
// attention): q, k, v, dO, P and dS to bf16, with D = sum_c dO O from the
// output the backward is given. What remains between the two
// is fp32 arithmetic and the forward's rounding of exp(S - m) at the
// running instead of the final max, well under the 4e-3 the tests allow;
// a wrong tile index or mask is an error of order 1.
//
//===----------------------------------------------------------------------===//
#include "nfrt/cuda/FlashAttentionKernels.cuh"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

using namespace nfrt::cuda;

namespace {

double roundBf16(double x) { return nfBf16BitsToFloat(bf16Bits(float(x))); }

// One warp: D = A B through the fragment loaders and mmaBf16, A 16x16 and
// B 16x8 given row major in global memory.
__global__ void mmaTile(const float *a, const float *b, float *d) {
  constexpr int64_t HD = 16; // a pitch of 24 bf16, as FlashTiles<16>
  __shared__ uint16_t as[16 * 24], bs[16 * 24];
  for (int i = threadIdx.x; i < 16 * 16; i += 32)
    as[i / 16 * 24 + i % 16] = bf16Bits(a[i]);
  for (int i = threadIdx.x; i < 16 * 8; i += 32)
    bs[i / 8 * 24 + i % 8] = bf16Bits(b[i]);
  __syncwarp();
  uint32_t af[4], bf[2];
  flash::loadA<HD>(af, as, 0, 0);
  flash::loadB<HD>(bf, bs, 0, 0);
  float acc[4] = {1.f, 2.f, 3.f, 4.f}; // C is added
  mmaBf16(acc, af, bf);
  int g = threadIdx.x / 4, t = threadIdx.x % 4;
  for (int e = 0; e < 4; ++e)
    d[(g + (e >= 2 ? 8 : 0)) * 8 + 2 * t + (e & 1)] = acc[e];
}

TEST(FlashAttentionTest, MmaMatchesTheMatrixProduct) {
  std::mt19937 rng(7);
  std::normal_distribution<float> n01;
  std::vector<float> a(256), b(128), d(128);
  for (float &x : a)
    x = n01(rng);
  for (float &x : b)
    x = n01(rng);
  ASSERT_EQ(nfrt::simt::launchKernel("mmaTile", mmaTile, dim3(1), dim3(32), 0,
                                     nullptr, a.data(), b.data(), d.data()),
            cudaSuccess);
  for (int r = 0; r < 16; ++r)
    for (int c = 0; c < 8; ++c) {
      double want = 1 + (r >= 8 ? 2 : 0) + (c & 1);
      for (int k = 0; k < 16; ++k)
        want += roundBf16(a[r * 16 + k]) * roundBf16(b[k * 8 + c]);
      EXPECT_NEAR(d[r * 8 + c], want, 1e-5 * (1 + std::fabs(want)))
          << "row " << r << " col " << c;
    }
}

/// Causal attention of [B, T, H, HD] tensors in float64, rounded where the
/// kernels round.
struct Reference {
  int64_t b, t, h, hd;
  std::vector<double> out, dq, dk, dv;

  size_t at(int64_t bi, int64_t ti, int64_t hi) const {
    return size_t(((bi * t + ti) * h + hi) * hd);
  }

  /// `o` is the forward output the backward reads (for D).
  void run(const std::vector<float> &q, const std::vector<float> &k,
           const std::vector<float> &v, const std::vector<float> &dout,
           const std::vector<float> &o) {
    size_t n = q.size();
    out.assign(n, 0);
    dq.assign(n, 0);
    dk.assign(n, 0);
    dv.assign(n, 0);
    double scale = 1 / std::sqrt(double(hd));
    auto r = [](const std::vector<float> &x) {
      std::vector<double> y(x.size());
      for (size_t i = 0; i < x.size(); ++i)
        y[i] = roundBf16(x[i]);
      return y;
    };
    std::vector<double> qb = r(q), kb = r(k), vb = r(v), db = r(dout);
    auto dot = [&](const std::vector<double> &x, size_t i,
                   const std::vector<double> &y, size_t j) {
      double s = 0;
      for (int64_t c = 0; c < hd; ++c)
        s += x[i + c] * y[j + c];
      return s;
    };
    for (int64_t bi = 0; bi < b; ++bi)
      for (int64_t hi = 0; hi < h; ++hi)
        for (int64_t i = 0; i < t; ++i) {
          size_t qi = at(bi, i, hi);
          std::vector<double> s(i + 1), p(i + 1), dp(i + 1);
          double m = -INFINITY, l = 0, d = 0;
          for (int64_t j = 0; j <= i; ++j)
            m = std::max(m, s[j] = scale * dot(qb, qi, kb, at(bi, j, hi)));
          for (int64_t j = 0; j <= i; ++j)
            l += p[j] = std::exp(s[j] - m);
          for (int64_t j = 0; j <= i; ++j) {
            size_t kj = at(bi, j, hi);
            for (int64_t c = 0; c < hd; ++c)
              out[qi + c] += roundBf16(p[j]) * vb[kj + c] / l;
            p[j] /= l;
            dp[j] = dot(db, qi, vb, kj);
          }
          for (int64_t c = 0; c < hd; ++c)
            d += double(dout[qi + c]) * o[qi + c];
          for (int64_t j = 0; j <= i; ++j) {
            size_t kj = at(bi, j, hi);
            double ds = roundBf16(p[j] * (dp[j] - d) * scale);
            double pb = roundBf16(p[j]);
            for (int64_t c = 0; c < hd; ++c) {
              dq[qi + c] += ds * kb[kj + c];
              dk[kj + c] += ds * qb[qi + c];
              dv[kj + c] += pb * db[qi + c];
            }
          }
        }
  }
};

/// max |got - want| / max |want|.
template <class X>
double relativeError(const std::vector<X> &got,
                     const std::vector<double> &want) {
  double err = 0, scale = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    err = std::max(err, std::fabs(double(float(got[i])) - want[i]));
    scale = std::max(scale, std::fabs(want[i]));
  }
  return err / scale;
}

/// The kernels at [B, T, H, HD] with q, k, v, dO and the outputs stored as
/// X (float, or bf16 as bf16 mode stores attention's operands), against
/// the reference.
template <int64_t B, int64_t T, int64_t H, int64_t HD, class X,
          bool RECOMPUTE = false>
void checkShape() {
  SCOPED_TRACE(testing::Message()
               << "B " << B << " T " << T << " H " << H << " HD " << HD);
  constexpr size_t n = B * T * H * HD;
  std::mt19937 rng(uint32_t(T * 131 + HD));
  std::normal_distribution<float> n01;
  std::vector<float> qf(n), kf(n), vf(n), df(n);
  // Scores of a few units: the softmax is neither flat nor one-hot.
  for (size_t i = 0; i < n; ++i) {
    qf[i] = 1.5f * n01(rng);
    kf[i] = 1.5f * n01(rng);
    vf[i] = n01(rng);
    df[i] = n01(rng);
  }
  auto stored = [](const std::vector<float> &x) {
    std::vector<X> y(x.size());
    for (size_t i = 0; i < x.size(); ++i)
      y[i] = fromF32<X>(x[i]);
    return y;
  };
  std::vector<X> q = stored(qf), k = stored(kf), v = stored(vf),
                 dout = stored(df), out(n), dq(n), dk(n), dv(n);
  std::vector<float> stats(flashAttentionStatsFloats<B, T, H>());
  std::vector<float> scratch(
      flashAttentionBackwardScratch<B, T, H, HD, RECOMPUTE>());
  flashAttentionForward<B, T, H, HD, X, X, X>(
      nullptr, q.data(), k.data(), v.data(), out.data(), stats.data());
  // The train step hands the backward the forward's output and statistics;
  // without them (RECOMPUTE) it runs the forward again (fp32 output).
  flashAttentionBackward<B, T, H, HD, X, X, X, X, X, X, X>(
      nullptr, q.data(), k.data(), v.data(), dout.data(),
      RECOMPUTE ? nullptr : out.data(), RECOMPUTE ? nullptr : stats.data(),
      dq.data(), dk.data(), dv.data(), scratch.data());
  auto widen = [](const std::vector<X> &x) {
    std::vector<float> y(x.size());
    for (size_t i = 0; i < x.size(); ++i)
      y[i] = toF32(x[i]);
    return y;
  };
  Reference ref{B, T, H, HD, {}, {}, {}, {}};
  ref.run(widen(q), widen(k), widen(v), widen(dout), widen(out));
  // bf16 outputs are rounded once more on the way out.
  double tol = std::is_same_v<X, float> ? 4e-3 : 8e-3;
  EXPECT_LT(relativeError(out, ref.out), tol) << "out";
  EXPECT_LT(relativeError(dq, ref.dq), tol) << "dq";
  EXPECT_LT(relativeError(dk, ref.dk), tol) << "dk";
  EXPECT_LT(relativeError(dv, ref.dv), tol) << "dv";
}

// T not a multiple of any tile; several heads and batches (the block's
// head and tile index); each head dimension's tile shape.
TEST(FlashAttentionTest, HeadDim32) { checkShape<2, 100, 2, 32, float>(); }
TEST(FlashAttentionTest, HeadDim64) { checkShape<1, 130, 2, 64, float>(); }
TEST(FlashAttentionTest, HeadDim128) { checkShape<1, 77, 1, 128, float>(); }
TEST(FlashAttentionTest, HeadDim48) { checkShape<1, 40, 1, 48, float>(); }
TEST(FlashAttentionTest, ShortSequence) { checkShape<3, 5, 1, 16, float>(); }
TEST(FlashAttentionTest, Bf16Storage) { checkShape<2, 70, 2, 32, bf16>(); }
TEST(FlashAttentionTest, RecomputedForward) {
  checkShape<2, 70, 2, 32, float, true>();
}

} // namespace
