//===- Scheduler.cpp - blocks of fibers with block and warp barriers ------===//
//
// One OS thread runs one block at a time: a fiber per CUDA thread, a FIFO
// of runnable fibers, and a barrier per block and per warp. A fiber that
// arrives at a barrier whose other members have not all arrived is parked;
// the last arrival makes every parked member runnable again and goes on.
// When the run queue is empty and fibers remain, the block deadlocked.
//
// Context switches: on x86-64 a hand-written switch that saves the
// callee-saved registers (ucontext's swapcontext
// makes a signal-mask system call on every switch, ~50x slower, and a
// train step switches millions of times); elsewhere ucontext. Under
// AddressSanitizer every switch is announced (start/finish_switch_fiber),
// or ASan takes a fiber's stack for a corrupted one.
//
//===----------------------------------------------------------------------===//
#include "nfrt/simt/Scheduler.h"
#include "nfrt/Sanitizers.h"
#include "nfrt/simt/Simt.h"

#include <sys/mman.h>

#include <cstdlib>
#include <deque>
#include <vector>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

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

namespace nfrt::simt {
namespace {

constexpr size_t kStackBytes = 128 * 1024;
constexpr size_t kGuardBytes = 4096;
constexpr int kWarp = 32;

enum class State { Ready, WaitBlock, WaitWarp, Done };

struct Fiber {
#if defined(__x86_64__)
  void *sp = nullptr;
#else
  ucontext_t ctx;
#endif
  char *stack = nullptr;
  void *asanFakeStack = nullptr; // ASan's bookkeeping while switched out
  State state = State::Ready;
  uint3 tid{0, 0, 0};
  int warp = 0, lane = 0;
};

struct Warp {
  int members = 0, arrived = 0;
  unsigned memberMask = 0;
  unsigned generation = 0;
  uint64_t slots[2][kWarp] = {};
  // warpGather's slots, by generation parity as `slots`.
  uint32_t gathered[2][kWarp][kWarpGatherWords] = {};
  std::vector<int> waiting;
};

/// The block an OS thread is running, with its fibers and barriers.
struct Block {
  std::vector<Fiber> fibers;
  std::vector<Warp> warps;
  std::vector<int> blockWaiting;
  int blockArrived = 0, done = 0, current = -1;
  std::deque<int> ready;
  std::vector<char> smem;
  ThreadBody body{};
  std::string error;
#if defined(__x86_64__)
  void *schedulerSp = nullptr;
#else
  ucontext_t schedulerCtx;
#endif
  // The OS thread's own stack, learnt when the first fiber starts (ASan).
  const void *schedulerStack = nullptr;
  size_t schedulerStackBytes = 0;
  void *schedulerFakeStack = nullptr;
};

thread_local Block *tBlock = nullptr;
/// Fiber stacks, reused across launches (each with a guard page below).
thread_local std::vector<char *> tStacks;

char *stackFor(size_t i) {
  while (tStacks.size() <= i) {
    void *p = mmap(nullptr, kStackBytes + kGuardBytes, PROT_READ | PROT_WRITE,
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

} // namespace
} // namespace nfrt::simt

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

/// `finished`: the fiber never runs again, so ASan may drop its state.
void toScheduler(Block *b, Fiber &f, bool finished = false) {
  asanStartSwitch(finished ? nullptr : &f.asanFakeStack, b->schedulerStack,
                  b->schedulerStackBytes);
#if defined(__x86_64__)
  nf_simt_switch(&f.sp, b->schedulerSp);
#else
  swapcontext(&f.ctx, &b->schedulerCtx);
#endif
  asanFinishSwitch(f.asanFakeStack);
}

void toFiber(Block *b, Fiber &f) {
  asanStartSwitch(&b->schedulerFakeStack, f.stack, kStackBytes);
#if defined(__x86_64__)
  nf_simt_switch(&b->schedulerSp, f.sp);
#else
  swapcontext(&b->schedulerCtx, &f.ctx);
#endif
  asanFinishSwitch(b->schedulerFakeStack);
}

[[noreturn]] void fiberEntry() {
  Block *b = tBlock;
  // The first arrival on a fiber learns the scheduler's own stack.
  asanFinishSwitch(nullptr, &b->schedulerStack, &b->schedulerStackBytes);
  b->body.fn(b->body.arg);
  Fiber &f = b->fibers[b->current];
  f.state = State::Done;
  ++b->done;
  toScheduler(b, f, /*finished=*/true);
  __builtin_trap(); // a finished fiber is never resumed
}

/// Under ASan, clears the poisoned redzones that frames which never
/// returned left on a stack (no-op otherwise).
void unpoisonStack(char *stack, size_t bytes) {
#if NFRT_ASAN
  __asan_unpoison_memory_region(stack + kStackBytes - bytes, bytes);
#else
  (void)stack, (void)bytes;
#endif
}

void initFiber(Fiber &f) {
  // A finished fiber leaves only fiberEntry's frame at the top of its
  // stack; clearing the whole stack per fiber (mmap and madvise in ASan's
  // runtime) made sanitized kernels 50x slower. A failed launch clears
  // whole stacks (runGrid).
  unpoisonStack(f.stack, 4096);
#if defined(__x86_64__)
  // The frame nf_simt_switch pops: r15..r12, rbx, rbp, then the return
  // address (fiberEntry) and a dummy one above it, so that fiberEntry
  // starts with the stack aligned as after a call.
  auto *top = reinterpret_cast<uint64_t *>(f.stack + kStackBytes);
  uint64_t *sp = top;
  *--sp = 0;
  *--sp = reinterpret_cast<uint64_t>(&fiberEntry);
  for (int i = 0; i < 6; ++i)
    *--sp = 0;
  f.sp = sp;
#else
  getcontext(&f.ctx);
  f.ctx.uc_stack.ss_sp = f.stack;
  f.ctx.uc_stack.ss_size = kStackBytes;
  f.ctx.uc_link = nullptr;
  makecontext(&f.ctx, reinterpret_cast<void (*)()>(&fiberEntry), 0);
#endif
}

Fiber &self(Block *b) { return b->fibers[b->current]; }

void park(Block *b, State why) {
  Fiber &f = self(b);
  f.state = why;
  toScheduler(b, f);
}

/// Released fibers run next, in order, ahead of fibers not yet started:
/// a warp finishes before the next one starts, so few stacks are live.
void wake(Block *b, std::vector<int> &who) {
  for (auto it = who.rbegin(); it != who.rend(); ++it) {
    b->fibers[*it].state = State::Ready;
    b->ready.push_front(*it);
  }
  who.clear();
}

Block *running(const char *what) {
  if (!tBlock) {
    std::fprintf(stderr, "simt: error: %s called outside a kernel\n", what);
    std::abort();
  }
  return tBlock;
}

/// Why the block cannot go on: who waits where.
std::string deadlockMessage(Block *b) {
  int atBlock = 0, atWarp = 0;
  std::string firstWarp;
  for (const Fiber &f : b->fibers) {
    atBlock += f.state == State::WaitBlock;
    if (f.state == State::WaitWarp) {
      if (!atWarp++)
        firstWarp = " (first: warp " + std::to_string(f.warp) + ", " +
                    std::to_string(b->warps[f.warp].arrived) + " of " +
                    std::to_string(b->warps[f.warp].members) + " lanes)";
    }
  }
  return "deadlock: " + std::to_string(atBlock) +
         " threads wait at __syncthreads, " + std::to_string(atWarp) +
         " at a warp barrier" + firstWarp + ", " + std::to_string(b->done) +
         " exited, of " + std::to_string(b->fibers.size());
}

std::string coords(Extent e) {
  return "(" + std::to_string(e.x) + ", " + std::to_string(e.y) + ", " +
         std::to_string(e.z) + ")";
}

} // namespace

std::string runGrid(const char *kernel, Extent grid, Extent block,
                    size_t dynamicSmem, ThreadBody body) {
  uint64_t threads = uint64_t(block.x) * block.y * block.z;
  uint64_t blocks = uint64_t(grid.x) * grid.y * grid.z;
  if (threads == 0 || threads > 1024 || blocks == 0 || block.z > 64)
    return std::string(kernel) + ": invalid launch configuration: grid " +
           coords(grid) + ", block " + coords(block);
  if (dynamicSmem > 227 * 1024)
    return std::string(kernel) + ": " + std::to_string(dynamicSmem) +
           " bytes of dynamic shared memory exceed the 227 KiB of sm_90";
  if (tBlock)
    return std::string(kernel) + ": launched from inside a kernel";
  Block b;
  b.body = body;
  b.smem.resize(dynamicSmem + 16);
  b.fibers.resize(threads);
  int numWarps = int((threads + kWarp - 1) / kWarp);
  b.warps.resize(numWarps);
  for (uint64_t t = 0; t < threads; ++t) {
    Fiber &f = b.fibers[t];
    f.tid = {unsigned(t % block.x), unsigned(t / block.x % block.y),
             unsigned(t / (uint64_t(block.x) * block.y))};
    f.warp = int(t / kWarp);
    f.lane = int(t % kWarp);
    Warp &w = b.warps[f.warp];
    ++w.members;
    w.memberMask |= 1u << f.lane;
  }
  ::blockDim = dim3(block.x, block.y, block.z);
  ::gridDim = dim3(grid.x, grid.y, grid.z);
  tBlock = &b;
  std::string error;
  for (uint64_t id = 0; id < blocks && error.empty(); ++id) {
    ::blockIdx = {unsigned(id % grid.x), unsigned(id / grid.x % grid.y),
                  unsigned(id / (uint64_t(grid.x) * grid.y))};
    b.done = 0;
    b.blockArrived = 0;
    b.blockWaiting.clear();
    b.ready.clear();
    for (Warp &w : b.warps) {
      w.arrived = 0;
      w.waiting.clear();
    }
    for (uint64_t t = 0; t < threads; ++t) {
      b.fibers[t].state = State::Ready;
      b.fibers[t].stack = nullptr;
      b.ready.push_back(int(t));
    }
    // Stacks are taken when a fiber starts and given back when it ends,
    // most recent first: a kernel without barriers runs every thread on
    // the same, cache-hot stack.
    std::vector<char *> freeStacks;
    size_t stacksUsed = 0;
    while (!b.ready.empty() && b.error.empty()) {
      b.current = b.ready.front();
      b.ready.pop_front();
      Fiber &f = b.fibers[b.current];
      if (!f.stack) {
        if (freeStacks.empty())
          freeStacks.push_back(stackFor(stacksUsed++));
        f.stack = freeStacks.back();
        freeStacks.pop_back();
        initFiber(f);
      }
      ::threadIdx = f.tid;
      toFiber(&b, f);
      if (f.state == State::Done)
        freeStacks.push_back(f.stack);
    }
    if (!b.error.empty())
      error = b.error;
    else if (uint64_t(b.done) != threads)
      error = deadlockMessage(&b);
    if (!error.empty()) {
      // Parked fibers never return: their frames stay poisoned.
      for (size_t i = 0; i < stacksUsed; ++i)
        unpoisonStack(stackFor(i), kStackBytes);
      error = std::string(kernel) + ": block " +
              coords({::blockIdx.x, ::blockIdx.y, ::blockIdx.z}) + ": " + error;
    }
  }
  tBlock = nullptr;
  return error;
}

void syncThreads() {
  Block *b = running("__syncthreads");
  if (++b->blockArrived == int(b->fibers.size())) {
    b->blockArrived = 0;
    wake(b, b->blockWaiting);
    return;
  }
  b->blockWaiting.push_back(b->current);
  park(b, State::WaitBlock);
}

namespace {
void checkMask(Block *b, const Warp &w, unsigned mask, const char *what) {
  if ((mask & w.memberMask) != w.memberMask)
    fail(std::string(what) + ": mask " + std::to_string(mask) +
         " leaves out lanes of the warp (the harness runs whole warps only)");
}

/// Arrives at the calling thread's warp barrier; returns the generation
/// whose slots this arrival belongs to.
unsigned arriveWarp(Block *b, Warp &w) {
  unsigned gen = w.generation;
  if (++w.arrived == w.members) {
    w.arrived = 0;
    ++w.generation;
    wake(b, w.waiting);
    return gen;
  }
  w.waiting.push_back(b->current);
  park(b, State::WaitWarp);
  return gen;
}
} // namespace

void syncWarp(unsigned mask) {
  Block *b = running("__syncwarp");
  Warp &w = b->warps[self(b).warp];
  checkMask(b, w, mask, "__syncwarp");
  arriveWarp(b, w);
}

uint64_t warpExchange(unsigned mask, uint64_t bits, int srcLane) {
  Block *b = running("a warp shuffle");
  Fiber &f = self(b);
  Warp &w = b->warps[f.warp];
  checkMask(b, w, mask, "warp shuffle");
  // Two slot sets by generation parity: a lane can be at most one shuffle
  // ahead of a lane still reading, since the next barrier needs everyone.
  uint64_t *slots = w.slots[w.generation & 1];
  slots[f.lane] = bits;
  unsigned gen = arriveWarp(b, w);
  slots = w.slots[gen & 1];
  if (srcLane < 0 || srcLane >= kWarp || !(w.memberMask >> srcLane & 1))
    return bits;
  return slots[srcLane];
}

void warpGather(unsigned mask, const uint32_t *mine, int words,
                uint32_t *all) {
  Block *b = running("a warp-wide matrix operation");
  Fiber &f = self(b);
  Warp &w = b->warps[f.warp];
  checkMask(b, w, mask, "warp-wide matrix operation");
  if (words < 0 || words > kWarpGatherWords)
    fail("warpGather of " + std::to_string(words) + " words (at most " +
         std::to_string(kWarpGatherWords) + ")");
  std::memcpy(w.gathered[w.generation & 1][f.lane], mine, 4 * size_t(words));
  unsigned gen = arriveWarp(b, w);
  for (int l = 0; l < kWarp; ++l) {
    if (w.memberMask >> l & 1)
      std::memcpy(all + l * words, w.gathered[gen & 1][l], 4 * size_t(words));
    else
      std::memset(all + l * words, 0, 4 * size_t(words));
  }
}

int laneId() {
  Block *b = running("laneId");
  return self(b).lane;
}

unsigned warpMemberMask() {
  Block *b = running("warpMemberMask");
  return b->warps[self(b).warp].memberMask;
}

void *dynamicSharedMemory() {
  Block *b = running("extern __shared__");
  // 16-byte aligned, as CUDA's dynamic shared memory.
  uintptr_t p = reinterpret_cast<uintptr_t>(b->smem.data());
  return reinterpret_cast<void *>((p + 15) & ~uintptr_t(15));
}

void fail(std::string message) {
  Block *b = running("fail");
  b->error = std::move(message);
  Fiber &f = self(b);
  f.state = State::Done;
  toScheduler(b, f, /*finished=*/true);
  __builtin_trap();
}

} // namespace nfrt::simt
