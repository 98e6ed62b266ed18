//===- SimtRaceTest.cpp - the race check: ThreadSanitizer over fibers -----===//
//
// Built with -fsanitize=thread against nfrt_simt_racecheck
// (test/unit/CMakeLists.txt): every access of these kernels is seen by
// ThreadSanitizer, and the scheduler tells it what CUDA orders (barriers,
// warp barriers, a thread's start, the end of a block). Each planted race
// must fail its launch with a message naming the memory and both threads;
// each correct kernel must pass. The harness's other tests are linked into
// the same binary, so every kernel in them runs under the check too.
//
//===----------------------------------------------------------------------===//
#include "nfrt/simt/Simt.h"

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

// The planted races are reported on purpose: they must not fail the run,
// and a report is not to be dropped for looking like an earlier one (each
// test expects its own).
extern "C" const char *__tsan_default_options() {
  return "exitcode=0:suppress_equal_stacks=0:suppress_equal_addresses=0";
}

using nfrt::simt::launchKernel;

namespace {

std::string launchError() {
  cudaGetLastError();
  return cudaGetErrorString(cudaErrorLaunchFailure);
}

class SimtRaceTest : public ::testing::Test {
protected:
  void SetUp() override { nfrt::simt::setScheduleSeed(std::nullopt); }
};

// The planted bug of the brief: thread 0 writes a shared slot that thread 1
// reads, with no barrier between.
__global__ void handOff(int *out, bool barrier) {
  __shared__ int slot[2];
  if (threadIdx.x == 0)
    slot[0] = 7;
  if (barrier)
    __syncthreads();
  if (threadIdx.x == 1)
    out[0] = slot[0];
}

TEST_F(SimtRaceTest, SharedMemoryWithoutABarrierIsARace) {
  int out = 0;
  ASSERT_EQ(launchKernel("handOff", handOff, dim3(2), dim3(64), 0, nullptr,
                         &out, true),
            cudaSuccess);
  EXPECT_EQ(out, 7);
  EXPECT_EQ(launchKernel("handOff", handOff, dim3(2), dim3(64), 0, nullptr,
                         &out, false),
            cudaErrorLaunchFailure);
  std::string why = launchError();
  EXPECT_NE(why.find("handOff: block (0, 0, 0): data-race on __shared__ "
                     "(anonymous namespace)::handOff(int*, bool)::slot + 0: "
                     "thread (1, 0, 0) reads 4 bytes that thread (0, 0, 0) "
                     "wrote, and no barrier orders the two"),
            std::string::npos)
      << why;
  // The launch after a failed one starts clean.
  EXPECT_EQ(launchKernel("handOff", handOff, dim3(2), dim3(64), 0, nullptr,
                         &out, true),
            cudaSuccess);
}

// Lanes of one warp: a __syncwarp (or any shuffle) orders them; without it
// a GPU's independent thread scheduling does not.
__global__ void laneHandOff(int *out, int how) {
  int *slot = static_cast<int *>(nfrt::simt::dynamicSharedMemory());
  slot[threadIdx.x] = int(threadIdx.x);
  if (how == 1)
    __syncwarp();
  if (how == 2)
    (void)__shfl_sync(0xffffffffu, 0, 0);
  out[threadIdx.x] = slot[(threadIdx.x + 1) % 32];
}

TEST_F(SimtRaceTest, LanesAreOrderedOnlyByWarpBarriers) {
  std::vector<int> out(32);
  for (int how : {1, 2})
    EXPECT_EQ(launchKernel("laneHandOff", laneHandOff, dim3(1), dim3(32),
                           32 * sizeof(int), nullptr, out.data(), how),
              cudaSuccess)
        << how;
  EXPECT_EQ(launchKernel("laneHandOff", laneHandOff, dim3(1), dim3(32),
                         32 * sizeof(int), nullptr, out.data(), 0),
            cudaErrorLaunchFailure);
  std::string why = launchError();
  EXPECT_NE(why.find("data-race on dynamic shared memory + 4: thread (1, 0, "
                     "0) writes 4 bytes that thread (0, 0, 0) read"),
            std::string::npos)
      << why;
}

// A block sum whose shared array is reused by the next call: correct only
// with the barrier after the last read (nfrt/cuda/Reduce.cuh has it).
__device__ float blockSum(float v, bool trailingBarrier) {
  __shared__ float partial[32];
  for (int m = 16; m > 0; m >>= 1)
    v += __shfl_xor_sync(0xffffffffu, v, m);
  if (threadIdx.x % 32 == 0)
    partial[threadIdx.x / 32] = v;
  __syncthreads();
  float s = 0.f;
  if (threadIdx.x == 0)
    for (unsigned w = 0; w < blockDim.x / 32; ++w)
      s += partial[w];
  if (trailingBarrier)
    __syncthreads();
  return s;
}

__global__ void twoSums(const float *x, float *out, bool trailingBarrier) {
  float a = blockSum(x[threadIdx.x], trailingBarrier);
  float b = blockSum(2.f * x[threadIdx.x], trailingBarrier);
  if (threadIdx.x == 0)
    out[blockIdx.x] = a + b;
}

TEST_F(SimtRaceTest, SharedArrayReusedWithoutABarrierIsARace) {
  std::vector<float> x(128, 1.f), out(3);
  ASSERT_EQ(launchKernel("twoSums", twoSums, dim3(3), dim3(128), 0, nullptr,
                         x.data(), out.data(), true),
            cudaSuccess);
  EXPECT_EQ(out, std::vector<float>(3, 384.f));
  EXPECT_EQ(launchKernel("twoSums", twoSums, dim3(3), dim3(128), 0, nullptr,
                         x.data(), out.data(), false),
            cudaErrorLaunchFailure);
  std::string why = launchError();
  EXPECT_NE(why.find("data-race on __shared__ (anonymous "
                     "namespace)::blockSum(float, bool)::partial + "),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("writes 4 bytes that thread (0, 0, 0) read"),
            std::string::npos)
      << why;
}

// Global memory within a block: every thread stores to one word (a race),
// or adds to it atomically (not one).
__global__ void oneWord(int *out, bool atomic) {
  if (atomic)
    atomicAdd(out, 1);
  else
    *out = int(threadIdx.x);
}

TEST_F(SimtRaceTest, GlobalMemoryRacesWithinABlock) {
  int *word;
  ASSERT_EQ(cudaMalloc(&word, sizeof(int)), cudaSuccess);
  cudaMemset(word, 0, sizeof(int));
  ASSERT_EQ(launchKernel("oneWord", oneWord, dim3(4), dim3(64), 0, nullptr,
                         word, true),
            cudaSuccess);
  int host = 0;
  cudaMemcpy(&host, word, sizeof(int), cudaMemcpyDeviceToHost);
  EXPECT_EQ(host, 256);
  EXPECT_EQ(launchKernel("oneWord", oneWord, dim3(4), dim3(64), 0, nullptr,
                         word, false),
            cudaErrorLaunchFailure);
  std::string why = launchError();
  EXPECT_NE(why.find("data-race on global memory at 0x"), std::string::npos)
      << why;
  EXPECT_NE(why.find("thread (1, 0, 0) writes 4 bytes that thread (0, 0, 0) "
                     "wrote"),
            std::string::npos)
      << why;
  cudaFree(word);
}

// What the check must accept: barrier generations in a loop (a fast
// thread's next arrival must not order a slow thread's previous
// departure), shared memory reused by the next block, and any order.
__global__ void rounds(int *out, int n) {
  __shared__ int a[64];
  a[threadIdx.x] = int(threadIdx.x + blockIdx.x);
  __syncthreads();
  for (int r = 0; r < n; ++r) {
    int v = a[(threadIdx.x + 1) % 64];
    __syncthreads();
    a[threadIdx.x] += v;
    __syncthreads();
  }
  out[blockIdx.x * 64 + threadIdx.x] = a[threadIdx.x];
}

TEST_F(SimtRaceTest, CorrectBarriersAreNotRaces) {
  std::vector<int> out(4 * 64), first;
  for (uint64_t seed : {0, 1, 2}) {
    nfrt::simt::setScheduleSeed(seed);
    ASSERT_EQ(launchKernel("rounds", rounds, dim3(4), dim3(64), 0, nullptr,
                           out.data(), 6),
              cudaSuccess)
        << launchError();
    if (first.empty())
      first = out;
    EXPECT_EQ(out, first);
  }
}

// The same kernel with the first barrier of the loop left out: the planted
// write-after-read race only some orders would show as a wrong result.
__global__ void roundsMissingBarrier(int *out, int n) {
  __shared__ int a[64];
  a[threadIdx.x] = int(threadIdx.x);
  __syncthreads();
  for (int r = 0; r < n; ++r) {
    int v = a[(threadIdx.x + 1) % 64];
    a[threadIdx.x] += v;
    __syncthreads();
  }
  out[threadIdx.x] = a[threadIdx.x];
}

TEST_F(SimtRaceTest, AMissingBarrierIsARaceInAnyOrder) {
  std::vector<int> out(64);
  EXPECT_EQ(launchKernel("roundsMissingBarrier", roundsMissingBarrier, dim3(1),
                         dim3(64), 0, nullptr, out.data(), 3),
            cudaErrorLaunchFailure);
  std::string why = launchError();
  EXPECT_NE(why.find("data-race on __shared__ (anonymous "
                     "namespace)::roundsMissingBarrier(int*, int)::a + "),
            std::string::npos)
      << why;
}

} // namespace
