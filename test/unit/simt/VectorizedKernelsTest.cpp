//===- VectorizedKernelsTest.cpp - 16-byte chunks of the pointwise and row
// kernels ----------------------------------------------------------------===//
//
// The pointwise, broadcast, norm and embedding kernels move 16-byte chunks
// (nfrt/cuda/Vec.cuh) where the shape and pointers allow and single values
// elsewhere. Under the SIMT harness, against host loops:
//   - pointwise results must be bit-identical to the scalar formula, fp32
//     and bf16 (one rounding), for sizes with a scalar tail, sizes below
//     one chunk, unaligned pointers (the scalar path) and small grids;
//   - the row kernels and the dyt/derf partial sums must be bit-identical
//     to a host emulation of the lanes' (threads') chunks and the warp
//     butterfly with the chunk the kernel should take: 16 bytes of the
//     input when D (rows) and the pointers allow, else 1 (the scalar
//     kernels' order). The two orders round differently on these inputs
//     (checked), so a skipped or misplaced vector path fails.
//
//===----------------------------------------------------------------------===//
#include "nfrt/cuda/ElementwiseKernels.cuh"
#include "nfrt/cuda/EmbeddingKernels.cuh"
#include "nfrt/cuda/NormScaleKernels.cuh"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using nfrt::cuda::bf16;
using nfrt::cuda::fromF32;
using nfrt::cuda::strideBlocks;

namespace {

/// A device copy of `host`, `pad` elements past a 256-byte aligned address
/// (pad 1: only element-aligned, the scalar path).
template <class T> struct Buf {
  T *base = nullptr, *ptr = nullptr;
  size_t n = 0;
  Buf(const std::vector<T> &host, int64_t pad = 0) : n(host.size()) {
    EXPECT_EQ(cudaMalloc(&base, (n + pad) * sizeof(T)), cudaSuccess);
    ptr = base + pad;
    EXPECT_EQ(
        cudaMemcpy(ptr, host.data(), n * sizeof(T), cudaMemcpyHostToDevice),
        cudaSuccess);
  }
  Buf(const Buf &) = delete;
  ~Buf() { cudaFree(base); }
  std::vector<T> get() const {
    EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    std::vector<T> host(n);
    EXPECT_EQ(
        cudaMemcpy(host.data(), ptr, n * sizeof(T), cudaMemcpyDeviceToHost),
        cudaSuccess);
    return host;
  }
};

/// Random values stored as T, and their (exact) fp32 widening.
template <class T> struct Data {
  std::vector<T> stored;
  std::vector<float> f32;
};

template <class T>
Data<T> random(int64_t n, uint32_t seed, float scale = 1.f,
               float offset = 0.f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n01;
  Data<T> d;
  for (int64_t i = 0; i < n; ++i) {
    T v = fromF32<T>(offset + scale * n01(rng));
    d.stored.push_back(v);
    d.f32.push_back(nfrt::cuda::toF32(v));
  }
  return d;
}

/// Poison for outputs: every element must be written.
template <class T> std::vector<T> nans(int64_t n) {
  return std::vector<T>(n, fromF32<T>(std::numeric_limits<float>::quiet_NaN()));
}

template <class T> std::vector<T> rounded(const std::vector<float> &v) {
  std::vector<T> out;
  for (float x : v)
    out.push_back(fromF32<T>(x));
  return out;
}

/// The first element whose bits differ, or "none".
template <class T>
std::string firstDifference(const std::vector<T> &got,
                            const std::vector<T> &want) {
  if (got.size() != want.size())
    return "sizes differ";
  for (size_t i = 0; i < want.size(); ++i)
    if (std::memcmp(&got[i], &want[i], sizeof(T)) != 0)
      return "element " + std::to_string(i) + " of " +
             std::to_string(want.size()) + ": " +
             std::to_string(nfrt::cuda::toF32(got[i])) + " vs " +
             std::to_string(nfrt::cuda::toF32(want[i]));
  return "none";
}

#define EXPECT_SAME_BITS(got, want)                                            \
  EXPECT_EQ(firstDifference(got, want), "none")

/// Pads that give each pointer 16-byte alignment (0) or not (1).
constexpr int64_t kAligned = 0, kUnaligned = 1;

//===----------------------------------------------------------------------===//
// Pointwise kernels: bit-identical to the scalar formula.
//===----------------------------------------------------------------------===//

template <int64_t S, class T> void checkFill(int64_t pad, unsigned grid) {
  Buf<T> out(nans<T>(S), pad);
  NF_LAUNCH((nfrt::cuda::fill<S, T>), dim3(grid), dim3(256), 0, nullptr,
            out.ptr, 0.3f);
  EXPECT_SAME_BITS(out.get(), rounded<T>(std::vector<float>(S, 0.3f)));
}

/// y = f(x) elementwise by `launch` against `ref`.
template <int64_t S, class X, class Y, class Launch, class Ref>
void checkUnary(Launch launch, Ref ref, int64_t pad, unsigned grid,
                uint32_t seed) {
  Data<X> x = random<X>(S, seed, 2.f);
  Buf<X> dx(x.stored, pad);
  Buf<Y> dy(nans<Y>(S), pad);
  launch(grid, dx.ptr, dy.ptr);
  std::vector<float> want(S);
  for (int64_t i = 0; i < S; ++i)
    want[i] = ref(x.f32[i]);
  EXPECT_SAME_BITS(dy.get(), rounded<Y>(want));
}

/// dx = f(x, dy) elementwise.
template <int64_t S, class X, class DY, class DX, class Launch, class Ref>
void checkBinary(Launch launch, Ref ref, int64_t pad, unsigned grid,
                 uint32_t seed) {
  Data<X> x = random<X>(S, seed, 2.f);
  Data<DY> g = random<DY>(S, seed + 1);
  Buf<X> dX(x.stored, pad);
  Buf<DY> dG(g.stored, pad);
  Buf<DX> dOut(nans<DX>(S), pad);
  launch(grid, dX.ptr, dG.ptr, dOut.ptr);
  std::vector<float> want(S);
  for (int64_t i = 0; i < S; ++i)
    want[i] = ref(x.f32[i], g.f32[i]);
  EXPECT_SAME_BITS(dOut.get(), rounded<DX>(want));
}

float geluRef(float v) {
  return 0.5f * v * (1.f + erff(v * 0.70710678118654752f));
}
float geluGradRef(float v, float g) {
  float cdf = 0.5f * (1.f + erff(v * 0.70710678118654752f));
  float pdf = 0.3989422804014327f * expf(-0.5f * v * v);
  return g * (cdf + v * pdf);
}
float siluRef(float v) { return v / (1.f + expf(-v)); }
float siluGradRef(float v, float g) {
  float s = 1.f / (1.f + expf(-v));
  return g * s * (1.f + v * (1.f - s));
}

/// Every activation kernel for one size and storage types.
template <int64_t S, class X, class Y> void checkActivations(int64_t pad) {
  for (unsigned grid : {strideBlocks(S), 2u}) {
    checkUnary<S, X, Y>(
        [](unsigned g, const X *x, Y *y) {
          NF_LAUNCH((nfrt::cuda::geluForward<S, X, Y>), dim3(g), dim3(256), 0,
                    nullptr, x, y);
        },
        geluRef, pad, grid, 1);
    checkUnary<S, X, Y>(
        [](unsigned g, const X *x, Y *y) {
          NF_LAUNCH((nfrt::cuda::siluForward<S, X, Y>), dim3(g), dim3(256), 0,
                    nullptr, x, y);
        },
        siluRef, pad, grid, 2);
    checkBinary<S, X, Y, X>(
        [](unsigned g, const X *x, const Y *dy, X *dx) {
          NF_LAUNCH((nfrt::cuda::geluBackward<S, X, Y, X>), dim3(g), dim3(256),
                    0, nullptr, x, dy, dx);
        },
        geluGradRef, pad, grid, 3);
    checkBinary<S, X, Y, X>(
        [](unsigned g, const X *x, const Y *dy, X *dx) {
          NF_LAUNCH((nfrt::cuda::siluBackward<S, X, Y, X>), dim3(g), dim3(256),
                    0, nullptr, x, dy, dx);
        },
        siluGradRef, pad, grid, 4);
  }
}

TEST(VectorizedKernelsTest, FillEveryElement) {
  // 8 k + 3: chunks and a tail; 5: below one bf16 chunk.
  checkFill<4099, float>(kAligned, strideBlocks(4099));
  checkFill<4099, bf16>(kAligned, strideBlocks(4099));
  checkFill<4099, bf16>(kAligned, 1);
  checkFill<5, bf16>(kAligned, 1);
  checkFill<4099, bf16>(kUnaligned, strideBlocks(4099));
  checkFill<4099, float>(kUnaligned, 3);
}

TEST(VectorizedKernelsTest, ActivationsMatchTheScalarFormula) {
  checkActivations<4096, float, float>(kAligned); // chunks only
  checkActivations<4096, bf16, bf16>(kAligned);
  checkActivations<4101, float, float>(kAligned); // chunks and a tail
  checkActivations<4101, bf16, bf16>(kAligned);
  checkActivations<4101, bf16, float>(kAligned); // mixed: 8 a chunk
  checkActivations<4101, float, bf16>(kAligned);
  checkActivations<7, bf16, bf16>(kAligned);      // below one chunk
  checkActivations<4101, bf16, bf16>(kUnaligned); // the scalar path
  checkActivations<4101, float, float>(kUnaligned);
}

/// out = lhs op rhs[j] over rows of M (rhs padded like lhs).
template <int64_t N, int64_t M, class L, class R, class O>
void checkBroadcast(int64_t pad, unsigned grid, uint32_t seed) {
  Data<L> lhs = random<L>(N * M, seed);
  Data<R> rhs = random<R>(M, seed + 1);
  Buf<L> dl(lhs.stored, pad);
  Buf<R> dr(rhs.stored, pad);
  Buf<O> dAdd(nans<O>(N * M), pad), dMul(nans<O>(N * M), pad);
  NF_LAUNCH((nfrt::cuda::addBroadcast<N, M, L, R, O>), dim3(grid), dim3(256), 0,
            nullptr, dl.ptr, dr.ptr, dAdd.ptr);
  NF_LAUNCH((nfrt::cuda::mulBroadcast<N, M, L, R, O>), dim3(grid), dim3(256), 0,
            nullptr, dl.ptr, dr.ptr, dMul.ptr);
  std::vector<float> add(N * M), mul(N * M);
  for (int64_t i = 0; i < N * M; ++i) {
    add[i] = lhs.f32[i] + rhs.f32[i % M];
    mul[i] = lhs.f32[i] * rhs.f32[i % M];
  }
  EXPECT_SAME_BITS(dAdd.get(), rounded<O>(add));
  EXPECT_SAME_BITS(dMul.get(), rounded<O>(mul));
}

TEST(VectorizedKernelsTest, SuffixBroadcasts) {
  // M = 24: rhs in chunks; 13: rows split chunks (rhs read per element);
  // 1: a scalar; N M = 37 * 13 leaves a tail.
  checkBroadcast<37, 24, float, float, float>(kAligned, strideBlocks(888), 1);
  checkBroadcast<37, 24, bf16, float, bf16>(kAligned, strideBlocks(888), 2);
  checkBroadcast<37, 24, bf16, bf16, float>(kAligned, 1, 3);
  checkBroadcast<37, 13, float, float, float>(kAligned, strideBlocks(481), 4);
  checkBroadcast<37, 13, bf16, float, bf16>(kAligned, strideBlocks(481), 5);
  checkBroadcast<37, 1, bf16, float, bf16>(kAligned, strideBlocks(37), 6);
  checkBroadcast<600, 1, float, float, float>(kAligned, 1, 7);
  checkBroadcast<37, 24, bf16, float, bf16>(kUnaligned, strideBlocks(888), 8);
  checkBroadcast<37, 24, float, float, float>(kUnaligned, 2, 9);
}

template <int64_t N, int64_t D>
void checkScaleBias(bool gamma, bool beta, int64_t pad, uint32_t seed) {
  Data<float> in = random<float>(N * D, seed), g = random<float>(D, seed + 1),
              b = random<float>(D, seed + 2);
  Buf<float> dIn(in.stored, pad), dG(g.stored, pad), dB(b.stored, pad);
  Buf<float> dOut(nans<float>(N * D), pad);
  NF_LAUNCH((nfrt::cuda::scaleBias<N, D>), dim3(strideBlocks(N * D)), dim3(256),
            0, nullptr, dIn.ptr, gamma ? dG.ptr : nullptr,
            beta ? dB.ptr : nullptr, dOut.ptr);
  std::vector<float> want(N * D);
  for (int64_t i = 0; i < N * D; ++i) {
    float v = gamma ? in.f32[i] * g.f32[i % D] : in.f32[i];
    want[i] = beta ? v + b.f32[i % D] : v;
  }
  EXPECT_SAME_BITS(dOut.get(), want);
}

TEST(VectorizedKernelsTest, ScaleAndBias) {
  for (bool gamma : {false, true})
    for (bool beta : {false, true}) {
      checkScaleBias<37, 24>(gamma, beta, kAligned, 1);
      checkScaleBias<37, 13>(gamma, beta, kAligned, 2);
      checkScaleBias<37, 24>(gamma, beta, kUnaligned, 3);
    }
}

template <int64_t N, int64_t D, class O> void checkEmbedding(int64_t pad) {
  constexpr int64_t V = 50;
  std::mt19937 rng(N + D);
  std::uniform_int_distribution<int32_t> id(0, V - 1);
  std::vector<int32_t> tokens(N);
  for (int32_t &t : tokens)
    t = id(rng);
  Data<float> table = random<float>(V * D, 11);
  Buf<int32_t> dTokens(tokens);
  Buf<float> dTable(table.stored, pad);
  Buf<O> dOut(nans<O>(N * D), pad);
  NF_LAUNCH((nfrt::cuda::embeddingForward<N, D, O>), dim3(strideBlocks(N * D)),
            dim3(256), 0, nullptr, dTokens.ptr, dTable.ptr, dOut.ptr);
  std::vector<float> want(N * D);
  for (int64_t i = 0; i < N * D; ++i)
    want[i] = table.f32[tokens[i / D] * D + i % D];
  EXPECT_SAME_BITS(dOut.get(), rounded<O>(want));
}

TEST(VectorizedKernelsTest, EmbeddingForward) {
  checkEmbedding<37, 24, float>(kAligned); // chunks of 4 and 8
  checkEmbedding<37, 24, bf16>(kAligned);
  checkEmbedding<37, 12, bf16>(kAligned); // D % 8 != 0: scalar
  checkEmbedding<37, 13, float>(kAligned);
  checkEmbedding<37, 24, bf16>(kUnaligned);
}

//===----------------------------------------------------------------------===//
// Reductions: bit-identical to an emulation of the kernel's order.
//===----------------------------------------------------------------------===//

/// __shfl_xor_sync's butterfly: every lane adds its partner's value, 16
/// lanes apart first; IEEE addition commutes, so all lanes end equal.
float warpSumHost(std::vector<float> v) {
  v.resize(32, 0.f);
  for (int m = 16; m > 0; m >>= 1) {
    std::vector<float> w(32);
    for (int l = 0; l < 32; ++l)
      w[l] = v[l] + v[l ^ m];
    v = w;
  }
  return v[0];
}

/// Reduce.cuh blockSum over 256 threads' values.
float blockSumHost(const std::vector<float> &t) {
  std::vector<float> warps;
  for (int w = 0; w < 8; ++w)
    warps.push_back(warpSumHost(
        std::vector<float>(t.begin() + 32 * w, t.begin() + 32 * w + 32)));
  return warpSumHost(warps);
}

/// Per lane, the sum of f(j) over its elements j of a row of D in the
/// kernel's order for chunks of C (lane's chunks (lane + 32 k) C).
template <class F> std::vector<float> laneSums(int64_t D, int C, F f) {
  std::vector<float> s(32, 0.f);
  for (int l = 0; l < 32; ++l)
    for (int64_t j = int64_t(l) * C; j < D; j += 32 * C)
      for (int e = 0; e < C; ++e)
        s[l] += f(j + e);
  return s;
}

/// The chunk the row kernels should take.
template <class X> int rowChunk(int64_t D, int64_t pad) {
  int c = int(16 / sizeof(X));
  return D % c == 0 && pad == kAligned ? c : 1;
}

struct RmsRef {
  std::vector<float> y, rstd;
};

/// rmsnormForward's y = x rstd in the order of chunks of C.
RmsRef rmsnormRef(const std::vector<float> &x, int64_t N, int64_t D, int C,
                  float eps) {
  RmsRef r;
  for (int64_t row = 0; row < N; ++row) {
    const float *xr = x.data() + row * D;
    float ss =
        warpSumHost(laneSums(D, C, [&](int64_t j) { return xr[j] * xr[j]; }));
    float rstd = 1.f / sqrtf(ss / D + eps);
    r.rstd.push_back(rstd);
    for (int64_t j = 0; j < D; ++j)
      r.y.push_back(xr[j] * rstd);
  }
  return r;
}

template <int64_t N, int64_t D, class X, class Y>
void checkRmsnorm(int64_t pad, uint32_t seed) {
  const float eps = 1e-5f;
  int C = rowChunk<X>(D, pad);
  Data<X> x = random<X>(N * D, seed, 1.f, 0.3f);
  Data<Y> g = random<Y>(N * D, seed + 1);
  Buf<X> dX(x.stored, pad);
  Buf<Y> dY(nans<Y>(N * D), pad);
  Buf<float> dRstd(nans<float>(N));
  NF_LAUNCH((nfrt::cuda::rmsnormForward<N, D, X, Y>), dim3((N + 7) / 8),
            dim3(256), 0, nullptr, dX.ptr, dY.ptr, dRstd.ptr, eps);
  RmsRef want = rmsnormRef(x.f32, N, D, C, eps);
  EXPECT_SAME_BITS(dY.get(), rounded<Y>(want.y));
  EXPECT_SAME_BITS(dRstd.get(), want.rstd);
  if (C > 1) { // the test tells the two orders apart
    EXPECT_NE(firstDifference(rmsnormRef(x.f32, N, D, 1, eps).rstd, want.rstd),
              "none");
  }

  // The backward, from the cache and recomputing rstd, and with an addend
  // (nf.add_rmsnorm_grad: added to the formed value, as nf.add would).
  Buf<Y> dG(g.stored, pad);
  Data<float> a = random<float>(N * D, seed + 2);
  Buf<float> dA(a.stored, pad);
  for (int variant : {0, 1, 2}) {
    bool cached = variant != 1, addend = variant == 2;
    Buf<X> dDx(nans<X>(N * D), pad);
    NF_LAUNCH((nfrt::cuda::rmsnormBackward<N, D, X, Y, X>), dim3((N + 7) / 8),
              dim3(256), 0, nullptr, dX.ptr, dG.ptr,
              cached ? dRstd.ptr : nullptr, addend ? dA.ptr : nullptr, dDx.ptr,
              eps);
    std::vector<float> dx;
    for (int64_t row = 0; row < N; ++row) {
      const float *xr = x.f32.data() + row * D, *gr = g.f32.data() + row * D;
      float dot =
          warpSumHost(laneSums(D, C, [&](int64_t j) { return gr[j] * xr[j]; }));
      float rstd = want.rstd[row];
      float c = rstd * rstd * rstd * dot / D;
      for (int64_t j = 0; j < D; ++j) {
        float v = rstd * gr[j] - c * xr[j];
        dx.push_back(addend ? a.f32[row * D + j] + v : v);
      }
    }
    EXPECT_SAME_BITS(dDx.get(), rounded<X>(dx));
  }
}

TEST(VectorizedKernelsTest, RmsnormRowsInChunks) {
  // D = 256: 8 or 16 chunks a lane; 200: fewer chunks than lanes (bf16);
  // 100: fp32 chunks, scalar bf16 rows; 37: scalar.
  checkRmsnorm<37, 256, float, float>(kAligned, 1);
  checkRmsnorm<37, 256, bf16, bf16>(kAligned, 2);
  checkRmsnorm<37, 200, bf16, float>(kAligned, 3);
  checkRmsnorm<37, 100, float, bf16>(kAligned, 4);
  checkRmsnorm<37, 100, bf16, bf16>(kAligned, 5);
  checkRmsnorm<37, 37, float, float>(kAligned, 6);
  checkRmsnorm<37, 256, bf16, bf16>(kUnaligned, 7);
  checkRmsnorm<37, 256, float, float>(kUnaligned, 8);
}

template <int64_t N, int64_t D, class X, class Y>
void checkLayernorm(int64_t pad, uint32_t seed) {
  const float eps = 1e-5f;
  int C = rowChunk<X>(D, pad);
  Data<X> x = random<X>(N * D, seed, 1.f, 0.3f);
  Data<Y> g = random<Y>(N * D, seed + 1);
  Buf<X> dX(x.stored, pad);
  Buf<Y> dY(nans<Y>(N * D), pad);
  Buf<float> dStats(nans<float>(2 * N));
  NF_LAUNCH((nfrt::cuda::layernormForward<N, D, X, Y>), dim3((N + 7) / 8),
            dim3(256), 0, nullptr, dX.ptr, dY.ptr, dStats.ptr, eps);
  auto stats = [&](int c) {
    std::vector<float> s;
    for (int64_t row = 0; row < N; ++row) {
      const float *xr = x.f32.data() + row * D;
      float mean =
          warpSumHost(laneSums(D, c, [&](int64_t j) { return xr[j]; })) / D;
      float var = warpSumHost(laneSums(
          D, c, [&](int64_t j) { return (xr[j] - mean) * (xr[j] - mean); }));
      s.push_back(mean);
      s.push_back(1.f / sqrtf(var / D + eps));
    }
    return s;
  };
  std::vector<float> st = stats(C), y;
  for (int64_t i = 0; i < N * D; ++i)
    y.push_back((x.f32[i] - st[2 * (i / D)]) * st[2 * (i / D) + 1]);
  EXPECT_SAME_BITS(dStats.get(), st);
  EXPECT_SAME_BITS(dY.get(), rounded<Y>(y));
  if (C > 1) {
    EXPECT_NE(firstDifference(stats(1), st), "none");
  }

  Buf<Y> dG(g.stored, pad);
  for (bool cached : {true, false}) {
    Buf<X> dDx(nans<X>(N * D), pad);
    NF_LAUNCH((nfrt::cuda::layernormBackward<N, D, X, Y, X>), dim3((N + 7) / 8),
              dim3(256), 0, nullptr, dX.ptr, dG.ptr,
              cached ? dStats.ptr : nullptr, dDx.ptr, eps);
    std::vector<float> dx;
    for (int64_t row = 0; row < N; ++row) {
      const float *xr = x.f32.data() + row * D, *gr = g.f32.data() + row * D;
      float mean = st[2 * row], rstd = st[2 * row + 1];
      float gMean =
          warpSumHost(laneSums(D, C, [&](int64_t j) { return gr[j]; })) / D;
      float gxMean =
          warpSumHost(laneSums(
              D, C, [&](int64_t j) { return gr[j] * (xr[j] - mean) * rstd; })) /
          D;
      for (int64_t j = 0; j < D; ++j)
        dx.push_back(rstd * (gr[j] - gMean - (xr[j] - mean) * rstd * gxMean));
    }
    EXPECT_SAME_BITS(dDx.get(), rounded<X>(dx));
  }
}

TEST(VectorizedKernelsTest, LayernormRowsInChunks) {
  checkLayernorm<37, 256, float, float>(kAligned, 1);
  checkLayernorm<37, 256, bf16, bf16>(kAligned, 2);
  checkLayernorm<37, 200, bf16, float>(kAligned, 3);
  checkLayernorm<37, 100, bf16, bf16>(kAligned, 4);
  checkLayernorm<37, 37, float, float>(kAligned, 5);
  checkLayernorm<37, 256, bf16, bf16>(kUnaligned, 6);
}

template <int64_t N, int64_t D, class X>
void checkRowRms(int64_t pad, uint32_t seed) {
  int C = rowChunk<X>(D, pad);
  Data<X> x = random<X>(N * D, seed);
  Buf<X> dX(x.stored, pad);
  Buf<float> dRms(nans<float>(N));
  NF_LAUNCH((nfrt::cuda::rowRms<N, D, X>), dim3((N + 7) / 8), dim3(256), 0,
            nullptr, dX.ptr, dRms.ptr);
  auto rms = [&](int c) {
    std::vector<float> r;
    for (int64_t row = 0; row < N; ++row) {
      const float *xr = x.f32.data() + row * D;
      r.push_back(sqrtf(warpSumHost(laneSums(
                            D, c, [&](int64_t j) { return xr[j] * xr[j]; })) /
                        D));
    }
    return r;
  };
  EXPECT_SAME_BITS(dRms.get(), rms(C));
  if (C > 1) {
    EXPECT_NE(firstDifference(rms(1), rms(C)), "none");
  }
}

TEST(VectorizedKernelsTest, RowRms) {
  checkRowRms<37, 256, float>(kAligned, 1);
  checkRowRms<37, 256, bf16>(kAligned, 2);
  checkRowRms<37, 36, bf16>(kAligned, 3);
  checkRowRms<37, 256, bf16>(kUnaligned, 4);
}

template <int64_t N, int64_t D, class X, class Y>
void checkRmsnormScale(int64_t pad, uint32_t seed) {
  const float eps = 1e-5f;
  int C = rowChunk<X>(D, pad);
  Data<X> x = random<X>(N * D, seed, 1.f, 0.3f);
  Data<Y> g = random<Y>(N * D, seed + 1);
  Data<float> gamma = random<float>(D, seed + 2, 0.5f, 1.f);
  Buf<X> dX(x.stored, pad);
  Buf<float> dGamma(gamma.stored, pad);
  Buf<Y> dY(nans<Y>(N * D), pad), dXhat(nans<Y>(N * D), pad);
  Buf<float> dRstd(nans<float>(N)), dRstdUnfused(nans<float>(N));
  NF_LAUNCH((nfrt::cuda::rmsnormScaleForward<N, D, X, Y, Y>), dim3((N + 7) / 8),
            dim3(256), 0, nullptr, dX.ptr, dGamma.ptr, dXhat.ptr, dY.ptr,
            dRstd.ptr, eps);
  RmsRef want = rmsnormRef(x.f32, N, D, C, eps);
  std::vector<float> y;
  for (int64_t i = 0; i < N * D; ++i)
    y.push_back(gamma.f32[i % D] * want.y[i]);
  EXPECT_SAME_BITS(dRstd.get(), want.rstd);
  EXPECT_SAME_BITS(dXhat.get(), rounded<Y>(want.y));
  EXPECT_SAME_BITS(dY.get(), rounded<Y>(y));
  // The unfused kernel (a forward without the scale fused) finds the same
  // rstd: a model's forward and train step agree.
  Buf<Y> dXn(nans<Y>(N * D), pad);
  NF_LAUNCH((nfrt::cuda::rmsnormForward<N, D, X, Y>), dim3((N + 7) / 8),
            dim3(256), 0, nullptr, dX.ptr, dXn.ptr, dRstdUnfused.ptr, eps);
  EXPECT_SAME_BITS(dRstdUnfused.get(), dRstd.get());

  // The backward: blocks of RPB rows, dgamma partials per block.
  constexpr int64_t RPB = 12, P = (N + RPB - 1) / RPB;
  Buf<Y> dG(g.stored, pad);
  Buf<X> dDx(nans<X>(N * D), pad), dDxPlus(nans<X>(N * D), pad);
  Buf<float> dPartials(nans<float>(P * D));
  NF_LAUNCH((nfrt::cuda::rmsnormScaleBackward<N, D, RPB, X, Y, X>), dim3(P),
            dim3(256), 8 * D * 4, nullptr, dX.ptr, dGamma.ptr, dG.ptr,
            dRstd.ptr, nullptr, dDx.ptr, dPartials.ptr);
  // With an addend (nf.add_rmsnorm_grad): the residual stream's gradient.
  Data<float> a = random<float>(N * D, seed + 3);
  Buf<float> dA(a.stored, pad), dPartialsPlus(nans<float>(P * D));
  NF_LAUNCH((nfrt::cuda::rmsnormScaleBackward<N, D, RPB, X, Y, X>), dim3(P),
            dim3(256), 8 * D * 4, nullptr, dX.ptr, dGamma.ptr, dG.ptr,
            dRstd.ptr, dA.ptr, dDxPlus.ptr, dPartialsPlus.ptr);
  std::vector<float> dx, partials(P * D, 0.f);
  for (int64_t row = 0; row < N; ++row) {
    const float *xr = x.f32.data() + row * D, *gr = g.f32.data() + row * D;
    float dot = warpSumHost(laneSums(
        D, C, [&](int64_t j) { return gamma.f32[j] * gr[j] * xr[j]; }));
    float rstd = want.rstd[row];
    float c = rstd * rstd * rstd * dot / D;
    for (int64_t j = 0; j < D; ++j)
      dx.push_back(rstd * gamma.f32[j] * gr[j] - c * xr[j]);
  }
  // Per block: each warp w sums rows r0 + w, + 8, ... in order, then the
  // 8 warps add in order.
  for (int64_t p = 0; p < P; ++p)
    for (int64_t j = 0; j < D; ++j) {
      float s = 0.f;
      for (int w = 0; w < 8; ++w) {
        float dg = 0.f;
        for (int64_t row = p * RPB + w; row < std::min((p + 1) * RPB, N);
             row += 8)
          dg += g.f32[row * D + j] * x.f32[row * D + j] * want.rstd[row];
        s += dg;
      }
      partials[p * D + j] = s;
    }
  EXPECT_SAME_BITS(dDx.get(), rounded<X>(dx));
  EXPECT_SAME_BITS(dPartials.get(), partials);
  std::vector<float> dxPlus;
  for (int64_t i = 0; i < N * D; ++i)
    dxPlus.push_back(a.f32[i] + dx[i]);
  EXPECT_SAME_BITS(dDxPlus.get(), rounded<X>(dxPlus));
  EXPECT_SAME_BITS(dPartialsPlus.get(), partials);
}

/// nf.add_rmsnorm (+ scale): the sum stored as S and normalized as stored,
/// bit-identical to the host emulation in chunks of S's row chunk, and to
/// the unfused kernels (addBroadcast, then rmsnormScaleForward) on the
/// same inputs; without a scale vector y is the normalized rows.
template <int64_t N, int64_t D, class S, class Y>
void checkAddRmsnormScale(int64_t pad, uint32_t seed) {
  const float eps = 1e-6f;
  int C = rowChunk<S>(D, pad);
  Data<float> a = random<float>(N * D, seed, 1.f, 0.3f);
  Data<float> b = random<float>(N * D, seed + 1, 0.5f);
  Data<float> gamma = random<float>(D, seed + 2, 0.5f, 1.f);
  Buf<float> dA(a.stored, pad), dB(b.stored, pad), dGamma(gamma.stored, pad);
  std::vector<float> sum;
  for (int64_t i = 0; i < N * D; ++i)
    sum.push_back(nfrt::cuda::toF32(fromF32<S>(a.f32[i] + b.f32[i])));
  RmsRef want = rmsnormRef(sum, N, D, C, eps);
  std::vector<float> y;
  for (int64_t i = 0; i < N * D; ++i)
    y.push_back(gamma.f32[i % D] * want.y[i]);
  for (bool scaled : {true, false}) {
    Buf<S> dSum(nans<S>(N * D), pad);
    Buf<Y> dXhat(nans<Y>(N * D), pad), dY(nans<Y>(N * D), pad);
    Buf<float> dRstd(nans<float>(N));
    NF_LAUNCH((nfrt::cuda::addRmsnormScaleForward<N, D, float, float, S, Y, Y>),
              dim3((N + 7) / 8), dim3(256), 0, nullptr, dA.ptr, dB.ptr,
              dSum.ptr, scaled ? dGamma.ptr : nullptr,
              scaled ? dXhat.ptr : nullptr, dY.ptr, dRstd.ptr, eps);
    EXPECT_SAME_BITS(dSum.get(), rounded<S>(sum));
    EXPECT_SAME_BITS(dRstd.get(), want.rstd);
    EXPECT_SAME_BITS(dY.get(), rounded<Y>(scaled ? y : want.y));
    if (scaled) {
      EXPECT_SAME_BITS(dXhat.get(), rounded<Y>(want.y));
      // The unfused pair on the same inputs gives the same bits.
      Buf<S> dSum2(nans<S>(N * D), pad);
      Buf<Y> dY2(nans<Y>(N * D), pad);
      Buf<float> dRstd2(nans<float>(N));
      NF_LAUNCH((nfrt::cuda::addBroadcast<1, N * D, float, float, S>),
                dim3(strideBlocks(N * D)), dim3(256), 0, nullptr, dA.ptr,
                dB.ptr, dSum2.ptr);
      NF_LAUNCH((nfrt::cuda::rmsnormScaleForward<N, D, S, Y, Y>),
                dim3((N + 7) / 8), dim3(256), 0, nullptr, dSum2.ptr, dGamma.ptr,
                nullptr, dY2.ptr, dRstd2.ptr, eps);
      EXPECT_SAME_BITS(dSum2.get(), dSum.get());
      EXPECT_SAME_BITS(dRstd2.get(), dRstd.get());
      EXPECT_SAME_BITS(dY2.get(), dY.get());
    }
  }
}

TEST(VectorizedKernelsTest, AddRmsnormScaleRowsInChunks) {
  // fp32 residual with bf16 normalized rows (bf16 mode), all fp32 (fp32
  // mode), D = 1024 (the register limit), a scalar row, unaligned, and a
  // bf16 sum (normalized after its rounding).
  checkAddRmsnormScale<37, 256, float, bf16>(kAligned, 1);
  checkAddRmsnormScale<37, 256, float, float>(kAligned, 2);
  checkAddRmsnormScale<37, 1024, float, bf16>(kAligned, 3);
  checkAddRmsnormScale<37, 37, float, float>(kAligned, 4);
  checkAddRmsnormScale<37, 256, float, bf16>(kUnaligned, 5);
  checkAddRmsnormScale<37, 256, bf16, bf16>(kAligned, 6);
}

TEST(VectorizedKernelsTest, RmsnormScaleRowsInChunks) {
  // D = 1024: four bf16 chunks (eight fp32) a lane, the register limit.
  checkRmsnormScale<37, 1024, bf16, bf16>(kAligned, 1);
  checkRmsnormScale<37, 256, float, float>(kAligned, 2);
  checkRmsnormScale<37, 200, bf16, float>(kAligned, 3);
  checkRmsnormScale<37, 100, bf16, bf16>(kAligned, 4);
  checkRmsnormScale<37, 37, float, float>(kAligned, 5);
  checkRmsnormScale<37, 256, bf16, bf16>(kUnaligned, 6);
}

//===----------------------------------------------------------------------===//
// DyT and Derf: pointwise values bit-identical to the formula; the block
// partials to an emulation of each thread's chunks.
//===----------------------------------------------------------------------===//

/// Per thread of a grid-stride launch over S elements in chunks of W (the
/// tail one at a time): the sum of f(i) in the thread's order.
template <class F>
std::vector<float> threadSums(int64_t S, int W, unsigned grid, F f) {
  int64_t threads = int64_t(grid) * 256;
  std::vector<float> s(threads, 0.f);
  for (int64_t t = 0; t < threads; ++t) {
    for (int64_t v = t; v < S / W; v += threads)
      for (int e = 0; e < W; ++e)
        s[t] += f(v * W + e);
    for (int64_t i = S / W * W + t; i < S; i += threads)
      s[t] += f(i);
  }
  return s;
}

/// Each block's blockSum of the thread sums.
std::vector<float> blockPartials(const std::vector<float> &threads) {
  std::vector<float> p;
  for (size_t b = 0; b < threads.size() / 256; ++b)
    p.push_back(blockSumHost(std::vector<float>(
        threads.begin() + 256 * b, threads.begin() + 256 * b + 256)));
  return p;
}

template <int64_t S, class X, class Y>
void checkDyt(int64_t pad, unsigned grid, uint32_t seed) {
  int W = pad == kAligned ? nfrt::cuda::vecWidth<X, Y>() : 1;
  const float alpha = 0.7f;
  Data<X> x = random<X>(S, seed, 2.f);
  Data<Y> g = random<Y>(S, seed + 1);
  Buf<X> dX(x.stored, pad);
  Buf<Y> dG(g.stored, pad);
  Buf<float> dAlpha(std::vector<float>{alpha});
  Buf<Y> dY(nans<Y>(S), pad);
  Buf<X> dDx(nans<X>(S), pad);
  Buf<float> dPartials(nans<float>(grid));
  NF_LAUNCH((nfrt::cuda::dytForward<S, X, Y>), dim3(grid), dim3(256), 0,
            nullptr, dX.ptr, dAlpha.ptr, dY.ptr);
  NF_LAUNCH((nfrt::cuda::dytBackward<S, X, Y, X>), dim3(grid), dim3(256), 0,
            nullptr, dX.ptr, dAlpha.ptr, dG.ptr, dDx.ptr, dPartials.ptr);
  std::vector<float> y, dx;
  for (int64_t i = 0; i < S; ++i) {
    y.push_back(tanhf(alpha * x.f32[i]));
    float t = tanhf(alpha * x.f32[i]);
    dx.push_back(alpha * ((1.f - t * t) * g.f32[i]));
  }
  auto da = [&](int w) {
    return blockPartials(threadSums(S, w, grid, [&](int64_t i) {
      float t = tanhf(alpha * x.f32[i]);
      return x.f32[i] * ((1.f - t * t) * g.f32[i]);
    }));
  };
  EXPECT_SAME_BITS(dY.get(), rounded<Y>(y));
  EXPECT_SAME_BITS(dDx.get(), rounded<X>(dx));
  EXPECT_SAME_BITS(dPartials.get(), da(W));
  if (W > 1 && S >= W) { // the test tells the two orders apart
    EXPECT_NE(firstDifference(da(1), da(W)), "none");
  }
}

template <int64_t S, class X, class Y>
void checkDerf(int64_t pad, unsigned grid, bool ema, uint32_t seed) {
  int W = pad == kAligned ? nfrt::cuda::vecWidth<X, Y>() : 1;
  const float alpha = 0.7f, shift = 0.1f, invScale = 0.8f;
  Data<X> x = random<X>(S, seed, 2.f);
  Data<Y> g = random<Y>(S, seed + 1);
  Buf<X> dX(x.stored, pad);
  Buf<Y> dG(g.stored, pad);
  Buf<float> dScalars(std::vector<float>{alpha, shift, invScale});
  const float *dInv = ema ? dScalars.ptr + 2 : nullptr;
  Buf<Y> dY(nans<Y>(S), pad);
  Buf<X> dDx(nans<X>(S), pad);
  Buf<float> dPartials(nans<float>(2 * grid)), dCount(nans<float>(grid));
  NF_LAUNCH((nfrt::cuda::derfForward<S, X, Y>), dim3(grid), dim3(256), 0,
            nullptr, dX.ptr, dScalars.ptr, dScalars.ptr + 1, dInv, dY.ptr);
  NF_LAUNCH((nfrt::cuda::derfBackward<S, X, Y, X>), dim3(grid), dim3(256), 0,
            nullptr, dX.ptr, dScalars.ptr, dScalars.ptr + 1, dInv, dG.ptr,
            dDx.ptr, dPartials.ptr);
  NF_LAUNCH((nfrt::cuda::saturationCount<S, X>), dim3(grid), dim3(256), 0,
            nullptr, dX.ptr, dScalars.ptr, dScalars.ptr + 1, dInv, 1.f,
            dCount.ptr);
  const float k = 1.1283791670955126f;
  float inv = ema ? invScale : 1.f, a = alpha * inv;
  auto h = [&](int64_t i) {
    float z = alpha * (x.f32[i] * inv) + shift;
    return g.f32[i] * k * expf(-z * z);
  };
  std::vector<float> y, dx;
  for (int64_t i = 0; i < S; ++i) {
    y.push_back(erff(a * x.f32[i] + shift));
    dx.push_back(alpha * inv * h(i));
  }
  auto partials = [&](int w) {
    std::vector<float> p = blockPartials(threadSums(
        S, w, grid, [&](int64_t i) { return x.f32[i] * inv * h(i); }));
    std::vector<float> ds = blockPartials(threadSums(S, w, grid, h));
    p.insert(p.end(), ds.begin(), ds.end());
    return p;
  };
  // Exact sums, but each block's share depends on the chunk (16 bytes of x).
  int chunkX = pad == kAligned ? nfrt::cuda::vecWidth<X>() : 1;
  std::vector<float> count =
      blockPartials(threadSums(S, chunkX, grid, [&](int64_t i) {
        return fabsf(a * x.f32[i] + shift) > 1.f ? 1.f : 0.f;
      }));
  EXPECT_SAME_BITS(dY.get(), rounded<Y>(y));
  EXPECT_SAME_BITS(dDx.get(), rounded<X>(dx));
  EXPECT_SAME_BITS(dPartials.get(), partials(W));
  EXPECT_SAME_BITS(dCount.get(), count); // exact in any order
  if (W > 1 && S >= W) {
    EXPECT_NE(firstDifference(partials(1), partials(W)), "none");
  }
}

TEST(VectorizedKernelsTest, DytChunksAndTail) {
  // 8 k + 5 elements: chunks, then a scalar tail; the grid covers them
  // once (strideBlocks) or loops (3 blocks).
  checkDyt<6149, float, float>(kAligned, strideBlocks(6149), 1);
  checkDyt<6149, bf16, bf16>(kAligned, strideBlocks(6149), 2);
  checkDyt<6149, bf16, float>(kAligned, 3, 3);
  checkDyt<6149, bf16, bf16>(kUnaligned, strideBlocks(6149), 4);
  checkDyt<6, bf16, bf16>(kAligned, 1, 5);
}

TEST(VectorizedKernelsTest, DerfChunksAndTail) {
  checkDerf<6149, float, float>(kAligned, strideBlocks(6149), false, 1);
  checkDerf<6149, bf16, bf16>(kAligned, strideBlocks(6149), true, 2);
  checkDerf<6149, bf16, float>(kAligned, 3, false, 3);
  checkDerf<6149, float, float>(kUnaligned, 3, true, 4);
  checkDerf<6, bf16, bf16>(kAligned, 1, false, 5);
}

} // namespace
