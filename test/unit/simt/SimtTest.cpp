//===- SimtTest.cpp - the SIMT harness: barriers, shuffles, memory --------===//
//
// Kernels written as CUDA (compiled here by the host compiler through
// nfrt/simt/Simt.h) whose results depend on the scheduler getting barrier
// and shuffle semantics right, plus the failure modes it must report.
//
//===----------------------------------------------------------------------===//
#include "nfrt/simt/Simt.h"
#include "nfrt/simt/SimtBlas.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

using nfrt::simt::launchKernel;

namespace {

// Each thread writes its slot, then reads its neighbour's: correct only if
// no thread reads before every thread wrote.
__global__ void rotateThroughShared(int *out) {
  __shared__ int slots[256];
  slots[threadIdx.x] = int(threadIdx.x * 7 + blockIdx.x);
  __syncthreads();
  out[blockIdx.x * blockDim.x + threadIdx.x] =
      slots[(threadIdx.x + 1) % blockDim.x];
}

TEST(SimtTest, BlockBarrierOrdersSharedMemory) {
  std::vector<int> out(3 * 256);
  ASSERT_EQ(launchKernel("rotate", rotateThroughShared, dim3(3), dim3(256), 0,
                         nullptr, out.data()),
            cudaSuccess);
  for (int b = 0; b < 3; ++b)
    for (int t = 0; t < 256; ++t)
      EXPECT_EQ(out[b * 256 + t], ((t + 1) % 256) * 7 + b) << b << " " << t;
}

// Several barriers in a loop: each round every thread adds its neighbour's
// previous value; any thread running ahead would read a newer value.
__global__ void rounds(int *out, int n) {
  __shared__ int a[64];
  a[threadIdx.x] = int(threadIdx.x);
  __syncthreads();
  for (int r = 0; r < n; ++r) {
    int v = a[(threadIdx.x + 1) % 64];
    __syncthreads();
    a[threadIdx.x] += v;
    __syncthreads();
  }
  out[threadIdx.x] = a[threadIdx.x];
}

TEST(SimtTest, RepeatedBarriers) {
  std::vector<int> out(64), ref(64);
  std::iota(ref.begin(), ref.end(), 0);
  for (int r = 0; r < 5; ++r) {
    std::vector<int> next(64);
    for (int t = 0; t < 64; ++t)
      next[t] = ref[t] + ref[(t + 1) % 64];
    ref.swap(next);
  }
  ASSERT_EQ(launchKernel("rounds", rounds, dim3(1), dim3(64), 0, nullptr,
                         out.data(), 5),
            cudaSuccess);
  EXPECT_EQ(out, ref);
}

__global__ void shuffles(int *out) {
  int lane = int(threadIdx.x % 32), warp = int(threadIdx.x / 32);
  int v = lane + 100 * warp;
  int sum = v;
  for (int m = 16; m > 0; m >>= 1)
    sum += __shfl_xor_sync(0xffffffffu, sum, m);
  int *o = out + 6 * threadIdx.x;
  o[0] = sum;
  o[1] = __shfl_down_sync(0xffffffffu, v, 3);
  o[2] = __shfl_up_sync(0xffffffffu, v, 5);
  o[3] = __shfl_sync(0xffffffffu, v, 9);
  o[4] = __shfl_xor_sync(0xffffffffu, v, 1, 8); // segments of 8 lanes
  o[5] = int(__ballot_sync(0xffffffffu, lane % 3 == 0));
}

TEST(SimtTest, WarpShuffles) {
  std::vector<int> out(64 * 6);
  ASSERT_EQ(launchKernel("shuffles", shuffles, dim3(1), dim3(64), 0, nullptr,
                         out.data()),
            cudaSuccess);
  unsigned ballot = 0;
  for (int l = 0; l < 32; l += 3)
    ballot |= 1u << l;
  for (int t = 0; t < 64; ++t) {
    int lane = t % 32, w = t / 32, base = 100 * w;
    const int *o = out.data() + 6 * t;
    EXPECT_EQ(o[0], 496 + 3200 * w);
    EXPECT_EQ(o[1], lane + 3 < 32 ? lane + 3 + base : lane + base);
    EXPECT_EQ(o[2], lane >= 5 ? lane - 5 + base : lane + base);
    EXPECT_EQ(o[3], 9 + base);
    EXPECT_EQ(o[4], (lane ^ 1) + base);
    EXPECT_EQ(unsigned(o[5]), ballot);
  }
}

// A block-wide sum: warp shuffles, then one value per warp through shared
// memory, as the generated reductions do.
__global__ void blockSum(const float *x, int n, float *out) {
  __shared__ float partial[32];
  float s = 0.f;
  for (int i = int(blockIdx.x * blockDim.x + threadIdx.x); i < n;
       i += int(gridDim.x * blockDim.x))
    s += x[i];
  for (int m = 16; m > 0; m >>= 1)
    s += __shfl_xor_sync(0xffffffffu, s, m);
  if (threadIdx.x % 32 == 0)
    partial[threadIdx.x / 32] = s;
  __syncthreads();
  if (threadIdx.x < 32) {
    float v = threadIdx.x < blockDim.x / 32 ? partial[threadIdx.x] : 0.f;
    for (int m = 16; m > 0; m >>= 1)
      v += __shfl_xor_sync(0xffffffffu, v, m);
    if (threadIdx.x == 0)
      atomicAdd(out, v);
  }
}

TEST(SimtTest, ReductionKernel) {
  std::vector<float> x(10000);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float(i % 17) - 8.f;
  double ref = std::accumulate(x.begin(), x.end(), 0.0);
  float *dx, *dout;
  ASSERT_EQ(cudaMalloc(&dx, x.size() * 4), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&dout, 4), cudaSuccess);
  cudaMemcpy(dx, x.data(), x.size() * 4, cudaMemcpyHostToDevice);
  cudaMemset(dout, 0, 4);
  ASSERT_EQ(launchKernel("blockSum", blockSum, dim3(7), dim3(256), 0, nullptr,
                         dx, int(x.size()), dout),
            cudaSuccess);
  float out;
  cudaMemcpy(&out, dout, 4, cudaMemcpyDeviceToHost);
  EXPECT_FLOAT_EQ(out, float(ref));
  cudaFree(dx);
  cudaFree(dout);
}

__global__ void dynamicShared(float *out) {
  float *s = static_cast<float *>(nfrt::simt::dynamicSharedMemory());
  s[threadIdx.x] = float(threadIdx.x) * 2.f;
  __syncthreads();
  out[threadIdx.x] = s[blockDim.x - 1 - threadIdx.x];
}

TEST(SimtTest, DynamicSharedMemory) {
  std::vector<float> out(100);
  ASSERT_EQ(launchKernel("dyn", dynamicShared, dim3(1), dim3(100),
                         100 * sizeof(float), nullptr, out.data()),
            cudaSuccess);
  for (int t = 0; t < 100; ++t)
    EXPECT_EQ(out[t], float(99 - t) * 2.f);
}

// Thread 0 leaves before the barrier the others wait at: on a GPU this is
// undefined behaviour; the harness must name it (and the barrier) rather
// than hang.
__global__ void earlyExit(int *out) {
  if (threadIdx.x == 0)
    return;
  __syncthreads();
  out[threadIdx.x] = 1;
}

TEST(SimtTest, DetectsBarrierDeadlock) {
  nfrt::simt::setScheduleSeed(std::nullopt); // block (0, 0, 0) runs first
  std::vector<int> out(64);
  EXPECT_EQ(launchKernel("earlyExit", earlyExit, dim3(2), dim3(64), 0, nullptr,
                         out.data()),
            cudaErrorLaunchFailure);
  EXPECT_EQ(cudaGetLastError(), cudaErrorLaunchFailure);
  std::string why = cudaGetErrorString(cudaErrorLaunchFailure);
  EXPECT_NE(why.find("earlyExit: block (0, 0, 0): deadlock: thread (0, 0, 0) "
                     "exited while 63 threads wait at __syncthreads ("),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("SimtTest.cpp:"), std::string::npos) << why;
}

// Half a warp shuffles while the other half waits at __syncthreads.
__global__ void divergentShuffle(int *out) {
  int v = int(threadIdx.x);
  if (threadIdx.x < 16)
    v = __shfl_xor_sync(0xffffffffu, v, 1);
  else
    __syncthreads();
  out[threadIdx.x] = v;
}

TEST(SimtTest, DetectsWarpDeadlock) {
  std::vector<int> out(32);
  EXPECT_EQ(launchKernel("divergent", divergentShuffle, dim3(1), dim3(32), 0,
                         nullptr, out.data()),
            cudaErrorLaunchFailure);
  cudaGetLastError();
  std::string why = cudaGetErrorString(cudaErrorLaunchFailure);
  EXPECT_NE(why.find("deadlock: 16 threads wait at __syncthreads ("),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("), 16 at a warp barrier (first: warp 0, 16 of 32 lanes "
                     "at "),
            std::string::npos)
      << why;
}

__global__ void partialMask(int *out) {
  out[threadIdx.x] = __shfl_xor_sync(0xffffu, int(threadIdx.x), 1);
}

TEST(SimtTest, RejectsPartialWarpMasks) {
  std::vector<int> out(32);
  EXPECT_EQ(launchKernel("partialMask", partialMask, dim3(1), dim3(32), 0,
                         nullptr, out.data()),
            cudaErrorLaunchFailure);
  cudaGetLastError();
  EXPECT_NE(std::string(cudaGetErrorString(cudaErrorLaunchFailure))
                .find("leaves out lanes"),
            std::string::npos);
}

TEST(SimtTest, RejectsBadLaunchConfiguration) {
  std::vector<int> out(32);
  EXPECT_EQ(launchKernel("big", rotateThroughShared, dim3(1), dim3(2048), 0,
                         nullptr, out.data()),
            cudaErrorInvalidConfiguration);
  cudaGetLastError();
}

__global__ void addOne(float *x) { x[threadIdx.x] += 1.f; }

TEST(SimtTest, GraphCaptureRecordsAndReplays) {
  cudaStream_t s;
  cudaStreamCreate(&s);
  std::vector<float> x(32, 0.f);
  ASSERT_EQ(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal),
            cudaSuccess);
  launchKernel("addOne", addOne, dim3(1), dim3(32), 0, s, x.data());
  launchKernel("addOne", addOne, dim3(1), dim3(32), 0, s, x.data());
  cudaGraph_t g;
  ASSERT_EQ(cudaStreamEndCapture(s, &g), cudaSuccess);
  EXPECT_EQ(x[0], 0.f); // captured, not run
  cudaGraphExec_t e;
  cudaGraphInstantiate(&e, g, 0);
  cudaGraphLaunch(e, s);
  cudaGraphLaunch(e, s);
  for (float v : x)
    EXPECT_EQ(v, 4.f);
  cudaGraphExecDestroy(e);
  cudaGraphDestroy(g);
  cudaStreamDestroy(s);
}

// x[i] = 2 x[i]: with addOne, the order of the two kernels shows.
__global__ void doubleIt(float *x) { x[threadIdx.x] *= 2.f; }

// The bucketed all-reduce's pattern: a second stream forked into the
// capture by an event, joined back by another; the replay runs the fork's
// work after what it waited for and before what waits for it.
TEST(SimtTest, GraphCaptureForkAndJoin) {
  cudaStream_t main, side;
  cudaStreamCreateWithFlags(&main, cudaStreamNonBlocking);
  cudaStreamCreateWithFlags(&side, cudaStreamNonBlocking);
  cudaEvent_t forked, joined;
  cudaEventCreateWithFlags(&forked, cudaEventDisableTiming);
  cudaEventCreateWithFlags(&joined, cudaEventDisableTiming);
  std::vector<float> x(32, 0.f);
  ASSERT_EQ(cudaStreamBeginCapture(main, cudaStreamCaptureModeGlobal),
            cudaSuccess);
  launchKernel("addOne", addOne, dim3(1), dim3(32), 0, main, x.data());
  cudaEventRecord(forked, main);
  ASSERT_EQ(cudaStreamWaitEvent(side, forked, 0), cudaSuccess);
  launchKernel("doubleIt", doubleIt, dim3(1), dim3(32), 0, side, x.data());
  cudaEventRecord(joined, side);
  ASSERT_EQ(cudaStreamWaitEvent(main, joined, 0), cudaSuccess);
  launchKernel("addOne", addOne, dim3(1), dim3(32), 0, main, x.data());
  cudaGraph_t g;
  ASSERT_EQ(cudaStreamEndCapture(main, &g), cudaSuccess);
  EXPECT_EQ(x[0], 0.f); // captured, not run: the side stream's work too
  cudaGraphExec_t e;
  cudaGraphInstantiate(&e, g, 0);
  cudaGraphLaunch(e, main);
  for (float v : x)
    EXPECT_EQ(v, 3.f); // (0 + 1) * 2 + 1
  // The side stream left the capture with it: its work runs at once again.
  launchKernel("doubleIt", doubleIt, dim3(1), dim3(32), 0, side, x.data());
  EXPECT_EQ(x[0], 6.f);
  cudaGraphExecDestroy(e);
  cudaGraphDestroy(g);
  cudaEventDestroy(forked);
  cudaEventDestroy(joined);
  cudaStreamDestroy(main);
  cudaStreamDestroy(side);
}

// A fork whose last work the capturing stream never waited for is an
// error at the end of the capture, as in CUDA (it would race on a GPU).
TEST(SimtTest, GraphCaptureRejectsAnUnjoinedFork) {
  cudaStream_t main, side;
  cudaStreamCreate(&main);
  cudaStreamCreate(&side);
  cudaEvent_t forked;
  cudaEventCreate(&forked);
  std::vector<float> x(32, 0.f);
  ASSERT_EQ(cudaStreamBeginCapture(main, cudaStreamCaptureModeGlobal),
            cudaSuccess);
  cudaEventRecord(forked, main);
  cudaStreamWaitEvent(side, forked, 0);
  launchKernel("addOne", addOne, dim3(1), dim3(32), 0, side, x.data());
  cudaGraph_t g;
  EXPECT_EQ(cudaStreamEndCapture(main, &g), cudaErrorStreamCaptureUnjoined);
  EXPECT_EQ(x[0], 0.f);
  (void)cudaGetLastError();
  cudaEventDestroy(forked);
  cudaStreamDestroy(main);
  cudaStreamDestroy(side);
}

TEST(SimtTest, Bf16RoundsToNearestEven) {
  // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even 1.
  EXPECT_EQ(__float2bfloat16(1.f + 0x1p-8f).x, 0x3f80);
  // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: to 1 + 2^-6.
  EXPECT_EQ(__float2bfloat16(1.f + 3 * 0x1p-8f).x, 0x3f82);
  EXPECT_EQ(__float2bfloat16(1.f + 0x1p-8f + 0x1p-20f).x, 0x3f81);
  EXPECT_EQ(__bfloat162float(__float2bfloat16(-2.5f)), -2.5f);
  EXPECT_TRUE(std::isnan(__bfloat162float(__float2bfloat16(NAN))));
  EXPECT_TRUE(std::isinf(__bfloat162float(__float2bfloat16(INFINITY))));
}

TEST(SimtTest, CublasSgemmIsColumnMajor) {
  // C[m, n] = A^T B with A stored k x m, column-major.
  const int m = 3, n = 2, k = 4;
  std::vector<float> A(k * m), B(k * n), C(m * n, 0.f);
  for (int i = 0; i < k * m; ++i)
    A[i] = float(i + 1);
  for (int i = 0; i < k * n; ++i)
    B[i] = float(2 * i - 3);
  cublasHandle_t h;
  cublasCreate(&h);
  float one = 1.f, zero = 0.f;
  ASSERT_EQ(cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, A.data(), k,
                        B.data(), k, &zero, C.data(), m),
            CUBLAS_STATUS_SUCCESS);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      float ref = 0.f;
      for (int p = 0; p < k; ++p)
        ref += A[i * k + p] * B[j * k + p];
      EXPECT_EQ(C[j * m + i], ref);
    }
  // The same product with bf16 inputs (exact here: small integers).
  std::vector<__nv_bfloat16> Ab(A.begin(), A.end()), Bb(B.begin(), B.end());
  std::vector<float> C2(m * n, 0.f);
  ASSERT_EQ(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, Ab.data(),
                         CUDA_R_16BF, k, Bb.data(), CUDA_R_16BF, k, &zero,
                         C2.data(), CUDA_R_32F, m, CUBLAS_COMPUTE_32F,
                         CUBLAS_GEMM_DEFAULT),
            CUBLAS_STATUS_SUCCESS);
  EXPECT_EQ(C2, C);
  cublasDestroy(h);
}

} // namespace
