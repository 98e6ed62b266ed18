//===- Runtime.cpp - the CUDA runtime API on host memory ------------------===//
#include "LaunchLimits.h"
#include "nfrt/simt/Simt.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

struct CUstream_st {
  /// The graph being captured, or null: begun here (the origin) or joined
  /// by waiting on an event recorded in a capturing stream (a fork).
  CUgraph_st *capture = nullptr;
  bool origin = false;
  /// Work items submitted, and how many of them a wait by another stream
  /// of the capture covers: a fork must be joined back before the end.
  uint64_t submitted = 0, joinedUpTo = 0;
};
struct CUgraph_st {
  std::vector<nfrt::simt::Work> work;
  std::vector<CUstream_st *> forks;
};
struct CUevent_st {
  std::chrono::steady_clock::time_point at;
  /// Where it was last recorded: the capture (if any), stream and position.
  CUgraph_st *capture = nullptr;
  CUstream_st *stream = nullptr;
  uint64_t seq = 0;
};

namespace {
thread_local cudaError_t tLastError = cudaSuccess;
thread_local std::string tLastMessage;
/// The last refused launch: its error and CUDA's text with the reason.
thread_local cudaError_t tRefusedError = cudaSuccess;
thread_local std::string tRefusedMessage;
thread_local uint64_t tLaunches = 0;

cudaError_t record(cudaError_t e) {
  if (e != cudaSuccess && tLastError == cudaSuccess)
    tLastError = e;
  if (e != cudaSuccess) // a later error is not the refused launch's
    tRefusedError = cudaSuccess;
  return e;
}
} // namespace

namespace nfrt::simt {

cudaError_t launchFailed(const std::string &message) {
  tLastMessage = message;
  return record(cudaErrorLaunchFailure);
}

cudaError_t launchRefused(cudaError_t error, const std::string &detail) {
  record(error); // clears tRefusedError: CUDA's own text just below
  tRefusedMessage = std::string(cudaGetErrorString(error)) + ": " + detail;
  tRefusedError = error;
  return error;
}

uint64_t launchCount() { return tLaunches; }

cudaError_t submit(cudaStream_t stream, Work work) {
  if (stream)
    ++stream->submitted;
  if (stream && stream->capture) {
    // One list for the origin and its forks, in submission order: the
    // host issues work in an order that respects every event, so running
    // it in that order is a valid schedule of the graph.
    stream->capture->work.push_back(std::move(work));
    return cudaSuccess;
  }
  ++tLaunches;
  return record(work());
}

} // namespace nfrt::simt

const char *cudaGetErrorString(cudaError_t error) {
  if (error == tRefusedError && error != cudaSuccess)
    return tRefusedMessage.c_str();
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
  case cudaErrorStreamCaptureUnjoined:
    return "capture unjoined: a stream forked into the capture has work the "
           "capturing stream never waited for";
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
  // The GPU whose launch limits apply (LaunchLimits.cpp).
  const nfrt::simt::EmulatedArch &arch = nfrt::simt::emulatedArch();
  prop->multiProcessorCount = arch.sms;
  prop->major = arch.cc / 10;
  prop->minor = arch.cc % 10;
  prop->totalGlobalMem = size_t(1) << 34;
  return cudaSuccess;
}
cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }

cudaError_t cudaMemGetInfo(size_t *free, size_t *total) {
  size_t bytes = 0;
  if (const char *forced = std::getenv("NFRT_SIMT_DEVICE_MEMORY_BYTES"))
    bytes = std::strtoull(forced, nullptr, 10);
  if (bytes == 0) {
    long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    bytes = pages > 0 && pageSize > 0 ? size_t(pages) * size_t(pageSize) : 0;
  }
  *free = *total = bytes;
  return cudaSuccess;
}

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
cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event,
                                unsigned) {
  if (!stream || !event)
    return record(cudaErrorInvalidValue);
  // Outside a capture, streams run in order on the host already.
  if (!event->capture)
    return cudaSuccess;
  if (!stream->capture) { // the fork: this stream joins the capture
    stream->capture = event->capture;
    stream->origin = false;
    stream->joinedUpTo = stream->submitted;
    event->capture->forks.push_back(stream);
  } else if (stream->capture != event->capture) {
    return record(cudaErrorInvalidValue);
  }
  if (event->stream && event->stream != stream)
    event->stream->joinedUpTo = std::max(event->stream->joinedUpTo, event->seq);
  return cudaSuccess;
}
cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode) {
  if (!stream || stream->capture)
    return record(cudaErrorInvalidValue);
  stream->capture = new CUgraph_st;
  stream->origin = true;
  return cudaSuccess;
}
cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t *graph) {
  if (!stream || !stream->capture || !stream->origin)
    return record(cudaErrorInvalidValue);
  CUgraph_st *g = stream->capture;
  bool unjoined = false;
  for (CUstream_st *fork : g->forks) {
    unjoined |= fork->joinedUpTo < fork->submitted;
    fork->capture = nullptr;
  }
  g->forks.clear();
  stream->capture = nullptr;
  stream->origin = false;
  if (unjoined) {
    delete g;
    return record(cudaErrorStreamCaptureUnjoined);
  }
  *graph = g;
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
cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned) {
  return cudaEventCreate(event);
}
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  cudaError_t e = nfrt::simt::submit(stream, [=] {
    event->at = std::chrono::steady_clock::now();
    return cudaSuccess;
  });
  event->capture = stream ? stream->capture : nullptr;
  event->stream = stream;
  event->seq = stream ? stream->submitted : 0;
  return e;
}
cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start,
                                 cudaEvent_t end) {
  *ms = std::chrono::duration<float, std::milli>(end->at - start->at).count();
  return cudaSuccess;
}
