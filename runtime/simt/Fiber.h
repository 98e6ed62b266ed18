//===- Fiber.h - a CUDA thread's stack and context switch -------*- C++ -*-===//
//
// Internal to the harness: the mechanics under the scheduler. A fiber runs
// on a stack of its own and switches only to the OS thread's own context
// (the host: the scheduler loop) and back. Every switch is announced to
// AddressSanitizer (which otherwise takes a fiber's stack for a corrupted
// one) and, in the race-check build, to ThreadSanitizer (RaceCheck.h).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_FIBER_H
#define NFRT_SIMT_FIBER_H

#include <cstddef>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

namespace nfrt::simt {

constexpr size_t kFiberStackBytes = 128 * 1024;

/// A fiber's saved context and stack.
struct FiberContext {
#if defined(__x86_64__)
  void *sp = nullptr;
#else
  ucontext_t ctx;
#endif
  char *stack = nullptr;
  void *asanFakeStack = nullptr; // ASan's bookkeeping while switched out
  void *tsan = nullptr;          // the race check's context for the fiber
};

/// The OS thread's own context, that fibers switch back to.
struct HostContext {
#if defined(__x86_64__)
  void *sp = nullptr;
#else
  ucontext_t ctx;
#endif
  // The OS thread's own stack, learnt when the first fiber starts (ASan).
  const void *stack = nullptr;
  size_t stackBytes = 0;
  void *asanFakeStack = nullptr;
  void *tsan = nullptr;
};

/// The calling OS thread's i-th fiber stack (mapped on first use, with a
/// guard page below; kept for later launches).
char *fiberStack(size_t i);
/// Unmaps the calling OS thread's fiber stacks: the race check's way to
/// forget what fibers that never finished wrote there.
void unmapFiberStacks();
/// Under ASan, clears the poisoned redzones that frames which never
/// returned left on the top `bytes` of a stack (no-op otherwise).
void unpoisonFiberStack(char *stack, size_t bytes);

/// Prepares `f` (its stack set) to start at `entry` when first entered.
void initFiber(FiberContext &f, void (*entry)());
/// The first thing `entry` does on its new stack.
void arriveOnFiber(HostContext &host);
/// Runs `f` until it switches back; `synchronize`: its start follows
/// everything the host did before (ThreadSanitizer; a thread's start).
void enterFiber(HostContext &host, FiberContext &f, bool synchronize);
/// Switches from the running fiber `f` back to the host; `finished`: `f`
/// never runs again.
void leaveFiber(HostContext &host, FiberContext &f, bool finished);
/// For a fiber that will never finish, in the race check: switches
/// ThreadSanitizer's context to it and back, synchronizing, without
/// running it, so that what it did precedes the host's next accesses, and
/// ends the `ignores` ignore scopes it was left in.
void joinAbandonedFiber(HostContext &host, FiberContext &f, int ignores);

} // namespace nfrt::simt

#endif // NFRT_SIMT_FIBER_H
