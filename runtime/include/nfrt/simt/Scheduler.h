//===- Scheduler.h - the SIMT harness's fiber scheduler ---------*- C++ -*-===//
//
// A kernel launch runs its blocks one after another; the threads of one
// block are fibers on one OS thread. Each fiber is running, waiting at the
// block barrier (__syncthreads), waiting at its warp's barrier (every warp
// shuffle and __syncwarp is one), or done. A barrier releases only when all
// its members arrived; when no fiber can run and some are not done, the
// launch fails with a deadlock message naming who waits where.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_SCHEDULER_H
#define NFRT_SIMT_SCHEDULER_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace nfrt::simt {

struct Extent {
  unsigned x, y, z;
};

/// A type-erased reference to the per-thread kernel body.
struct ThreadBody {
  void (*fn)(void *);
  void *arg;
};

/// Runs `body` once per thread of every block; returns "" or the reason the
/// launch failed (deadlock, bad configuration). Sets threadIdx, blockIdx,
/// blockDim and gridDim for each fiber.
std::string runGrid(const char *kernel, Extent grid, Extent block,
                    size_t dynamicSmem, ThreadBody body);

/// The block barrier: returns once every thread of the block arrived.
void syncThreads();
/// The warp barrier for the calling thread's warp; `mask` must name every
/// thread of the warp (partial-warp masks are reported as an error).
void syncWarp(unsigned mask);
/// Writes `bits` for the calling lane, waits at the warp barrier and
/// returns the bits lane `srcLane` wrote (its own if there is none).
uint64_t warpExchange(unsigned mask, uint64_t bits, int srcLane);
/// The most 32-bit words one lane may contribute to a warpGather.
constexpr int kWarpGatherWords = 16;
/// Writes `words` 32-bit words of `mine` for the calling lane, waits at the
/// warp barrier and copies every lane's words to `all` (lane-major: lane l's
/// word i at all[l * words + i]; absent lanes give zeros). One barrier for
/// a warp-wide operation that reads all lanes' registers (the emulated
/// tensor-core mma, nfrt/cuda/Mma.cuh).
void warpGather(unsigned mask, const uint32_t *mine, int words,
                uint32_t *all);
/// The lane of the calling thread within its warp.
int laneId();
/// Bit i set: lane i of the calling warp exists.
unsigned warpMemberMask();
/// The block's dynamic shared memory (the launch's smem bytes).
void *dynamicSharedMemory();
/// Fails the running launch with `message` (e.g. an emulated trap).
/// The message is taken by value and moved out: the fiber's frame is never
/// unwound, so anything it still owned would leak.
[[noreturn]] void fail(std::string message);

} // namespace nfrt::simt

#endif // NFRT_SIMT_SCHEDULER_H
