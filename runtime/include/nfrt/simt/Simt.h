//===- Simt.h - compile CUDA sources with the host compiler -----*- C++ -*-===//
//
// The SIMT harness (docs/design.md#simt-harness): included instead of the CUDA
// headers when a .cu file is compiled by g++/clang++ (nfrt/cuda/Platform.cuh
// does so). Kernel qualifiers become nothing, the built-in thread coordinates
// are per-OS-thread variables that the fiber scheduler sets on every switch,
// __shared__ variables are function statics (one block runs at a time on
// an OS thread) that the scheduler poisons before every block, as CUDA's
// shared memory is uninitialised, barriers and warp shuffles go to the
// scheduler with their call site (nfrt/simt/Scheduler.h),
// and the runtime, cuBLAS and NCCL entry points the generated code uses are
// served on the host (nfrt/simt/SimtRuntime.h, SimtBlas.h, SimtNccl.h).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_SIMT_H
#define NFRT_SIMT_SIMT_H

#ifdef __CUDACC__
#error "nfrt/simt/Simt.h is the host harness; nvcc uses the CUDA headers"
#endif

#include "nfrt/simt/Scheduler.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <math.h>
#include <type_traits>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__
#define __launch_bounds__(...)
#define __constant__
#define __restrict__ __restrict
// One block runs at a time on an OS thread and all its fibers share the
// thread: a function-static per OS thread is exactly one block's copy. The
// ABI tag marks the variable's symbol (..B14nf_simt_shared), which is how
// the scheduler finds every __shared__ variable to poison it at each block
// start (runtime/simt/SharedStatics.cpp): `__shared__ float buf[N];` stays
// the CUDA spelling, and g++ ignores section attributes on the statics of
// templates, so a section could not collect them.
#define __shared__                                                             \
  static thread_local __attribute__((abi_tag("nf_simt_shared")))

struct uint3 {
  unsigned x, y, z;
};
struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned x = 1, unsigned y = 1, unsigned z = 1)
      : x(x), y(y), z(z) {}
};

struct float2 {
  float x, y;
};
inline float2 make_float2(float x, float y) { return {x, y}; }

// The built-in coordinates: set by the scheduler before it resumes a fiber.
inline thread_local uint3 threadIdx{0, 0, 0};
inline thread_local uint3 blockIdx{0, 0, 0};
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;
constexpr int warpSize = 32;

// Barriers take their caller's file and line (default arguments, evaluated
// at the call): the scheduler checks that one barrier's threads all came
// from the same call site.
inline void __syncthreads(const char *file = __builtin_FILE(),
                          int line = __builtin_LINE()) {
  nfrt::simt::syncThreads({file, line});
}
inline void __syncwarp(unsigned mask = 0xffffffffu,
                       const char *file = __builtin_FILE(),
                       int line = __builtin_LINE()) {
  nfrt::simt::syncWarp(mask, {file, line});
}
// Fibers of a block share one OS thread: memory is coherent already.
inline void __threadfence() {}
inline void __threadfence_block() {}

namespace nfrt::simt {
template <class T>
T exchangeValue(unsigned mask, T v, int srcLane, const char *file, int line) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>,
                "warp shuffles move at most 8 bytes");
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  bits = warpExchange(mask, bits, srcLane, {file, line});
  T out;
  std::memcpy(&out, &bits, sizeof(T));
  return out;
}
} // namespace nfrt::simt

// Shuffles within segments of `width` lanes (a power of two <= 32), with
// CUDA's rules: a source outside the segment yields the caller's own value.
// Each takes its caller's site, as the barriers above.
template <class T>
T __shfl_sync(unsigned mask, T v, int srcLane, int width = warpSize,
              const char *file = __builtin_FILE(),
              int line = __builtin_LINE()) {
  int lane = nfrt::simt::laneId();
  int base = lane & ~(width - 1);
  return nfrt::simt::exchangeValue(mask, v, base + (srcLane & (width - 1)),
                                   file, line);
}
template <class T>
T __shfl_xor_sync(unsigned mask, T v, int laneMask, int width = warpSize,
                  const char *file = __builtin_FILE(),
                  int line = __builtin_LINE()) {
  int lane = nfrt::simt::laneId();
  int src = lane ^ laneMask;
  if ((src & ~(width - 1)) != (lane & ~(width - 1)))
    src = lane;
  return nfrt::simt::exchangeValue(mask, v, src, file, line);
}
template <class T>
T __shfl_down_sync(unsigned mask, T v, unsigned delta, int width = warpSize,
                   const char *file = __builtin_FILE(),
                   int line = __builtin_LINE()) {
  int lane = nfrt::simt::laneId();
  int src =
      (lane & (width - 1)) + int(delta) < width ? lane + int(delta) : lane;
  return nfrt::simt::exchangeValue(mask, v, src, file, line);
}
template <class T>
T __shfl_up_sync(unsigned mask, T v, unsigned delta, int width = warpSize,
                 const char *file = __builtin_FILE(),
                 int line = __builtin_LINE()) {
  int lane = nfrt::simt::laneId();
  int src = (lane & (width - 1)) >= int(delta) ? lane - int(delta) : lane;
  return nfrt::simt::exchangeValue(mask, v, src, file, line);
}
/// Bit i: lane i's predicate (every lane's value gathered by 32 exchanges
/// would cost 32 barriers; one exchange of the running OR per step of a
/// butterfly costs 5).
inline unsigned __ballot_sync(unsigned mask, int predicate,
                              const char *file = __builtin_FILE(),
                              int line = __builtin_LINE()) {
  unsigned bits = predicate ? 1u << nfrt::simt::laneId() : 0u;
  for (int m = 1; m < warpSize; m <<= 1)
    bits |= __shfl_xor_sync(mask, bits, m, warpSize, file, line);
  return bits & nfrt::simt::warpMemberMask();
}
inline int __any_sync(unsigned mask, int p, const char *file = __builtin_FILE(),
                      int line = __builtin_LINE()) {
  return __ballot_sync(mask, p, file, line) != 0;
}
inline int __all_sync(unsigned mask, int p, const char *file = __builtin_FILE(),
                      int line = __builtin_LINE()) {
  return __ballot_sync(mask, p, file, line) == nfrt::simt::warpMemberMask();
}

// Atomics: blocks run one at a time per OS thread, but ranks (NCCL) and
// several host threads may launch at once, so these are real atomics.
template <class T> T nfAtomicRmw(T *address, T (*op)(T, T), T val) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  static_assert(sizeof(T) == sizeof(Bits), "4- or 8-byte atomics only");
  Bits *p = reinterpret_cast<Bits *>(address);
  Bits old = __atomic_load_n(p, __ATOMIC_RELAXED), next;
  T oldValue;
  do {
    std::memcpy(&oldValue, &old, sizeof(T));
    T nv = op(oldValue, val);
    std::memcpy(&next, &nv, sizeof(T));
  } while (!__atomic_compare_exchange_n(p, &old, next, true, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED));
  return oldValue;
}
template <class T> T atomicAdd(T *address, T val) {
  return nfAtomicRmw<T>(
      address, [](T a, T b) { return T(a + b); }, val);
}
template <class T> T atomicMax(T *address, T val) {
  return nfAtomicRmw<T>(
      address, [](T a, T b) { return a < b ? b : a; }, val);
}
template <class T> T atomicExch(T *address, T val) {
  return nfAtomicRmw<T>(
      address, [](T, T b) { return b; }, val);
}

// Device math that the C library lacks.
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __saturatef(float x) { return x < 0.f ? 0.f : x > 1.f ? 1.f : x; }
template <class T> T __ldg(const T *p) { return *p; }

/// Emulated device-side trap: fails the launch.
inline void __trap() { nfrt::simt::fail("__trap() called"); }

#include "nfrt/simt/SimtBf16.h"
#include "nfrt/simt/SimtRuntime.h"

#endif // NFRT_SIMT_SIMT_H
