//===- Platform.cuh - one source for nvcc and the SIMT harness --*- CUDA
//-*-===//
//
// Generated .cu files include only nfrt/cuda/*.cuh. Under nvcc these are
// CUDA; under the host compiler nfrt/simt/Simt.h stands in for the CUDA,
// cuBLAS and NCCL headers (DESIGN.md, the SIMT harness), so the very same
// source runs on the CPU for tests. The two macros that differ:
//   NF_LAUNCH(kernel, grid, block, smem, stream, args...)  a checked launch
//   NF_DYNAMIC_SMEM(T, name)                    the block's dynamic smem
// Every runtime and cuBLAS call is checked (NF_CUDA_CHECK, NF_CUBLAS_CHECK):
// a failure prints the call, file and line and exits.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_PLATFORM_CUH
#define NFRT_CUDA_PLATFORM_CUH

#ifdef __CUDACC__
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#define NF_LAUNCH(kernel, grid, block, smem, stream, ...)                      \
  do {                                                                         \
    kernel<<<grid, block, smem, stream>>>(__VA_ARGS__);                        \
    NF_CUDA_CHECK(cudaGetLastError());                                         \
  } while (0)
#define NF_DYNAMIC_SMEM(T, name)                                               \
  extern __shared__ __align__(16) unsigned char nf_dynamic_smem[];             \
  T *name = reinterpret_cast<T *>(nf_dynamic_smem)
#else
#include "nfrt/simt/Simt.h"
#include "nfrt/simt/SimtBlas.h"
#define NF_LAUNCH(kernel, grid, block, smem, stream, ...)                      \
  NF_CUDA_CHECK(::nfrt::simt::launchKernel(#kernel, kernel, grid, block, smem, \
                                           stream, __VA_ARGS__))
#define NF_DYNAMIC_SMEM(T, name)                                               \
  T *name = static_cast<T *>(::nfrt::simt::dynamicSharedMemory())
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>

// Loops with compile-time trip counts over a row's register tile.
#if defined(__CUDACC__) || defined(__clang__)
#define NF_UNROLL _Pragma("unroll")
#else
#define NF_UNROLL _Pragma("GCC unroll 32")
#endif

#define NF_CUDA_CHECK(call)                                                    \
  ::nfrt::cuda::checkCuda((call), #call, __FILE__, __LINE__)
#define NF_CUBLAS_CHECK(call)                                                  \
  ::nfrt::cuda::checkCublas((call), #call, __FILE__, __LINE__)

namespace nfrt::cuda {

inline void checkCuda(cudaError_t e, const char *call, const char *file,
                      int line) {
  if (e == cudaSuccess)
    return;
  std::fprintf(stderr, "%s:%d: error: %s: %s\n", file, line, call,
               cudaGetErrorString(e));
  std::exit(1);
}

inline void checkCublas(cublasStatus_t s, const char *call, const char *file,
                        int line) {
  if (s == CUBLAS_STATUS_SUCCESS)
    return;
  std::fprintf(stderr, "%s:%d: error: %s: cuBLAS status %d\n", file, line, call,
               int(s));
  std::exit(1);
}

/// The stream every generated step runs on and the cuBLAS handle bound to
/// it (created on first use; one per process, i.e. per GPU).
struct Context {
  cudaStream_t stream = nullptr;
  cublasHandle_t blas = nullptr;
};

inline Context &context() {
  static Context c = [] {
    Context c;
    NF_CUDA_CHECK(cudaStreamCreate(&c.stream));
    NF_CUBLAS_CHECK(cublasCreate(&c.blas));
    NF_CUBLAS_CHECK(cublasSetStream(c.blas, c.stream));
    return c;
  }();
  return c;
}

/// Blocks for a grid-stride loop over n items: enough to fill an H100
/// (132 SMs x 2048 threads) at 256 threads a block, no more.
constexpr unsigned strideBlocks(int64_t n, int64_t threads = 256) {
  int64_t b = (n + threads - 1) / threads;
  return unsigned(b < 1 ? 1 : b > 1024 ? 1024 : b);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_PLATFORM_CUH
