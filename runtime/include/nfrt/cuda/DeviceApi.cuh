//===- DeviceApi.cuh - the device table of a CUDA-target model --*- CUDA
//-*-===//
//
// nfrt/Device.h for the generated .cu: the CUDA runtime and NCCL under
// nvcc, the SIMT harness's stand-ins under the host compiler (the same
// source). Copies go through the model's stream (context().stream), which
// is non-blocking: a plain cudaMemcpy on the legacy stream would not wait
// for the step.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_DEVICEAPI_CUH
#define NFRT_CUDA_DEVICEAPI_CUH

#include "nfrt/Device.h"
#include "nfrt/cuda/Platform.cuh"

#include <cstring>

namespace nfrt::cuda {

/// flag[0] = 1 when any x[i] is NaN or infinite (v - v is NaN exactly
/// then; the same test under nvcc and the host compiler). Every thread
/// that finds one writes the same 1: no atomics, no reduction.
__global__ void flagNonFinite(const float *x, int64_t n, int *flag) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += int64_t(gridDim.x) * blockDim.x)
    if (!(x[i] - x[i] == 0.f))
      *flag = 1;
}

namespace device {

inline int count(const char **why) {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    (void)cudaGetLastError(); // not sticky: clear it
    *why = cudaGetErrorString(e);
    return 0;
  }
  if (n == 0)
    *why = "no CUDA device is visible (CUDA_VISIBLE_DEVICES?)";
  return n;
}

inline void select(int ordinal, char *name, size_t nameBytes) {
  NF_CUDA_CHECK(cudaSetDevice(ordinal));
  cudaDeviceProp prop;
  NF_CUDA_CHECK(cudaGetDeviceProperties(&prop, ordinal));
  std::snprintf(name, nameBytes, "%s", prop.name);
}

inline void *alloc(size_t bytes) {
  void *p = nullptr;
  NF_CUDA_CHECK(cudaMalloc(&p, bytes ? bytes : 1));
  NF_CUDA_CHECK(cudaMemsetAsync(p, 0, bytes, context().stream));
  return p;
}

inline void release(void *p) { NF_CUDA_CHECK(cudaFree(p)); }

inline void toDevice(void *dst, const void *src, size_t bytes) {
  NF_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice,
                                context().stream));
  // The host buffer may change as soon as this returns.
  NF_CUDA_CHECK(cudaStreamSynchronize(context().stream));
}

inline void toHost(void *dst, const void *src, size_t bytes) {
  NF_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost,
                                context().stream));
  NF_CUDA_CHECK(cudaStreamSynchronize(context().stream));
}

inline void deviceCopy(void *dst, const void *src, size_t bytes) {
  NF_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice,
                                context().stream));
}

/// A few device bytes for this thread's small results, freed with it.
struct Scratch {
  explicit Scratch(size_t bytes) : p(alloc(bytes)) {}
  ~Scratch() { (void)cudaFree(p); }
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;
  void *p;
};

inline bool anyNonFinite(const float *x, int64_t n) {
  static thread_local Scratch scratch(sizeof(int));
  int *flag = static_cast<int *>(scratch.p);
  NF_CUDA_CHECK(cudaMemsetAsync(flag, 0, sizeof(int), context().stream));
  NF_LAUNCH(flagNonFinite, dim3(strideBlocks(n)), dim3(256), 0,
            context().stream, x, n, flag);
  int host = 0;
  toHost(&host, flag, sizeof(int));
  return host != 0;
}

inline void groupId(char id[kGroupIdBytes]) {
  static_assert(sizeof(ncclUniqueId) == kGroupIdBytes, "NCCL id size");
  ncclUniqueId u;
  NF_NCCL_CHECK(ncclGetUniqueId(&u));
  std::memcpy(id, &u, kGroupIdBytes);
}

inline void joinGroup(int rank, int world, const char id[kGroupIdBytes]) {
  ncclUniqueId u;
  std::memcpy(&u, id, kGroupIdBytes);
  initComm(rank, world, u);
}

/// max over ranks of {v, ~v}: the group agrees when max(v) == min(v).
inline bool allEqual(uint64_t value) {
  Context &c = context();
  if (!c.comm)
    return true;
  static thread_local Scratch scratch(2 * sizeof(uint64_t));
  auto *buf = static_cast<uint64_t *>(scratch.p);
  uint64_t host[2] = {value, ~value};
  toDevice(buf, host, sizeof host);
  NF_NCCL_CHECK(
      ncclAllReduce(buf, buf, 2, ncclUint64, ncclMax, c.comm, c.stream));
  toHost(host, buf, sizeof host);
  return host[0] == ~host[1];
}

inline void memory(uint64_t *freeBytes, uint64_t *totalBytes) {
  size_t free = 0, total = 0;
  NF_CUDA_CHECK(cudaMemGetInfo(&free, &total));
  *freeBytes = free;
  *totalBytes = total;
}

} // namespace device

inline const DeviceApi kDeviceApi = {
#ifdef __CUDACC__
    "cuda",
#else
    "simt",
#endif
    device::count,
    device::select,
    device::alloc,
    device::release,
    device::toDevice,
    device::toHost,
    device::deviceCopy,
    device::anyNonFinite,
    device::groupId,
    device::joinGroup,
    device::allEqual,
    device::memory,
};

} // namespace nfrt::cuda

#endif // NFRT_CUDA_DEVICEAPI_CUH
