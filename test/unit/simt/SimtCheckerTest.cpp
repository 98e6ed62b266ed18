//===- SimtCheckerTest.cpp - the harness catches what a GPU would show ----===//
//
// Each check of the SIMT harness (docs/cuda.md, "How it is tested without
// a GPU") against a kernel with a planted bug that it must catch, and the
// correct kernel that it must accept: poisoned shared memory, synccheck,
// seeded block and thread orders, and the launch limits of sm_80/sm_90.
// The race check has its own binary (SimtRaceTest.cpp, ThreadSanitizer).
//
//===----------------------------------------------------------------------===//
#include "nfrt/simt/Simt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <vector>

using nfrt::simt::launchKernel;

namespace {

std::string lastError() {
  cudaGetLastError();
  return cudaGetErrorString(cudaErrorLaunchFailure);
}

/// Every test runs in the default order (blocks by index, threads first in,
/// first out) whatever NFRT_SIMT_SEED says, as the messages name threads;
/// the seed tests set their own.
class SimtCheckerTest : public ::testing::Test {
protected:
  void SetUp() override { nfrt::simt::setScheduleSeed(std::nullopt); }
  void TearDown() override { nfrt::simt::setScheduleSeed(std::nullopt); }
};

// --- 1. Shared memory is poisoned at every block start ----------------------

// A block sum through one value per warp in a __shared__ array; `extra`
// reads that many slots past the ones the warps wrote (the planted bug:
// extra = 1 is an off-by-one in the final loop).
__global__ void warpPartials(const float *x, float *out, int extra) {
  __shared__ float partial[32];
  float v = x[blockIdx.x * blockDim.x + threadIdx.x];
  for (int m = 16; m > 0; m >>= 1)
    v += __shfl_xor_sync(0xffffffffu, v, m);
  if (threadIdx.x % 32 == 0)
    partial[threadIdx.x / 32] = v;
  __syncthreads();
  if (threadIdx.x == 0) {
    float s = 0.f;
    for (int w = 0; w < int(blockDim.x / 32) + extra; ++w)
      s += partial[w];
    out[blockIdx.x] = s;
  }
}

TEST_F(SimtCheckerTest, SharedVariableReadPastWhatWasWrittenIsNaN) {
  std::vector<float> x(3 * 64, 1.f), out(3, 0.f);
  ASSERT_EQ(launchKernel("warpPartials", warpPartials, dim3(3), dim3(64), 0,
                         nullptr, x.data(), out.data(), 0),
            cudaSuccess);
  for (float s : out)
    EXPECT_EQ(s, 64.f);
  // A zero-initialised static would give 64 again, hiding the bug.
  ASSERT_EQ(launchKernel("warpPartials", warpPartials, dim3(3), dim3(64), 0,
                         nullptr, x.data(), out.data(), 1),
            cudaSuccess);
  for (float s : out)
    EXPECT_TRUE(std::isnan(s)) << s;
}

// Block 0 alone writes a slot that every block reads: the later blocks
// read another block's shared memory, which on a GPU they never see.
__global__ void staleSlot(int *out) {
  __shared__ int slot[4];
  if (blockIdx.x == 0 && threadIdx.x == 0)
    slot[2] = 42;
  __syncthreads();
  if (threadIdx.x == 0)
    out[blockIdx.x] = slot[2];
}

TEST_F(SimtCheckerTest, SharedVariablesArePoisonedBeforeEveryBlock) {
  std::vector<int> out(3, 0);
  ASSERT_EQ(launchKernel("staleSlot", staleSlot, dim3(3), dim3(32), 0, nullptr,
                         out.data()),
            cudaSuccess);
  EXPECT_EQ(out[0], 42);
  EXPECT_EQ(out[1], -1); // 0xFFFFFFFF, not block 0's 42
  EXPECT_EQ(out[2], -1);
}

__global__ void dynamicPastEnd(float *out, int extra) {
  float *s = static_cast<float *>(nfrt::simt::dynamicSharedMemory());
  s[threadIdx.x] = 1.f;
  __syncthreads();
  if (threadIdx.x == 0) {
    float sum = 0.f;
    for (int i = 0; i < int(blockDim.x) + extra; ++i)
      sum += s[i];
    out[blockIdx.x] = sum;
  }
}

TEST_F(SimtCheckerTest, DynamicSharedMemoryIsPoisoned) {
  std::vector<float> out(2, 0.f);
  size_t smem = 2 * 64 * sizeof(float); // room for the planted read
  ASSERT_EQ(launchKernel("dynamicPastEnd", dynamicPastEnd, dim3(2), dim3(64),
                         smem, nullptr, out.data(), 0),
            cudaSuccess);
  EXPECT_EQ(out[0], 64.f);
  ASSERT_EQ(launchKernel("dynamicPastEnd", dynamicPastEnd, dim3(2), dim3(64),
                         smem, nullptr, out.data(), 1),
            cudaSuccess);
  EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]));
}

// --- 2. Synccheck: one call site per barrier ---------------------------------

// The lines of the planted bug's two barriers.
constexpr int kIfBarrierLine = __LINE__ + 5, kElseBarrierLine = __LINE__ + 7;

__global__ void divergentBarrier(int *out, bool planted) {
  if (planted) {
    if (threadIdx.x < 16)
      __syncthreads();
    else
      __syncthreads();
  } else {
    __syncthreads();
  }
  out[threadIdx.x] = int(threadIdx.x);
}

TEST_F(SimtCheckerTest, DivergentSyncthreadsIsReported) {
  std::vector<int> out(64);
  ASSERT_EQ(launchKernel("divergentBarrier", divergentBarrier, dim3(1),
                         dim3(64), 0, nullptr, out.data(), false),
            cudaSuccess);
  EXPECT_EQ(launchKernel("divergentBarrier", divergentBarrier, dim3(1),
                         dim3(64), 0, nullptr, out.data(), true),
            cudaErrorLaunchFailure);
  std::string why = lastError();
  // Both sites, by file and line: thread 16 is the first from the else.
  std::string file = __FILE__;
  EXPECT_NE(why.find("divergentBarrier: block (0, 0, 0): divergent "
                     "__syncthreads: thread (16, 0, 0) arrived at " +
                     file + ":" + std::to_string(kElseBarrierLine) +
                     " while thread (0, 0, 0) waits at " + file + ":" +
                     std::to_string(kIfBarrierLine)),
            std::string::npos)
      << why;
}

// Half a warp shuffles at one site, the other half at another: the
// harness's exchange would mix two different shuffles' values.
__global__ void divergentShuffles(int *out, bool planted) {
  int v = int(threadIdx.x);
  if (planted && threadIdx.x % 32 < 16)
    v = __shfl_xor_sync(0xffffffffu, v, 1);
  else
    v = __shfl_xor_sync(0xffffffffu, v, 1);
  out[threadIdx.x] = v;
}

__global__ void shuffleAgainstSyncwarp(int *out) {
  int v = int(threadIdx.x);
  if (threadIdx.x % 2)
    __syncwarp();
  else
    v = __shfl_down_sync(0xffffffffu, v, 1);
  out[threadIdx.x] = v;
}

TEST_F(SimtCheckerTest, DivergentWarpBarriersAreReported) {
  std::vector<int> out(32);
  ASSERT_EQ(launchKernel("divergentShuffles", divergentShuffles, dim3(1),
                         dim3(32), 0, nullptr, out.data(), false),
            cudaSuccess);
  EXPECT_EQ(launchKernel("divergentShuffles", divergentShuffles, dim3(1),
                         dim3(32), 0, nullptr, out.data(), true),
            cudaErrorLaunchFailure);
  std::string why = lastError();
  EXPECT_NE(why.find("divergent warp barrier: thread (16, 0, 0) arrived at a "
                     "warp shuffle at "),
            std::string::npos)
      << why;
  EXPECT_EQ(launchKernel("shuffleAgainstSyncwarp", shuffleAgainstSyncwarp,
                         dim3(1), dim3(32), 0, nullptr, out.data()),
            cudaErrorLaunchFailure);
  why = lastError();
  EXPECT_NE(why.find("thread (1, 0, 0) arrived at __syncwarp at "),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("while thread (0, 0, 0) waits at a warp shuffle at "),
            std::string::npos)
      << why;
}

// A barrier in a helper is one site for all its callers' threads.
__device__ void barrierInHelper() { __syncthreads(); }
__global__ void helperBarrier(int *out) {
  if (threadIdx.x % 2)
    barrierInHelper();
  else
    barrierInHelper();
  out[threadIdx.x] = 1;
}

TEST_F(SimtCheckerTest, OneBarrierReachedThroughAHelperIsOneSite) {
  std::vector<int> out(64);
  EXPECT_EQ(launchKernel("helperBarrier", helperBarrier, dim3(1), dim3(64), 0,
                         nullptr, out.data()),
            cudaSuccess);
}

// --- 4. Seeded block and thread orders --------------------------------------

using SimtSeedTest = SimtCheckerTest;

// The planted order dependence: every block writes one global, and the
// result is whichever block ran last.
__global__ void lastBlockWins(int *out) {
  if (threadIdx.x == 0)
    *out = int(blockIdx.x);
}

int lastBlock(std::optional<uint64_t> seed) {
  nfrt::simt::setScheduleSeed(seed);
  int out = -1;
  EXPECT_EQ(launchKernel("lastBlockWins", lastBlockWins, dim3(16), dim3(32), 0,
                         nullptr, &out),
            cudaSuccess);
  return out;
}

TEST_F(SimtSeedTest, SeedsShuffleTheBlockOrder) {
  EXPECT_EQ(lastBlock(std::nullopt), 15); // index order by default
  int a = lastBlock(1), b = lastBlock(2);
  EXPECT_EQ(lastBlock(1), a) << "the same seed gives the same order";
  EXPECT_EQ(lastBlock(2), b);
  std::set<int> seen;
  for (uint64_t s = 1; s <= 8; ++s)
    seen.insert(lastBlock(s));
  EXPECT_GE(seen.size(), 3u) << "eight seeds, at most two last blocks";
  EXPECT_NE(a, b);
}

// Records the order in which threads run, before and after a barrier.
__global__ void runOrder(int *order, int *next) {
  order[atomicAdd(next, 1)] = int(threadIdx.x);
  __syncthreads();
  order[atomicAdd(next, 1)] = int(threadIdx.x);
}

std::vector<int> threadOrder(std::optional<uint64_t> seed) {
  nfrt::simt::setScheduleSeed(seed);
  std::vector<int> order(128, -1);
  int next = 0;
  EXPECT_EQ(launchKernel("runOrder", runOrder, dim3(1), dim3(64), 0, nullptr,
                         order.data(), &next),
            cudaSuccess);
  return order;
}

TEST_F(SimtSeedTest, SeedsShuffleTheThreadOrder) {
  std::vector<int> fifo = threadOrder(std::nullopt), ids(64);
  std::iota(ids.begin(), ids.end(), 0);
  EXPECT_EQ(std::vector<int>(fifo.begin(), fifo.begin() + 64), ids);
  std::vector<int> a = threadOrder(7);
  EXPECT_EQ(threadOrder(7), a);
  EXPECT_NE(a, fifo);
  for (int half = 0; half < 2; ++half) {
    std::vector<int> part(a.begin() + 64 * half, a.begin() + 64 * half + 64);
    EXPECT_NE(part, ids);
    std::sort(part.begin(), part.end());
    EXPECT_EQ(part, ids) << "every thread runs once on each side";
  }
}

// A correct kernel gives the same result in every order.
TEST_F(SimtSeedTest, BarriersHoldInEveryOrder) {
  std::vector<int> x(256);
  std::iota(x.begin(), x.end(), 0);
  std::vector<float> xf(x.begin(), x.end()), ref, out(4);
  for (uint64_t s : {0, 1, 2, 3}) {
    nfrt::simt::setScheduleSeed(s);
    ASSERT_EQ(launchKernel("warpPartials", warpPartials, dim3(4), dim3(64), 0,
                           nullptr, xf.data(), out.data(), 0),
              cudaSuccess);
    if (ref.empty())
      ref = out;
    EXPECT_EQ(out, ref) << "seed " << s;
  }
}

// --- 5. Launch limits of sm_80 / sm_90 ---------------------------------------

__global__ void bigDynamic(int *out) {
  auto *s = static_cast<int *>(nfrt::simt::dynamicSharedMemory());
  s[threadIdx.x] = int(threadIdx.x);
  __syncthreads();
  out[threadIdx.x] = s[(threadIdx.x + 1) % blockDim.x];
}

TEST_F(SimtCheckerTest, DynamicSharedMemoryOver48KiBNeedsAnOptIn) {
  std::vector<int> out(32);
  size_t bytes = 64 * 1024;
  // The planted bug: 64 KiB without cudaFuncSetAttribute.
  EXPECT_EQ(launchKernel("bigDynamic", bigDynamic, dim3(1), dim3(32), bytes,
                         nullptr, out.data()),
            cudaErrorInvalidValue);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidValue);
  std::string why = cudaGetErrorString(cudaErrorInvalidValue);
  EXPECT_NE(why.find("invalid argument: bigDynamic: 65536 bytes of dynamic "
                     "shared memory exceed the 49152 a kernel gets without "
                     "opting in; call cudaFuncSetAttribute(kernel, "
                     "cudaFuncAttributeMaxDynamicSharedMemorySize, 65536)"),
            std::string::npos)
      << why;
  // 48 KiB needs nothing; more than the attribute allows is refused too.
  EXPECT_EQ(launchKernel("bigDynamic", bigDynamic, dim3(1), dim3(32), 48 * 1024,
                         nullptr, out.data()),
            cudaSuccess);
  ASSERT_EQ(cudaFuncSetAttribute(bigDynamic,
                                 cudaFuncAttributeMaxDynamicSharedMemorySize,
                                 int(bytes)),
            cudaSuccess);
  EXPECT_EQ(launchKernel("bigDynamic", bigDynamic, dim3(1), dim3(32), bytes,
                         nullptr, out.data()),
            cudaSuccess);
  EXPECT_EQ(out[31], 0);
  EXPECT_EQ(launchKernel("bigDynamic", bigDynamic, dim3(1), dim3(32),
                         bytes + 16, nullptr, out.data()),
            cudaErrorInvalidValue);
  cudaGetLastError();
}

TEST_F(SimtCheckerTest, DynamicSharedMemoryOverTheGpusMaximumIsRefused) {
  cudaDeviceProp prop;
  ASSERT_EQ(cudaGetDeviceProperties(&prop, 0), cudaSuccess);
  // sm_80 by default (NFRT_SIMT_ARCH=90 for sm_90).
  int max = prop.major == 8 ? 163 * 1024 : 227 * 1024;
  EXPECT_EQ(cudaFuncSetAttribute(bigDynamic,
                                 cudaFuncAttributeMaxDynamicSharedMemorySize,
                                 max + 1),
            cudaErrorInvalidValue);
  cudaGetLastError();
  EXPECT_EQ(launchKernel("bigDynamic", bigDynamic, dim3(1), dim3(32),
                         size_t(max) + 16, nullptr, nullptr),
            cudaErrorInvalidValue);
  cudaGetLastError();
  std::string why = cudaGetErrorString(cudaErrorInvalidValue);
  EXPECT_NE(why.find("exceed the " + std::to_string(max) +
                     " bytes a block can have on sm_" +
                     std::to_string(prop.major * 10)),
            std::string::npos)
      << why;
}

__global__ void nothing(int *) {}

TEST_F(SimtCheckerTest, BlockAndGridLimits) {
  auto launch = [](dim3 grid, dim3 block) {
    cudaError_t e =
        launchKernel("nothing", nothing, grid, block, 0, nullptr, nullptr);
    cudaGetLastError();
    return e;
  };
  EXPECT_EQ(launch(dim3(1), dim3(1024)), cudaSuccess);
  EXPECT_EQ(launch(dim3(1), dim3(1025)), cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(dim3(1), dim3(32, 33)), cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(dim3(1), dim3(1, 1, 65)), cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(dim3(1), dim3(0)), cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(dim3(0), dim3(32)), cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(dim3(1, 65536), dim3(1)), cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(dim3(1, 1, 65536), dim3(1)), cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(dim3(2, 3, 4), dim3(4, 2, 2)), cudaSuccess);
  launch(dim3(1), dim3(1025));
  EXPECT_EQ(launchKernel("nothing", nothing, dim3(1), dim3(1025), 0, nullptr,
                         nullptr),
            cudaErrorInvalidConfiguration);
  std::string why = cudaGetErrorString(cudaErrorInvalidConfiguration);
  EXPECT_NE(why.find("invalid configuration argument: nothing: block (1025, "
                     "1, 1) of 1025 threads"),
            std::string::npos)
      << why;
  cudaGetLastError();
}

} // namespace
