//===- Fiber.cpp - fiber stacks and the context switch --------------------===//
//
// Context switches: on x86-64 a hand-written switch that saves the
// callee-saved registers (ucontext's swapcontext makes a signal-mask
// system call on every switch, ~50x slower, and a train step switches
// millions of times); elsewhere ucontext. Under AddressSanitizer every
// switch is announced (start/finish_switch_fiber); in the race-check build
// ThreadSanitizer is told right before each (RaceCheck.h).
//
//===----------------------------------------------------------------------===//
#include "Fiber.h"
#include "RaceCheck.h"
#include "nfrt/Sanitizers.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#if NFRT_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if NFRT_ASAN
// ASan's use-after-return check gives every fiber a fake stack of its own,
// mapped when the fiber first calls and unmapped when it ends: a launch
// runs thousands of fibers, and the harness spent nearly all its time in
// mmap and madvise. Every other ASan check stays on in programs that link
// the harness.
extern "C" const char *__asan_default_options() {
  return "detect_stack_use_after_return=0";
}
#endif

#if defined(__x86_64__)
// nf_simt_switch(save, to): pushes the callee-saved registers, stores the
// stack pointer in *save, loads `to` and pops the same frame there (System
// V ABI: everything else is caller-saved). The MXCSR and x87 control words
// are not switched: kernels never change the floating-point environment,
// and saving them (fnstcw) was two thirds of the switch's time.
extern "C" void nf_simt_switch(void **save, void *to);
asm(R"(
  .text
  .globl nf_simt_switch
  .hidden nf_simt_switch
  .type nf_simt_switch,@function
nf_simt_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size nf_simt_switch,.-nf_simt_switch
)");
#endif

namespace nfrt::simt {
namespace {

constexpr size_t kGuardBytes = 4096;

/// Fiber stacks, reused across launches (each with a guard page below).
thread_local std::vector<char *> tStacks;

// ASan's fiber protocol, no-ops without ASan: announce the stack about to
// run (saving the leaving one's state in *fakeStack, or dropping it when
// null), then confirm the arrival on it.
void asanStartSwitch(void **fakeStack, const void *stack, size_t bytes) {
#if NFRT_ASAN
  __sanitizer_start_switch_fiber(fakeStack, stack, bytes);
#else
  (void)fakeStack, (void)stack, (void)bytes;
#endif
}
void asanFinishSwitch(void *fakeStack, const void **oldStack = nullptr,
                      size_t *oldBytes = nullptr) {
#if NFRT_ASAN
  __sanitizer_finish_switch_fiber(fakeStack, oldStack, oldBytes);
#else
  (void)fakeStack, (void)oldStack, (void)oldBytes;
#endif
}

} // namespace

char *fiberStack(size_t i) {
  while (tStacks.size() <= i) {
    void *p =
        mmap(nullptr, kFiberStackBytes + kGuardBytes, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
      std::fprintf(stderr, "simt: error: cannot map a fiber stack\n");
      std::abort();
    }
    mprotect(p, kGuardBytes, PROT_NONE); // overflow faults, not corrupts
    tStacks.push_back(static_cast<char *>(p) + kGuardBytes);
  }
  return tStacks[i];
}

void unmapFiberStacks() {
  for (char *s : tStacks)
    munmap(s - kGuardBytes, kFiberStackBytes + kGuardBytes);
  tStacks.clear();
}

void unpoisonFiberStack(char *stack, size_t bytes) {
#if NFRT_ASAN
  __asan_unpoison_memory_region(stack + kFiberStackBytes - bytes, bytes);
#else
  (void)stack, (void)bytes;
#endif
}

void initFiber(FiberContext &f, void (*entry)()) {
  // A finished fiber leaves only its entry frame at the top of its stack;
  // clearing the whole stack per fiber (mmap and madvise in ASan's
  // runtime) made sanitized kernels 50x slower. A failed launch clears
  // whole stacks (the scheduler).
  unpoisonFiberStack(f.stack, 4096);
#if defined(__x86_64__)
  // The frame nf_simt_switch pops: r15..r12, rbx, rbp, then the return
  // address (entry) and a dummy one above it, so that entry starts with
  // the stack aligned as after a call.
  auto *top = reinterpret_cast<uint64_t *>(f.stack + kFiberStackBytes);
  uint64_t *sp = top;
  *--sp = 0;
  *--sp = reinterpret_cast<uint64_t>(entry);
  for (int i = 0; i < 6; ++i)
    *--sp = 0;
  f.sp = sp;
#else
  getcontext(&f.ctx);
  f.ctx.uc_stack.ss_sp = f.stack;
  f.ctx.uc_stack.ss_size = kFiberStackBytes;
  f.ctx.uc_link = nullptr;
  makecontext(&f.ctx, entry, 0);
#endif
}

void arriveOnFiber(HostContext &host) {
  // The first arrival on a fiber learns the host's own stack (ASan).
  asanFinishSwitch(nullptr, &host.stack, &host.stackBytes);
}

void enterFiber(HostContext &host, FiberContext &f, bool synchronize) {
  asanStartSwitch(&host.asanFakeStack, f.stack, kFiberStackBytes);
  race::switchTo(f.tsan, synchronize);
#if defined(__x86_64__)
  nf_simt_switch(&host.sp, f.sp);
#else
  swapcontext(&host.ctx, &f.ctx);
#endif
  asanFinishSwitch(host.asanFakeStack);
}

void leaveFiber(HostContext &host, FiberContext &f, bool finished) {
  asanStartSwitch(finished ? nullptr : &f.asanFakeStack, host.stack,
                  host.stackBytes);
  race::switchTo(host.tsan, /*synchronize=*/false);
#if defined(__x86_64__)
  nf_simt_switch(&f.sp, host.sp);
#else
  swapcontext(&f.ctx, &host.ctx);
#endif
  asanFinishSwitch(f.asanFakeStack);
}

void joinAbandonedFiber(HostContext &host, FiberContext &f, int ignores) {
  // Two synchronizing switches of ThreadSanitizer's context only (this
  // code keeps running on the host's stack, and touches no memory between
  // them): the fiber's accesses then precede the host's next ones. Its
  // context may only be dropped with no ignore scope open.
  race::switchTo(f.tsan, /*synchronize=*/true);
  for (int i = 0; i < ignores; ++i)
    race::ignoreEnd();
  race::switchTo(host.tsan, /*synchronize=*/true);
}

} // namespace nfrt::simt
