//===- SimtRuntime.h - the CUDA runtime API on host memory ------*- C++ -*-===//
//
// "Device" memory is host memory (cudaMalloc is an aligned allocation,
// every cudaMemcpy kind is memcpy). Work is queued on streams in order: a
// stream runs what it is given at once, unless it is capturing a graph,
// in which case the work is recorded and a cudaGraphLaunch replays it, so
// a captured step runs exactly what the capture saw. A stream that waits on
// an event recorded in a capturing stream joins that capture (a fork, as
// in CUDA), and must be waited on again before the capture ends. Events
// time the host. A launch the CUDA runtime would refuse (block and grid
// sizes, dynamic shared memory over 48 KiB without cudaFuncSetAttribute,
// or over the emulated GPU's maximum) is refused with CUDA's error code and
// a message saying why (LaunchLimits.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_SIMTRUNTIME_H
#define NFRT_SIMT_SIMTRUNTIME_H

#include "nfrt/simt/Scheduler.h"

#include <cstddef>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>

enum cudaError_t {
  cudaSuccess = 0,
  cudaErrorInvalidValue = 1,
  cudaErrorMemoryAllocation = 2,
  cudaErrorInvalidConfiguration = 9,
  cudaErrorStreamCaptureInvalidated = 901,
  cudaErrorStreamCaptureUnjoined = 904,
  cudaErrorLaunchFailure = 719,
};
enum cudaMemcpyKind {
  cudaMemcpyHostToHost = 0,
  cudaMemcpyHostToDevice = 1,
  cudaMemcpyDeviceToHost = 2,
  cudaMemcpyDeviceToDevice = 3,
  cudaMemcpyDefault = 4,
};
enum cudaStreamCaptureMode { cudaStreamCaptureModeGlobal = 0 };
enum cudaFuncAttribute {
  cudaFuncAttributeMaxDynamicSharedMemorySize = 8,
  cudaFuncAttributePreferredSharedMemoryCarveout = 9,
};
enum { cudaStreamNonBlocking = 1 };
enum { cudaEventDefault = 0, cudaEventDisableTiming = 2 };

struct CUstream_st;
struct CUevent_st;
struct CUgraph_st;
using cudaStream_t = CUstream_st *;
using cudaEvent_t = CUevent_st *;
using cudaGraph_t = CUgraph_st *;
using cudaGraphExec_t = CUgraph_st *;

struct cudaDeviceProp {
  char name[256];
  int multiProcessorCount;
  int major, minor;
  size_t totalGlobalMem;
};

const char *cudaGetErrorString(cudaError_t error);
cudaError_t cudaGetLastError();
cudaError_t cudaPeekAtLastError();
cudaError_t cudaGetDeviceCount(int *count);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDevice(int *device);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp *prop, int device);
cudaError_t cudaDeviceSynchronize();
/// Kernel attributes: the dynamic shared memory a kernel may be launched
/// with beyond the default 48 KiB (up to the emulated GPU's maximum), and
/// the carveout preference (accepted, without effect).
cudaError_t cudaFuncSetAttribute(const void *func, cudaFuncAttribute attr,
                                 int value);
template <class T>
cudaError_t cudaFuncSetAttribute(T *func, cudaFuncAttribute attr, int value) {
  return cudaFuncSetAttribute(reinterpret_cast<const void *>(func), attr,
                              value);
}
/// The harness's device memory is the host's: free and total are its
/// physical memory, or NFRT_SIMT_DEVICE_MEMORY_BYTES when set (tests play a
/// small GPU with it).
cudaError_t cudaMemGetInfo(size_t *free, size_t *total);

cudaError_t cudaMalloc(void **ptr, size_t bytes);
template <class T> cudaError_t cudaMalloc(T **ptr, size_t bytes) {
  return cudaMalloc(reinterpret_cast<void **>(ptr), bytes);
}
cudaError_t cudaFree(void *ptr);
cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes,
                       cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t bytes,
                            cudaMemcpyKind kind, cudaStream_t stream = nullptr);
cudaError_t cudaMemset(void *ptr, int value, size_t bytes);
cudaError_t cudaMemsetAsync(void *ptr, int value, size_t bytes,
                            cudaStream_t stream = nullptr);

cudaError_t cudaStreamCreate(cudaStream_t *stream);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t *stream, unsigned flags);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event,
                                unsigned flags = 0);
cudaError_t cudaStreamBeginCapture(cudaStream_t stream,
                                   cudaStreamCaptureMode mode);
cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t *graph);
cudaError_t cudaGraphInstantiate(cudaGraphExec_t *exec, cudaGraph_t graph,
                                 unsigned long long flags = 0);
cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream);
cudaError_t cudaGraphDestroy(cudaGraph_t graph);
cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec);

cudaError_t cudaEventCreate(cudaEvent_t *event);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned flags);
cudaError_t cudaEventDestroy(cudaEvent_t event);
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream = nullptr);
cudaError_t cudaEventSynchronize(cudaEvent_t event);
cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end);

namespace nfrt::simt {

using Work = std::function<cudaError_t()>;

/// Runs `work` now, or records it when `stream` is capturing a graph.
cudaError_t submit(cudaStream_t stream, Work work);
/// Records a failed launch (the message cudaGetErrorString will return).
cudaError_t launchFailed(const std::string &message);
/// Records `error` for a launch the CUDA runtime refuses before it runs;
/// cudaGetErrorString(error) then adds `detail` to CUDA's own text.
cudaError_t launchRefused(cudaError_t error, const std::string &detail);
/// What the CUDA runtime of the emulated GPU (NFRT_SIMT_ARCH, 80 or 90;
/// 80 by default, the stricter of nfc's default --cuda-arch=80,90) says to
/// launching `kernel` so: cudaSuccess, or cudaErrorInvalidConfiguration
/// (block or grid size) or cudaErrorInvalidValue (dynamic shared memory)
/// with the reason in `why`.
cudaError_t checkLaunch(const void *kernel, const char *name, dim3 grid,
                        dim3 block, size_t smem, std::string &why);
/// How many kernels this OS thread has launched (tests and the bench).
uint64_t launchCount();

/// The harness side of NF_LAUNCH: the arguments are converted to the
/// kernel's parameter types at the launch (CUDA copies them then too) and
/// every thread of the grid calls the kernel on its own copy.
template <class... P, class... A>
cudaError_t launchKernel(const char *name, void (*kernel)(P...), dim3 grid,
                         dim3 block, size_t smem, cudaStream_t stream,
                         A &&...args) {
  static_assert(sizeof...(P) == sizeof...(A), "kernel argument count");
  std::string why;
  if (cudaError_t e = checkLaunch(reinterpret_cast<const void *>(kernel), name,
                                  grid, block, smem, why);
      e != cudaSuccess)
    return launchRefused(e, why);
  std::tuple<std::decay_t<P>...> params(
      static_cast<std::decay_t<P>>(std::forward<A>(args))...);
  return submit(stream, [=]() -> cudaError_t {
    auto call = [&]() {
      std::tuple<std::decay_t<P>...> own = params;
      std::apply(kernel, own);
    };
    ThreadBody body{[](void *c) { (*static_cast<decltype(call) *>(c))(); },
                    &call};
    std::string error = runGrid(name, {grid.x, grid.y, grid.z},
                                {block.x, block.y, block.z}, smem, body);
    return error.empty() ? cudaSuccess : launchFailed(error);
  });
}

} // namespace nfrt::simt

#endif // NFRT_SIMT_SIMTRUNTIME_H
