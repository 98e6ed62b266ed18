//===- Runtime.cpp - the CUDA runtime API on host memory ------------------===//
#include "nfrt/simt/Simt.h"

#include <chrono>
#include <cstdlib>
#include <vector>

struct CUstream_st {
  /// The graph being captured, or null.
  CUgraph_st *capture = nullptr;
};
struct CUgraph_st {
  std::vector<nfrt::simt::Work> work;
};
struct CUevent_st {
  std::chrono::steady_clock::time_point at;
};

namespace {
thread_local cudaError_t tLastError = cudaSuccess;
thread_local std::string tLastMessage;
thread_local uint64_t tLaunches = 0;

cudaError_t record(cudaError_t e) {
  if (e != cudaSuccess && tLastError == cudaSuccess)
    tLastError = e;
  return e;
}
} // namespace

namespace nfrt::simt {

cudaError_t launchFailed(const std::string &message) {
  tLastMessage = message;
  return record(cudaErrorLaunchFailure);
}

uint64_t launchCount() { return tLaunches; }

cudaError_t submit(cudaStream_t stream, Work work) {
  if (stream && stream->capture) {
    stream->capture->work.push_back(std::move(work));
    return cudaSuccess;
  }
  ++tLaunches;
  return record(work());
}

} // namespace nfrt::simt

const char *cudaGetErrorString(cudaError_t error) {
  switch (error) {
  case cudaSuccess:
    return "no error";
  case cudaErrorInvalidValue:
    return "invalid argument";
  case cudaErrorMemoryAllocation:
    return "out of memory";
  case cudaErrorInvalidConfiguration:
    return "invalid configuration argument";
  case cudaErrorStreamCaptureInvalidated:
    return "operation not permitted when stream is capturing";
  case cudaErrorLaunchFailure:
    // The harness knows why: the last failed launch's message.
    return tLastMessage.empty() ? "unspecified launch failure"
                                : tLastMessage.c_str();
  }
  return "unknown error";
}

cudaError_t cudaGetLastError() {
  cudaError_t e = tLastError;
  tLastError = cudaSuccess;
  return e;
}
cudaError_t cudaPeekAtLastError() { return tLastError; }

cudaError_t cudaGetDeviceCount(int *count) {
  *count = 1;
  return cudaSuccess;
}
cudaError_t cudaSetDevice(int device) {
  return device == 0 ? cudaSuccess : record(cudaErrorInvalidValue);
}
cudaError_t cudaGetDevice(int *device) {
  *device = 0;
  return cudaSuccess;
}
cudaError_t cudaGetDeviceProperties(cudaDeviceProp *prop, int) {
  std::snprintf(prop->name, sizeof prop->name, "NormFuse SIMT harness");
  prop->multiProcessorCount = 132; // as an H100 SXM, for launch sizing
  prop->major = 9;
  prop->minor = 0;
  prop->totalGlobalMem = size_t(1) << 34;
  return cudaSuccess;
}
cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }

cudaError_t cudaMalloc(void **ptr, size_t bytes) {
  // 256-byte aligned, as cudaMalloc guarantees.
  *ptr =
      std::aligned_alloc(256, (std::max<size_t>(bytes, 1) + 255) / 256 * 256);
  return *ptr ? cudaSuccess : record(cudaErrorMemoryAllocation);
}
cudaError_t cudaFree(void *ptr) {
  std::free(ptr);
  return cudaSuccess;
}
cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes,
                       cudaMemcpyKind) {
  std::memmove(dst, src, bytes);
  return cudaSuccess;
}
cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t bytes,
                            cudaMemcpyKind, cudaStream_t stream) {
  return nfrt::simt::submit(stream, [=] {
    std::memmove(dst, src, bytes);
    return cudaSuccess;
  });
}
cudaError_t cudaMemset(void *ptr, int value, size_t bytes) {
  std::memset(ptr, value, bytes);
  return cudaSuccess;
}
cudaError_t cudaMemsetAsync(void *ptr, int value, size_t bytes,
                            cudaStream_t stream) {
  return nfrt::simt::submit(stream, [=] {
    std::memset(ptr, value, bytes);
    return cudaSuccess;
  });
}

cudaError_t cudaStreamCreate(cudaStream_t *stream) {
  *stream = new CUstream_st;
  return cudaSuccess;
}
cudaError_t cudaStreamCreateWithFlags(cudaStream_t *stream, unsigned) {
  return cudaStreamCreate(stream);
}
cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  delete stream;
  return cudaSuccess;
}
cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  if (stream && stream->capture)
    return record(cudaErrorStreamCaptureInvalidated);
  return cudaSuccess;
}
cudaError_t cudaStreamWaitEvent(cudaStream_t, cudaEvent_t, unsigned) {
  return cudaSuccess; // streams run in order on the host already
}
cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode) {
  if (!stream || stream->capture)
    return record(cudaErrorInvalidValue);
  stream->capture = new CUgraph_st;
  return cudaSuccess;
}
cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t *graph) {
  if (!stream || !stream->capture)
    return record(cudaErrorInvalidValue);
  *graph = stream->capture;
  stream->capture = nullptr;
  return cudaSuccess;
}
cudaError_t cudaGraphInstantiate(cudaGraphExec_t *exec, cudaGraph_t graph,
                                 unsigned long long) {
  *exec = new CUgraph_st(*graph);
  return cudaSuccess;
}
cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream) {
  // The recorded work in capture order; the first failure stops the graph.
  for (nfrt::simt::Work &w : exec->work)
    if (cudaError_t e = nfrt::simt::submit(stream, w); e != cudaSuccess)
      return e;
  return cudaSuccess;
}
cudaError_t cudaGraphDestroy(cudaGraph_t graph) {
  delete graph;
  return cudaSuccess;
}
cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec) {
  delete exec;
  return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t *event) {
  *event = new CUevent_st;
  return cudaSuccess;
}
cudaError_t cudaEventDestroy(cudaEvent_t event) {
  delete event;
  return cudaSuccess;
}
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  return nfrt::simt::submit(stream, [=] {
    event->at = std::chrono::steady_clock::now();
    return cudaSuccess;
  });
}
cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start,
                                 cudaEvent_t end) {
  *ms = std::chrono::duration<float, std::milli>(end->at - start->at).count();
  return cudaSuccess;
}
