//===- Platform.cuh - one source for nvcc and the SIMT harness --*- CUDA
//-*-===//
//
// Generated .cu files include only nfrt/cuda/*.cuh. Under nvcc these are
// CUDA; under the host compiler nfrt/simt/Simt.h stands in for the CUDA,
// cuBLAS and NCCL headers (docs/design.md#simt-harness), so the very same
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
#include <nccl.h>
#define NF_LAUNCH(kernel, grid, block, smem, stream, ...)                      \
  do {                                                                         \
    ::nfrt::cuda::ProfileScope nf_profile(#kernel, stream);                    \
    kernel<<<grid, block, smem, stream>>>(__VA_ARGS__);                        \
    NF_CUDA_CHECK(cudaGetLastError());                                         \
  } while (0)
#define NF_DYNAMIC_SMEM(T, name)                                               \
  extern __shared__ __align__(16) unsigned char nf_dynamic_smem[];             \
  T *name = reinterpret_cast<T *>(nf_dynamic_smem)
#else
#include "nfrt/simt/Simt.h"
#include "nfrt/simt/SimtBlas.h"
#include "nfrt/simt/SimtNccl.h"
#define NF_LAUNCH(kernel, grid, block, smem, stream, ...)                      \
  do {                                                                         \
    ::nfrt::cuda::ProfileScope nf_profile(#kernel, stream);                    \
    NF_CUDA_CHECK(::nfrt::simt::launchKernel(#kernel, kernel, grid, block,     \
                                             smem, stream, __VA_ARGS__));      \
  } while (0)
#define NF_DYNAMIC_SMEM(T, name)                                               \
  T *name = static_cast<T *>(::nfrt::simt::dynamicSharedMemory())
#endif

// The two launch shapes most launchers use (LaunchShapes.h): a grid-stride
// kernel over n items, and a warp-per-row kernel over `rows` rows.
#define NF_LAUNCH_STRIDE(kernel, n, stream, ...)                               \
  NF_LAUNCH(kernel, dim3(::nfrt::cuda::strideBlocks(n)),                       \
            dim3(::nfrt::cuda::kBlockThreads), 0, stream, __VA_ARGS__)
#define NF_LAUNCH_ROWS(kernel, rows, stream, ...)                              \
  NF_LAUNCH(kernel, dim3(::nfrt::cuda::rowBlocks(rows)),                       \
            dim3(::nfrt::cuda::kBlockThreads), 0, stream, __VA_ARGS__)

#include "nfrt/cuda/LaunchShapes.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

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
#define NF_NCCL_CHECK(call)                                                    \
  ::nfrt::cuda::checkNccl((call), #call, __FILE__, __LINE__)

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

inline void checkNccl(ncclResult_t r, const char *call, const char *file,
                      int line) {
  if (r == ncclSuccess)
    return;
  const char *detail = ncclGetLastError(nullptr);
  std::fprintf(stderr, "%s:%d: error: %s: %s%s%s\n", file, line, call,
               ncclGetErrorString(r), detail && *detail ? ": " : "",
               detail ? detail : "");
  std::exit(1);
}

/// The stream every generated step runs on, the cuBLAS handle bound to it
/// and, for data-parallel runs, the NCCL communicator (created on first
/// use; one per thread: a process drives one GPU, and the SIMT harness runs
/// each emulated rank as a thread).
/// Everything is released when the thread ends (an emulated rank's thread
/// leaked 32 MB and its handles before: LeakSanitizer in the sanitized
/// build); errors on the way out are ignored, the driver may be unloading.
struct Context {
  cudaStream_t stream = nullptr;
  // Data parallel: the gradient all-reduce runs here, forked from `stream`
  // by an event as each bucket of gradients is final, so that it overlaps
  // the rest of the backward; `stream` waits for it before the step ends.
  cudaStream_t commStream = nullptr;
  cublasHandle_t blas = nullptr;
  void *workspace = nullptr;
  ncclComm_t comm = nullptr;
  int rank = 0, worldSize = 1;

  Context() {
    // Non-blocking: the legacy default stream cannot be captured, and the
    // step must not serialize with unrelated host copies.
    NF_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    NF_CUDA_CHECK(
        cudaStreamCreateWithFlags(&commStream, cudaStreamNonBlocking));
    NF_CUBLAS_CHECK(cublasCreate(&blas));
    NF_CUBLAS_CHECK(cublasSetStream(blas, stream));
    // A workspace of its own, so that captured GEMMs allocate nothing.
    constexpr size_t kWorkspace = size_t(32) << 20;
    NF_CUDA_CHECK(cudaMalloc(&workspace, kWorkspace));
    NF_CUBLAS_CHECK(cublasSetWorkspace(blas, workspace, kWorkspace));
  }
  ~Context() {
    if (comm)
      (void)ncclCommDestroy(comm);
    if (blas)
      (void)cublasDestroy(blas);
    if (workspace)
      (void)cudaFree(workspace);
    if (commStream)
      (void)cudaStreamDestroy(commStream);
    if (stream)
      (void)cudaStreamDestroy(stream);
  }
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;
};

inline Context &context() {
  static thread_local Context c;
  return c;
}

/// Joins the data-parallel group `id` as `rank` of `world` (before the
/// first step of a model built with --ranks).
inline void initComm(int rank, int world, const ncclUniqueId &id) {
  Context &c = context();
  NF_NCCL_CHECK(ncclCommInitRank(&c.comm, world, id, rank));
  c.rank = rank;
  c.worldSize = world;
}

/// Per-kernel times for the benchmark (NFRT_PROFILE=1): events around
/// every launch, summed by kernel (with its shape) when the stream is
/// synchronized. Profiling runs the launches outside graphs.
struct Profiler {
  bool enabled = [] {
    const char *e = std::getenv("NFRT_PROFILE");
    return e && e[0] == '1';
  }();
  struct Pending {
    const char *kernel;
    cudaEvent_t start, end;
  };
  std::vector<Pending> pending;
  struct Total {
    double ms = 0;
    long count = 0;
  };
  std::map<std::string, Total> totals;

  /// Adds the finished launches' times (call after synchronizing).
  void collect() {
    for (Pending &p : pending) {
      float ms = 0.f;
      NF_CUDA_CHECK(cudaEventElapsedTime(&ms, p.start, p.end));
      Total &t = totals[p.kernel];
      t.ms += ms;
      ++t.count;
      NF_CUDA_CHECK(cudaEventDestroy(p.start));
      NF_CUDA_CHECK(cudaEventDestroy(p.end));
    }
    pending.clear();
  }
};

inline Profiler &profiler() {
  static Profiler p;
  return p;
}

struct ProfileScope {
  cudaStream_t stream;
  Profiler::Pending p{nullptr, nullptr, nullptr};
  ProfileScope(const char *kernel, cudaStream_t stream) : stream(stream) {
    if (!profiler().enabled)
      return;
    p.kernel = kernel;
    NF_CUDA_CHECK(cudaEventCreate(&p.start));
    NF_CUDA_CHECK(cudaEventCreate(&p.end));
    NF_CUDA_CHECK(cudaEventRecord(p.start, stream));
  }
  ~ProfileScope() {
    if (!p.kernel)
      return;
    NF_CUDA_CHECK(cudaEventRecord(p.end, stream));
    profiler().pending.push_back(p);
  }
};

/// A step function's work as one CUDA graph: captured on the first call
/// (and again whenever the buffers it is called with change, since a graph
/// bakes its kernels' pointer arguments), then replayed by one launch.
/// NFRT_CUDA_GRAPHS=0 runs the launches directly (for debugging).
class StepGraph {
public:
  StepGraph() = default;
  StepGraph(const StepGraph &) = delete;
  StepGraph &operator=(const StepGraph &) = delete;
  ~StepGraph() {
    if (exec)
      (void)cudaGraphExecDestroy(exec);
  }

  template <class Body>
  void run(cudaStream_t stream, std::initializer_list<const void *> key,
           Body body) {
    const char *env = std::getenv("NFRT_CUDA_GRAPHS");
    if ((env && env[0] == '0') || profiler().enabled) {
      body();
      return;
    }
    if (key.size() > 8) {
      std::fprintf(stderr, "error: StepGraph keys on at most 8 buffers\n");
      std::exit(1);
    }
    if (!exec || !std::equal(key.begin(), key.end(), buffers)) {
      if (exec)
        NF_CUDA_CHECK(cudaGraphExecDestroy(exec));
      NF_CUDA_CHECK(
          cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
      body();
      cudaGraph_t graph;
      NF_CUDA_CHECK(cudaStreamEndCapture(stream, &graph));
      NF_CUDA_CHECK(cudaGraphInstantiate(&exec, graph, 0));
      NF_CUDA_CHECK(cudaGraphDestroy(graph));
      std::copy(key.begin(), key.end(), buffers);
      ++captures;
    }
    NF_CUDA_CHECK(cudaGraphLaunch(exec, stream));
  }
  /// How often the step was (re)captured.
  int captures = 0;

private:
  cudaGraphExec_t exec = nullptr;
  const void *buffers[8] = {};
};

/// N events without timing, created once (per thread: one per rank under
/// the harness), that order the all-reduce stream after the compute stream
/// and back (captured into the step's graph as its edges).
template <int N> struct StepEvents {
  cudaEvent_t e[N];
  StepEvents() {
    for (cudaEvent_t &x : e)
      NF_CUDA_CHECK(cudaEventCreateWithFlags(&x, cudaEventDisableTiming));
  }
  ~StepEvents() {
    for (cudaEvent_t x : e)
      (void)cudaEventDestroy(x);
  }
  StepEvents(const StepEvents &) = delete;
  StepEvents &operator=(const StepEvents &) = delete;
};

} // namespace nfrt::cuda

#endif // NFRT_CUDA_PLATFORM_CUH
