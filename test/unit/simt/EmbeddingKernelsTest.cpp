//===- EmbeddingKernelsTest.cpp - the sorted embedding backward -----------===//
//
// launchEmbeddingBackward (nfrt/cuda/EmbeddingKernels.cuh) under the SIMT
// harness against the CPU target's kernel (nfrt/cpu/ElementwiseKernels.h):
// both add each row's dy rows in increasing position from 0 in fp32, so the
// results must be bit-identical, for fp32 and bf16 dy (a bf16 value widens
// exactly), overwriting or accumulating (the tied embedding: head gradient
// + embedding gradient, as nf.add computes it), on skewed and uniform token
// distributions, tiles and merge passes of every kind, and the scalar path
// for unaligned pointers or odd D. Two runs give the same bits.
//
//===----------------------------------------------------------------------===//
#include "nfrt/cuda/EmbeddingKernels.cuh"
#include "nfrt/cpu/ElementwiseKernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using nfrt::cuda::bf16;

namespace {

/// A device copy of `host` (and `pad` spare elements in front, so that the
/// data can start at an unaligned address).
template <class T> T *upload(const std::vector<T> &host, int64_t pad = 0) {
  T *d = nullptr;
  EXPECT_EQ(cudaMalloc(&d, (host.size() + pad) * sizeof(T)), cudaSuccess);
  EXPECT_EQ(cudaMemcpy(d + pad, host.data(), host.size() * sizeof(T),
                       cudaMemcpyHostToDevice),
            cudaSuccess);
  return d + pad;
}

template <class T> std::vector<T> download(const T *d, size_t n) {
  std::vector<T> host(n);
  EXPECT_EQ(cudaMemcpy(host.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost),
            cudaSuccess);
  return host;
}

/// dy as fp32 (the reference's input) and in storage type DY.
template <class DY> struct Grad {
  std::vector<float> f32;
  std::vector<DY> stored;
};

template <class DY> Grad<DY> randomGrad(int64_t size, std::mt19937 &rng) {
  std::normal_distribution<float> n01;
  Grad<DY> g;
  for (int64_t i = 0; i < size; ++i) {
    DY v = DY(n01(rng));
    g.stored.push_back(v);
    g.f32.push_back(float(v)); // exact for bf16
  }
  return g;
}

/// The CPU target's sum, with ids outside [0, V) adding to nothing (the
/// CPU kernel would stop at them).
template <int64_t N, int64_t V, int64_t D>
std::vector<float> reference(const std::vector<int32_t> &tokens,
                             const std::vector<float> &dy) {
  std::vector<float> out(V * D);
  bool inRange = true;
  for (int32_t t : tokens)
    inRange = inRange && t >= 0 && t < V;
  if (inRange) {
    nfrt::cpu::embeddingBackward<N, V, D>(tokens.data(), dy.data(), out.data());
    return out;
  }
  for (int64_t n = 0; n < N; ++n)
    if (tokens[n] >= 0 && tokens[n] < V)
      for (int64_t j = 0; j < D; ++j)
        out[tokens[n] * D + j] += dy[n * D + j];
  return out;
}

/// dtable after launchEmbeddingBackward from `initial` (dy `pad` elements
/// past an aligned address).
template <int64_t N, int64_t V, int64_t D, class DY, bool ACCUMULATE>
std::vector<float> run(const std::vector<int32_t> &tokens,
                       const std::vector<DY> &dy,
                       const std::vector<float> &initial, int64_t pad = 0) {
  int32_t *dTokens = upload(tokens);
  DY *dDy = upload(dy, pad);
  float *dTable = upload(initial);
  float *scratch = nullptr;
  EXPECT_EQ(
      cudaMalloc(&scratch, nfrt::cuda::embeddingBackwardScratchBytes(N, V)),
      cudaSuccess);
  nfrt::cuda::launchEmbeddingBackward<N, V, D, DY, ACCUMULATE>(
      nullptr, dTokens, dDy, dTable, scratch);
  EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  std::vector<float> out = download(dTable, initial.size());
  cudaFree(dTokens);
  cudaFree(dDy - pad);
  cudaFree(dTable);
  cudaFree(scratch);
  return out;
}

bool sameBits(const std::vector<float> &a, const std::vector<float> &b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

/// The index and both values of the first element whose bits differ.
std::string firstDifference(const std::vector<float> &got,
                            const std::vector<float> &want) {
  for (size_t i = 0; i < want.size(); ++i)
    if (std::memcmp(&got[i], &want[i], sizeof(float)) != 0)
      return "element " + std::to_string(i) + ": " + std::to_string(got[i]) +
             " vs " + std::to_string(want[i]);
  return "none";
}

/// Overwrite (from NaN, so every element must be written) and accumulate
/// (onto a random head gradient, against head + reference as nf.add
/// adds them), each run twice.
template <int64_t N, int64_t V, int64_t D, class DY>
void check(const std::vector<int32_t> &tokens, uint32_t seed, int64_t pad = 0) {
  std::mt19937 rng(seed);
  Grad<DY> dy = randomGrad<DY>(N * D, rng);
  std::vector<float> want = reference<N, V, D>(tokens, dy.f32);

  std::vector<float> nan(V * D, std::numeric_limits<float>::quiet_NaN());
  std::vector<float> got = run<N, V, D, DY, false>(tokens, dy.stored, nan, pad);
  EXPECT_TRUE(sameBits(got, want)) << firstDifference(got, want);
  EXPECT_TRUE(
      sameBits(run<N, V, D, DY, false>(tokens, dy.stored, nan, pad), got));

  std::vector<float> head = randomGrad<float>(V * D, rng).f32;
  std::vector<float> sum(V * D);
  for (int64_t i = 0; i < V * D; ++i)
    sum[i] = head[i] + want[i];
  got = run<N, V, D, DY, true>(tokens, dy.stored, head, pad);
  EXPECT_TRUE(sameBits(got, sum)) << firstDifference(got, sum);
  EXPECT_TRUE(
      sameBits(run<N, V, D, DY, true>(tokens, dy.stored, head, pad), got));
}

std::vector<int32_t> uniform(int64_t n, int64_t v, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> id(0, int32_t(v - 1));
  std::vector<int32_t> t(n);
  for (int32_t &x : t)
    x = id(rng);
  return t;
}

/// Zipf-like: token k with weight 1 / (k + 1), as in natural text.
std::vector<int32_t> zipf(int64_t n, int64_t v, uint32_t seed) {
  std::vector<double> w(v);
  for (int64_t k = 0; k < v; ++k)
    w[k] = 1.0 / double(k + 1);
  std::discrete_distribution<int32_t> id(w.begin(), w.end());
  std::mt19937 rng(seed);
  std::vector<int32_t> t(n);
  for (int32_t &x : t)
    x = id(rng);
  return t;
}

TEST(EmbeddingKernelsTest, OneTokenAtEveryPosition) {
  // 5000 positions: three tiles (the last partial), two merge passes.
  check<5000, 300, 16, float>(std::vector<int32_t>(5000, 17), 1);
  check<5000, 300, 16, bf16>(std::vector<int32_t>(5000, 299), 2);
}

TEST(EmbeddingKernelsTest, EveryPositionADistinctToken) {
  std::vector<int32_t> t(3000);
  for (int64_t n = 0; n < 3000; ++n)
    t[n] = int32_t((n * 7919) % 3001); // a permutation of part of [0, 3001)
  check<3000, 3001, 24, float>(t, 3);
  check<3000, 3001, 24, bf16>(t, 4);
}

TEST(EmbeddingKernelsTest, GptTwoVocabularyUniformAndZipf) {
  // V = 50257 (64-bit keys from N = 85462 on; 32-bit here), N not a
  // multiple of any block or tile.
  check<4099, 50257, 8, float>(uniform(4099, 50257, 5), 6);
  check<4099, 50257, 8, bf16>(zipf(4099, 50257, 7), 8);
}

TEST(EmbeddingKernelsTest, SmallBatchOneTile) {
  check<37, 11, 32, float>(uniform(37, 11, 9), 10);
  check<37, 11, 32, bf16>(zipf(37, 11, 11), 12);
}

TEST(EmbeddingKernelsTest, SixtyFourBitKeysAtTheLargestBatch) {
  // N = 64k positions (32 tiles, five merge passes) and (V + 1) N >= 2^32:
  // the keys are 64-bit.
  static_assert(nfrt::cuda::embeddingKeyBytes(65536, 65536) == 8);
  check<65536, 65536, 4, float>(zipf(65536, 65536, 13), 14);
}

TEST(EmbeddingKernelsTest, UnalignedOrOddRowsTakeTheScalarPath) {
  // dy one element past an aligned address; D = 13 fits no 16-byte load.
  check<700, 90, 16, float>(zipf(700, 90, 15), 16, /*pad=*/1);
  check<700, 90, 16, bf16>(zipf(700, 90, 17), 18, /*pad=*/3);
  check<700, 90, 13, float>(uniform(700, 90, 19), 20);
  check<700, 90, 13, bf16>(uniform(700, 90, 21), 22);
}

TEST(EmbeddingKernelsTest, IdsOutsideTheVocabularyAddToNothing) {
  std::vector<int32_t> t = uniform(500, 40, 23);
  t[0] = -1;
  t[77] = 40;
  t[78] = std::numeric_limits<int32_t>::max();
  t[499] = std::numeric_limits<int32_t>::min();
  check<500, 40, 8, float>(t, 24);
}

TEST(EmbeddingKernelsTest, GptTwoSmallShape) {
  // 16 sequences of 1024 tokens of GPT-2's vocabulary (the 124M model's
  // batch; D cut from 768 to keep the emulation short): eight tiles and
  // three merge passes.
  check<16384, 50257, 16, bf16>(zipf(16384, 50257, 25), 26);
}

} // namespace
