//===- OptimizerKernelsTest.cpp - global norm and the clip as grad_scale --===//
//
// launchGlobalNorm (nfrt/cuda/OptimizerKernels.cuh) under the SIMT harness:
// one multi-tensor sum of squares over hundreds of tensors of odd sizes
// (more than one batch of kGlobalNormBatch, tensors past the 1024-block
// cap) against a host sum in double, and bit for bit against the kernels it
// replaced (a sumSquaresPartials launch per tensor, then sqrtOfPartials).
// The optimizer kernels' grad_scale (the clip coefficient folded into the
// update) against the old order, g' = g * coef by mulBroadcast first, then
// the update: bit-identical, on the device and on the CPU.
//
//===----------------------------------------------------------------------===//
#include "nfrt/cpu/OptimizerKernels.h"
#include "nfrt/cpu/ElementwiseKernels.h"
#include "nfrt/cuda/ElementwiseKernels.cuh"
#include "nfrt/cuda/OptimizerKernels.cuh"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

namespace {

float *upload(const std::vector<float> &host) {
  float *d = nullptr;
  EXPECT_EQ(cudaMalloc(&d, host.size() * sizeof(float)), cudaSuccess);
  EXPECT_EQ(cudaMemcpy(d, host.data(), host.size() * sizeof(float),
                       cudaMemcpyHostToDevice),
            cudaSuccess);
  return d;
}

std::vector<float> download(const float *d, size_t n) {
  std::vector<float> host(n);
  EXPECT_EQ(
      cudaMemcpy(host.data(), d, n * sizeof(float), cudaMemcpyDeviceToHost),
      cudaSuccess);
  return host;
}

std::vector<float> randomVector(int64_t n, std::mt19937 &rng,
                                float sigma = 1.f) {
  std::normal_distribution<float> dist(0.f, sigma);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

uint32_t bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, 4);
  return b;
}

/// The global norm of `host` by launchGlobalNorm, and its partials.
std::pair<float, std::vector<float>>
deviceGlobalNorm(const std::vector<std::vector<float>> &host) {
  std::vector<float *> dev;
  std::vector<nfrt::cuda::SumSquaresTensor> tensors;
  std::vector<int64_t> sizes;
  for (const auto &h : host) {
    dev.push_back(upload(h));
    tensors.push_back({dev.back(), int64_t(h.size())});
    sizes.push_back(int64_t(h.size()));
  }
  int64_t p = nfrt::cuda::globalNormScratchFloats(sizes.data(), sizes.size());
  float *partials = nullptr, *out = nullptr;
  EXPECT_EQ(cudaMalloc(&partials, p * sizeof(float)), cudaSuccess);
  EXPECT_EQ(cudaMalloc(&out, sizeof(float)), cudaSuccess);
  nfrt::cuda::launchGlobalNorm(nullptr, tensors.data(), tensors.size(),
                               partials, out);
  EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  float norm = download(out, 1)[0];
  std::vector<float> parts = download(partials, p);
  for (float *d : dev)
    cudaFree(d);
  cudaFree(partials);
  cudaFree(out);
  return {norm, parts};
}

// 300 tensors: three launches (128 + 128 + 44), sizes from 1 to a few
// thousand with two past 1024 blocks of 256 (the grid-stride loop runs
// more than once there), scales from 1e-3 to 10 so that no tensor
// dominates the sum.
TEST(GlobalNorm, MultiTensorMatchesHostDouble) {
  static_assert(nfrt::cuda::kGlobalNormBatch < 150,
                "the test should cross batch boundaries");
  std::mt19937 rng(15);
  std::uniform_int_distribution<int64_t> size(1, 3000);
  std::uniform_real_distribution<float> logScale(-3.f, 1.f);
  std::vector<std::vector<float>> host;
  for (int k = 0; k < 300; ++k) {
    int64_t n = k == 7 ? 1024 * 256 + 37 : k == 200 ? 300001 : size(rng) | 1;
    host.push_back(randomVector(n, rng, std::pow(10.f, logScale(rng))));
  }
  double sumsq = 0.0;
  for (const auto &h : host)
    for (float x : h)
      sumsq += double(x) * x;
  auto [norm, partials] = deviceGlobalNorm(host);
  // fp32 partials of at most ~300 squares each, added in double.
  EXPECT_NEAR(norm, std::sqrt(sumsq), 1e-6 * std::sqrt(sumsq));
  // Partials sit side by side, one per block of each tensor, in order.
  int64_t at = 0;
  for (const auto &h : host) {
    int64_t blocks = nfrt::cuda::globalNormBlocks(int64_t(h.size()));
    double tensorSum = 0.0, fromPartials = 0.0;
    for (float x : h)
      tensorSum += double(x) * x;
    for (int64_t b = 0; b < blocks; ++b)
      fromPartials += partials[at + b];
    EXPECT_NEAR(fromPartials, tensorSum, 1e-5 * tensorSum + 1e-30);
    at += blocks;
  }
  EXPECT_EQ(at, int64_t(partials.size()));
}

/// The per-tensor launches nf.global_norm had before: sumSquaresPartials
/// over strideBlocks(n) blocks per tensor, then sqrtOfPartials.
template <int64_t... S>
std::pair<float, std::vector<float>>
perTensorGlobalNorm(const std::vector<std::vector<float>> &host) {
  constexpr int64_t kSizes[] = {S...};
  constexpr int64_t P = (int64_t(nfrt::cuda::strideBlocks(S)) + ...);
  float *partials = nullptr, *out = nullptr;
  EXPECT_EQ(cudaMalloc(&partials, P * sizeof(float)), cudaSuccess);
  EXPECT_EQ(cudaMalloc(&out, sizeof(float)), cudaSuccess);
  std::vector<float *> dev;
  int64_t at = 0, k = 0;
  auto one = [&](auto size) {
    constexpr int64_t N = decltype(size)::value;
    EXPECT_EQ(int64_t(host[k].size()), kSizes[k]);
    dev.push_back(upload(host[k++]));
    NF_LAUNCH((nfrt::cuda::sumSquaresPartials<N>),
              dim3(nfrt::cuda::strideBlocks(N)), dim3(256), 0, nullptr,
              dev.back(), partials + at);
    at += nfrt::cuda::strideBlocks(N);
  };
  (one(std::integral_constant<int64_t, S>{}), ...);
  NF_LAUNCH((nfrt::cuda::sqrtOfPartials<P>), dim3(1), dim3(32), 0, nullptr,
            partials, out);
  EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  std::pair<float, std::vector<float>> r = {download(out, 1)[0],
                                            download(partials, P)};
  for (float *d : dev)
    cudaFree(d);
  cudaFree(partials);
  cudaFree(out);
  return r;
}

// The same partials and the same norm, bit for bit, as the launch per
// tensor it replaces.
TEST(GlobalNorm, SameBitsAsPerTensorLaunches) {
  std::mt19937 rng(124);
  std::vector<std::vector<float>> host;
  for (int64_t n : {1, 3, 255, 256, 257, 1001, 4097, 70001, 262145, 300007})
    host.push_back(randomVector(n, rng, 0.01f));
  auto [oldNorm, oldPartials] =
      perTensorGlobalNorm<1, 3, 255, 256, 257, 1001, 4097, 70001, 262145,
                          300007>(host);
  auto [norm, partials] = deviceGlobalNorm(host);
  ASSERT_EQ(partials.size(), oldPartials.size());
  for (size_t i = 0; i < partials.size(); ++i)
    ASSERT_EQ(bits(partials[i]), bits(oldPartials[i])) << "partial " << i;
  EXPECT_EQ(bits(norm), bits(oldNorm));
}

// A clip coefficient that really rescales (not 1), and one fp32 gradient
// whose products round.
constexpr float kCoef = 0.37109375f * 1.1f;
constexpr int64_t kN = 3001;

// AdamW (single tensor and multi-tensor) and momentum with grad_scale give
// the bits of mulBroadcast(g, coef) followed by the unscaled update; without
// one (nullptr) they give the bits of the unscaled update.
TEST(GradScale, DeviceKernelsEqualClipThenUpdate) {
  std::mt19937 rng(3);
  std::vector<float> g = randomVector(kN, rng, 2.f), p = randomVector(kN, rng),
                     m = randomVector(kN, rng, 0.1f), v(kN);
  std::vector<float> vInit = randomVector(kN, rng, 0.01f);
  for (int64_t i = 0; i < kN; ++i)
    v[i] = vInit[i] * vInit[i];
  float *dG = upload(g), *dCoef = upload({kCoef}), *dLr = upload({3e-3f}),
        *dStep = upload({7.f}), *dClipped = upload(std::vector<float>(kN));
  NF_LAUNCH((nfrt::cuda::mulBroadcast<kN, 1>), dim3(12), dim3(256), 0, nullptr,
            dG, dCoef, dClipped);
  auto run = [&](const float *grad, const float *scale, bool multi) {
    float *dP = upload(p), *dM = upload(m), *dV = upload(v);
    if (multi) {
      nfrt::cuda::AdamWTensor t = {dP, grad, dM, dV, kN, 0.1f};
      nfrt::cuda::launchAdamWMulti(nullptr, &t, 1, dLr, dStep, scale, 0.9f,
                                   0.95f, 1e-8f);
    } else {
      NF_LAUNCH((nfrt::cuda::adamw<kN>), dim3(12), dim3(256), 0, nullptr, dP,
                grad, dM, dV, dLr, dStep, scale, 0.9f, 0.95f, 1e-8f, 0.1f, dP,
                dM, dV);
    }
    float *dBuf = upload(m), *dU = upload(std::vector<float>(kN));
    NF_LAUNCH((nfrt::cuda::momentum<kN>), dim3(12), dim3(256), 0, nullptr, grad,
              dBuf, scale, 0.95f, true, dBuf, dU);
    EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    std::vector<std::vector<float>> r = {download(dP, kN), download(dM, kN),
                                         download(dV, kN), download(dBuf, kN),
                                         download(dU, kN)};
    for (float *d : {dP, dM, dV, dBuf, dU})
      cudaFree(d);
    return r;
  };
  for (bool multi : {false, true}) {
    auto folded = run(dG, dCoef, multi),
         reference = run(dClipped, nullptr, multi);
    auto unscaled = run(dG, nullptr, multi);
    for (size_t t = 0; t < folded.size(); ++t)
      for (int64_t i = 0; i < kN; ++i)
        ASSERT_EQ(bits(folded[t][i]), bits(reference[t][i]))
            << "multi " << multi << " output " << t << " element " << i;
    // The coefficient matters: without it the update differs.
    EXPECT_NE(bits(unscaled[1][0]), bits(folded[1][0]));
  }
  for (float *d : {dG, dCoef, dLr, dStep, dClipped})
    cudaFree(d);
}

TEST(GradScale, CpuKernelsEqualClipThenUpdate) {
  std::mt19937 rng(4);
  std::vector<float> g = randomVector(kN, rng, 2.f), p = randomVector(kN, rng),
                     m = randomVector(kN, rng, 0.1f), v(kN), clipped(kN);
  for (int64_t i = 0; i < kN; ++i)
    v[i] = m[i] * m[i];
  const float coef = kCoef;
  nfrt::cpu::mulBroadcast<kN, 1>(g.data(), &coef, clipped.data());
  auto run = [&](const std::vector<float> &grad, float scale, bool multi) {
    std::vector<float> p1 = p, m1 = m, v1 = v, buf = m, u(kN);
    if (multi) {
      nfrt::cpu::AdamWTensor t[1] = {
          {p1.data(), grad.data(), m1.data(), v1.data(), kN, 0.1f}};
      nfrt::cpu::adamwMulti<1, kN>(t, 3e-3f, 7.f, scale, 0.9f, 0.95f, 1e-8f);
    } else {
      nfrt::cpu::adamw<kN>(p1.data(), grad.data(), m1.data(), v1.data(), 3e-3f,
                           7.f, scale, 0.9f, 0.95f, 1e-8f, 0.1f, p1.data(),
                           m1.data(), v1.data());
    }
    nfrt::cpu::momentum<kN>(grad.data(), buf.data(), scale, 0.95f, true,
                            buf.data(), u.data());
    return std::vector<std::vector<float>>{p1, m1, v1, buf, u};
  };
  for (bool multi : {false, true}) {
    auto folded = run(g, kCoef, multi), reference = run(clipped, 1.f, multi);
    for (size_t t = 0; t < folded.size(); ++t)
      for (int64_t i = 0; i < kN; ++i)
        ASSERT_EQ(bits(folded[t][i]), bits(reference[t][i]))
            << "multi " << multi << " output " << t << " element " << i;
  }
}

} // namespace

// Multi-tensor AdamW over 100 tensors of odd sizes (three launches of up to
// kAdamWBatch; one tensor past the 1024-block cap, so its blocks loop)
// updates every element exactly once, as a launch per tensor does: the
// block starts and the binary search cover each tensor's grid-stride grid.
TEST(AdamWMulti, BatchedEqualsOneLaunchPerTensor) {
  std::mt19937 rng(11);
  std::vector<int64_t> sizes;
  for (int k = 0; k < 100; ++k)
    sizes.push_back(1 + int64_t(rng() % 3000));
  sizes[37] = 300001; // > 1024 blocks x 256 threads
  float *dLr = upload({1e-3f}), *dStep = upload({3.f}),
        *dScale = upload({0.5f});
  auto run = [&](bool batched) {
    std::mt19937 data(5);
    std::vector<nfrt::cuda::AdamWTensor> tensors;
    std::vector<float *> buffers;
    for (int64_t n : sizes) {
      std::vector<float> v = randomVector(n, data, 0.01f);
      for (float &x : v)
        x = x * x;
      float *g = upload(randomVector(n, data)),
            *p = upload(randomVector(n, data)),
            *m = upload(randomVector(n, data, 0.1f)), *vv = upload(v);
      tensors.push_back({p, g, m, vv, n, 0.01f * float(tensors.size() % 3)});
      buffers.insert(buffers.end(), {g, p, m, vv});
    }
    if (batched)
      nfrt::cuda::launchAdamWMulti(nullptr, tensors.data(),
                                   int64_t(tensors.size()), dLr, dStep, dScale,
                                   0.9f, 0.95f, 1e-8f);
    else
      for (const auto &t : tensors)
        nfrt::cuda::launchAdamWMulti(nullptr, &t, 1, dLr, dStep, dScale, 0.9f,
                                     0.95f, 1e-8f);
    EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    std::vector<float> out;
    for (const auto &t : tensors)
      for (float *b : {t.p, t.m, t.v}) {
        std::vector<float> d = download(b, t.n);
        out.insert(out.end(), d.begin(), d.end());
      }
    for (float *b : buffers)
      cudaFree(b);
    return out;
  };
  std::vector<float> batched = run(true), single = run(false);
  ASSERT_EQ(batched.size(), single.size());
  for (size_t i = 0; i < batched.size(); ++i)
    ASSERT_EQ(bits(batched[i]), bits(single[i])) << "value " << i;
  for (float *d : {dLr, dStep, dScale})
    cudaFree(d);
}
