//===- Device.h - what the training main needs of a device -------*- C++
//-*-===//
//
// A model built for a device (nfc build --target=cuda) takes device
// pointers in its step functions (ModelInfo::deviceBuffers). The training
// main is plain C++ compiled once for every target, so it reaches the
// device only through this table, which the generated model provides
// (nfrt/cuda/DeviceApi.cuh: the CUDA runtime and NCCL under nvcc, the SIMT
// harness under the host compiler). Every call that fails prints the call
// and why, and exits: the main never sees a device error code.
//
// Copies and kernels run in order on the model's stream; toHost and
// anyNonFinite wait for what was queued before them.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_DEVICE_H
#define NFRT_DEVICE_H

#include <cstddef>
#include <cstdint>

namespace nfrt {

/// The size of an NCCL unique id (ncclUniqueId).
constexpr size_t kGroupIdBytes = 128;

struct DeviceApi {
  /// "cuda" (compiled by nvcc) or "simt" (the host harness).
  const char *platform;
  /// How many devices this process can use; 0 with *why set (the driver's
  /// reason) when it can use none.
  int (*deviceCount)(const char **why);
  /// Binds the calling thread to device `ordinal`; writes its name.
  void (*select)(int ordinal, char *name, size_t nameBytes);
  /// `bytes` of zeroed device memory (64-byte aligned).
  void *(*alloc)(size_t bytes);
  void (*release)(void *device);
  void (*toDevice)(void *device, const void *host, size_t bytes);
  /// Waits for the queued work, then copies.
  void (*toHost)(void *host, const void *device, size_t bytes);
  void (*deviceCopy)(void *dst, const void *src, size_t bytes);
  /// Whether any of the n floats is NaN or infinite (waits for the result).
  bool (*anyNonFinite)(const float *device, int64_t n);
  /// A new data-parallel group's id (rank 0 makes it; the others get it
  /// from the launcher: MPI or a file).
  void (*groupId)(char id[kGroupIdBytes]);
  /// Joins group `id` as `rank` of `world`: the step's all-reduce
  /// (ncclAllReduce) then averages gradients and loss over the group.
  void (*joinGroup)(int rank, int world, const char id[kGroupIdBytes]);
  /// Whether every rank of the group passed the same value.
  bool (*allEqual)(uint64_t value);
  /// Free and total bytes of the selected device's memory (cudaMemGetInfo),
  /// for the check before the run allocates.
  void (*memory)(uint64_t *freeBytes, uint64_t *totalBytes);
};

} // namespace nfrt

#endif // NFRT_DEVICE_H
