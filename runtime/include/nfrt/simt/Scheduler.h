//===- Scheduler.h - the SIMT harness's fiber scheduler ---------*- C++ -*-===//
//
// A kernel launch runs its blocks one after another; the threads of one
// block are fibers on one OS thread. Each fiber is running, waiting at the
// block barrier (__syncthreads), waiting at its warp's barrier (every warp
// shuffle and __syncwarp is one), or done. A barrier releases only when all
// its members arrived; when no fiber can run and some are not done, the
// launch fails with a deadlock message naming who waits where.
//
// The harness also checks what a GPU would only show by chance
// (docs/cuda.md, "How it is tested without a GPU"): shared memory is
// poisoned at every block start, the threads of one barrier must arrive
// from one call site (synccheck), NFRT_SIMT_SEED shuffles the block and
// thread order, and a build with NFRT_SIMT_RACECHECK reports data races
// through ThreadSanitizer.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_SCHEDULER_H
#define NFRT_SIMT_SCHEDULER_H

#include <cstddef>
#include <cstdint>
#include <optional>
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
/// launch failed (deadlock, divergent barrier, data race, bad
/// configuration). Sets threadIdx, blockIdx, blockDim and gridDim for each
/// fiber. The launch limits of the GPU are checked before, by
/// checkLaunch (SimtRuntime.h).
std::string runGrid(const char *kernel, Extent grid, Extent block,
                    size_t dynamicSmem, ThreadBody body);

/// Where a barrier was called from: every thread of one barrier must
/// arrive from the same call site (CUDA leaves divergent barriers
/// undefined). Filled by default arguments (__builtin_FILE/LINE, which
/// g++ and clang evaluate at the caller) in Simt.h.
struct Site {
  const char *file;
  int line;
};

/// The block barrier: returns once every thread of the block arrived.
void syncThreads(Site site);
/// The warp barrier for the calling thread's warp; `mask` must name every
/// thread of the warp (partial-warp masks are reported as an error).
void syncWarp(unsigned mask, Site site);
/// Writes `bits` for the calling lane, waits at the warp barrier and
/// returns the bits lane `srcLane` wrote (its own if there is none).
uint64_t warpExchange(unsigned mask, uint64_t bits, int srcLane, Site site);
/// The most 32-bit words one lane may contribute to a warpGather.
constexpr int kWarpGatherWords = 16;
/// Writes `words` 32-bit words of `mine` for the calling lane, waits at the
/// warp barrier and copies every lane's words to `all` (lane-major: lane l's
/// word i at all[l * words + i]; absent lanes give zeros). One barrier for
/// a warp-wide operation that reads all lanes' registers (the emulated
/// tensor-core mma, nfrt/cuda/Mma.cuh).
void warpGather(unsigned mask, const uint32_t *mine, int words, uint32_t *all,
                const char *file = __builtin_FILE(),
                int line = __builtin_LINE());
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

/// Orders blocks and runnable threads by `seed` (a deterministic shuffle per
/// launch) from the calling thread's next launch on, or restores the
/// default order (blocks by index, threads first in, first out) for
/// nullopt. NFRT_SIMT_SEED=<integer> sets it for the whole process.
void setScheduleSeed(std::optional<uint64_t> seed);

} // namespace nfrt::simt

#endif // NFRT_SIMT_SCHEDULER_H
