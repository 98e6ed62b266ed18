//===- Scheduler.cpp - blocks of fibers with block and warp barriers ------===//
//
// One OS thread runs one block at a time: a fiber per CUDA thread
// (Fiber.h), a queue of runnable fibers, and a barrier per block and per
// warp. A fiber that arrives at a barrier whose other members have not all
// arrived is parked; the last arrival makes every parked member runnable
// again and goes on. When the run queue is empty and fibers remain, the
// block deadlocked. On top of that, the checks of Scheduler.h: shared
// memory poisoned before each block, one call site per barrier generation
// (synccheck), the order shuffled by a seed (ScheduleOrder.h), and every
// ordering told to ThreadSanitizer in the race-check build (RaceCheck.h).
//
//===----------------------------------------------------------------------===//
#include "nfrt/simt/Scheduler.h"
#include "Fiber.h"
#include "RaceCheck.h"
#include "ScheduleOrder.h"
#include "SharedStatics.h"
#include "nfrt/simt/Simt.h"

#include <cstdlib>
#include <deque>
#include <numeric>
#include <vector>

namespace nfrt::simt {
namespace {

constexpr int kWarp = 32;

enum class State { Ready, WaitBlock, WaitWarp, Done };

struct Fiber {
  FiberContext context;
  State state = State::Ready;
  bool entered = false;  // has run in the current block
  bool finished = false; // returned from the kernel (not failed)
  int hidden = 0;        // open Hide scopes (the race check)
  uint3 tid{0, 0, 0};
  int warp = 0, lane = 0;
};

/// The first arrival at a barrier's current generation: the others must
/// come from the same call site (and, at a warp barrier, the same
/// operation: the slots of a shuffle are not a gather's).
struct Arrival {
  Site site{nullptr, 0};
  const char *operation = nullptr;
  int fiber = -1;
};

struct Warp {
  int members = 0, arrived = 0;
  unsigned memberMask = 0;
  unsigned generation = 0;
  Arrival first;
  uint64_t slots[2][kWarp] = {};
  // warpGather's slots, by generation parity as `slots`.
  uint32_t gathered[2][kWarp][kWarpGatherWords] = {};
  std::vector<int> waiting;
  char raceTags[2] = {}; // the race check's sync objects, by parity
};

/// The block an OS thread is running, with its fibers and barriers.
struct Block {
  std::vector<Fiber> fibers;
  std::vector<Warp> warps;
  std::vector<int> blockWaiting;
  int blockArrived = 0, done = 0, current = -1;
  unsigned blockGeneration = 0;
  Arrival blockFirst;
  std::deque<int> ready;
  std::vector<char> smem;
  size_t dynamicSmem = 0;
  ThreadBody body{};
  std::string error;
  HostContext host;
  ScheduleOrder order;
  char raceTags[2] = {}, raceEndTag = 0; // the race check's sync objects
};

thread_local Block *tBlock = nullptr;
/// The race check's ThreadSanitizer context per thread index, reused
/// across blocks and launches (creating one per CUDA thread and block
/// would cost more than the kernels).
thread_local std::vector<void *> tRaceContexts;

void *raceContext(size_t index) {
  if (tRaceContexts.size() <= index)
    tRaceContexts.resize(index + 1, nullptr);
  if (!tRaceContexts[index])
    tRaceContexts[index] = race::newContext(int(index));
  return tRaceContexts[index];
}

std::string coords(uint3 e) {
  return "(" + std::to_string(e.x) + ", " + std::to_string(e.y) + ", " +
         std::to_string(e.z) + ")";
}
std::string coords(Extent e) { return coords(uint3{e.x, e.y, e.z}); }

std::string siteText(Site s) {
  return std::string(s.file ? s.file : "?") + ":" + std::to_string(s.line);
}
bool sameSite(Site a, Site b) {
  return a.line == b.line &&
         (a.file == b.file ||
          (a.file && b.file && !std::strcmp(a.file, b.file)));
}

[[noreturn]] void fiberEntry() {
  Block *b = tBlock;
  arriveOnFiber(b->host);
  b->body.fn(b->body.arg);
  Fiber &f = b->fibers[b->current];
  f.state = State::Done;
  f.finished = true;
  ++b->done;
  race::release(&b->raceEndTag); // the host acquires it after the block
  leaveFiber(b->host, f.context, /*finished=*/true);
  __builtin_trap(); // a finished fiber is never resumed
}

Fiber &self(Block *b) { return b->fibers[b->current]; }

/// The harness's own work on a fiber, hidden from ThreadSanitizer in the
/// race check (RaceCheck.h): a queue grown by one fiber and freed by
/// another would be reported. Its sync annotations still count. The
/// fiber's count of open scopes lets a failed block close them.
class Hide {
public:
  explicit Hide(Block *b) : f(self(b)) {
    race::ignoreBegin();
    ++f.hidden;
  }
  ~Hide() {
    --f.hidden;
    race::ignoreEnd();
  }
  Hide(const Hide &) = delete;
  Hide &operator=(const Hide &) = delete;

private:
  Fiber &f;
};

void park(Block *b, State why) {
  Fiber &f = self(b);
  f.state = why;
  leaveFiber(b->host, f.context, /*finished=*/false);
}

/// Makes `who` runnable. By default released fibers run next, in order,
/// ahead of fibers not yet started: a warp finishes before the next one
/// starts, so few stacks are live. With a seed each goes to a random
/// place in the queue, among fibers not yet started too.
void wake(Block *b, std::vector<int> &who) {
  if (b->order.shuffled()) {
    b->order.shuffle(who.begin(), who.end());
    for (int id : who) {
      b->fibers[id].state = State::Ready;
      b->ready.insert(b->ready.begin() + b->order.below(b->ready.size() + 1),
                      id);
    }
  } else {
    for (auto it = who.rbegin(); it != who.rend(); ++it) {
      b->fibers[*it].state = State::Ready;
      b->ready.push_front(*it);
    }
  }
  who.clear();
}

/// The last arrival at a barrier releases `waiting` and goes on; with a
/// seed it takes a random turn among them instead.
void releaseBarrier(Block *b, std::vector<int> &waiting) {
  if (!b->order.shuffled()) {
    wake(b, waiting);
    return;
  }
  waiting.push_back(b->current);
  wake(b, waiting);
  park(b, State::Ready);
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
  int atBlock = 0, atWarp = 0, firstExited = -1, firstAtWarp = -1;
  for (size_t i = 0; i < b->fibers.size(); ++i) {
    const Fiber &f = b->fibers[i];
    atBlock += f.state == State::WaitBlock;
    if (f.state == State::WaitWarp && !atWarp++)
      firstAtWarp = int(i);
    if (f.state == State::Done && firstExited < 0)
      firstExited = int(i);
  }
  std::string barrier =
      "__syncthreads" +
      (atBlock ? " (" + siteText(b->blockFirst.site) + ")" : std::string());
  if (atBlock && !atWarp && b->done) {
    std::string who = "thread " + coords(b->fibers[firstExited].tid);
    if (b->done > 1)
      who = std::to_string(b->done) + " threads (first: " + who + ")";
    return "deadlock: " + who + " exited while " + std::to_string(atBlock) +
           " threads wait at " + barrier +
           ": every thread of a block must reach each __syncthreads (a "
           "return before a barrier is undefined in CUDA)";
  }
  std::string warp;
  if (atWarp) {
    const Fiber &f = b->fibers[firstAtWarp];
    const Warp &w = b->warps[f.warp];
    warp = " (first: warp " + std::to_string(f.warp) + ", " +
           std::to_string(w.arrived) + " of " + std::to_string(w.members) +
           " lanes at " + siteText(w.first.site) + ")";
  }
  return "deadlock: " + std::to_string(atBlock) + " threads wait at " +
         barrier + ", " + std::to_string(atWarp) + " at a warp barrier" + warp +
         ", " + std::to_string(b->done) + " exited, of " +
         std::to_string(b->fibers.size());
}

/// Where a reported access went: the block's shared memory by name, or
/// global memory.
std::string describeAddress(Block *b, uintptr_t a) {
  auto smem = reinterpret_cast<uintptr_t>(dynamicSharedMemory());
  if (a >= smem && a < smem + b->dynamicSmem)
    return "dynamic shared memory + " + std::to_string(a - smem);
  std::string s = describeSharedStatic(reinterpret_cast<const void *>(a));
  if (!s.empty())
    return "__shared__ " + s;
  char hex[32];
  std::snprintf(hex, sizeof hex, "%#llx", (unsigned long long)a);
  return std::string("global memory at ") + hex;
}

std::string raceThread(Block *b, const std::string &context) {
  int i = race::indexOf(context);
  if (i >= 0 && size_t(i) < b->fibers.size())
    return "thread " + coords(b->fibers[i].tid);
  if (context == race::kHostName)
    return "the host";
  return "another OS thread" +
         (context.empty() ? std::string() : " ('" + context + "')");
}

/// Fails the block on the first ThreadSanitizer report made while it ran.
void takeRaceReports(Block *b) {
  if (!race::kEnabled)
    return;
  for (const race::Report &r : race::takeReports()) {
    if (!b->error.empty())
      continue;
    if (r.accesses.size() < 2) {
      b->error = "ThreadSanitizer: " + r.kind + " (its report is above)";
      continue;
    }
    const race::Access &now = r.accesses[0], &before = r.accesses[1];
    auto verb = [](const race::Access &a, bool past) {
      std::string v =
          a.write ? (past ? "wrote" : "writes") : (past ? "read" : "reads");
      return (a.atomic ? "atomically " : "") + v;
    };
    b->error = r.kind + " on " + describeAddress(b, now.address) + ": " +
               raceThread(b, now.thread) + " " + verb(now, false) + " " +
               std::to_string(now.bytes) + " bytes that " +
               raceThread(b, before.thread) + " " + verb(before, true) +
               ", and no barrier orders the two (ThreadSanitizer's report "
               "above has both stacks)";
  }
}

// Messages for fail() are built by functions of their own: fail() never
// returns, so the locals and temporaries of the expression around its call
// would never be freed (LeakSanitizer); a returned prvalue becomes fail's
// parameter directly.

std::string divergenceMessage(Block *b, const Arrival &first, Site site,
                              const char *operation, const char *barrier) {
  std::string here = operation ? std::string(operation) + " at " : "";
  std::string there = operation ? std::string(first.operation) + " at " : "";
  return std::string("divergent ") + barrier + ": thread " +
         coords(self(b).tid) + " arrived at " + here + siteText(site) +
         " while thread " + coords(b->fibers[first.fiber].tid) + " waits at " +
         there + siteText(first.site) +
         " (the threads of one barrier must all reach it at one call site; "
         "CUDA leaves a divergent barrier undefined)";
}

/// Synccheck at a barrier: records the first arrival of the generation, or
/// fails unless this one came from the same call site (and operation).
void checkArrival(Block *b, Arrival &first, int arrived, Site site,
                  const char *operation, const char *barrier) {
  if (arrived == 0) {
    first = {site, operation, b->current};
    return;
  }
  bool sameOperation = !operation || !std::strcmp(operation, first.operation);
  if (!sameSite(site, first.site) || !sameOperation)
    fail(divergenceMessage(b, first, site, operation, barrier));
}

/// After a failed block: the fibers that will never finish are joined in
/// ThreadSanitizer's eyes and their contexts dropped (their shadow stacks
/// are mid-call), and ASan's poison on whole stacks is cleared.
void abandonBlock(Block *b, size_t stacksUsed) {
  for (size_t i = 0; i < stacksUsed; ++i)
    unpoisonFiberStack(fiberStack(i), kFiberStackBytes);
  if (!race::kEnabled)
    return;
  for (size_t i = 0; i < b->fibers.size(); ++i) {
    Fiber &f = b->fibers[i];
    if (!f.entered || f.finished)
      continue;
    joinAbandonedFiber(b->host, f.context, f.hidden);
    f.hidden = 0;
    race::dropContext(f.context.tsan);
    tRaceContexts[i] = f.context.tsan = nullptr;
  }
}

} // namespace

std::string runGrid(const char *kernel, Extent grid, Extent block,
                    size_t dynamicSmem, ThreadBody body) {
  uint64_t threads = uint64_t(block.x) * block.y * block.z;
  uint64_t blocks = uint64_t(grid.x) * grid.y * grid.z;
  // checkLaunch (LaunchLimits.cpp) refuses these with CUDA's error first.
  if (threads == 0 || threads > 1024 || blocks == 0)
    return std::string(kernel) + ": invalid launch configuration: grid " +
           coords(grid) + ", block " + coords(block);
  if (tBlock)
    return std::string(kernel) + ": launched from inside a kernel";
  Block b;
  b.body = body;
  b.dynamicSmem = dynamicSmem;
  b.smem.resize(dynamicSmem + 16);
  b.order = ScheduleOrder::forNextLaunch();
  b.host.tsan = race::hostContext();
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
  std::vector<uint64_t> blockOrder; // empty: index order
  if (b.order.shuffled()) {
    blockOrder.resize(blocks);
    std::iota(blockOrder.begin(), blockOrder.end(), uint64_t(0));
    b.order.shuffle(blockOrder.begin(), blockOrder.end());
  }
  std::vector<int> threadOrder(threads);
  ::blockDim = dim3(block.x, block.y, block.z);
  ::gridDim = dim3(grid.x, grid.y, grid.z);
  tBlock = &b;
  std::string error;
  for (uint64_t i = 0; i < blocks && error.empty(); ++i) {
    uint64_t id = blockOrder.empty() ? i : blockOrder[i];
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
    // CUDA's shared memory starts uninitialised: poison what this block
    // can see, the launch's dynamic bytes and every __shared__ variable.
    std::memset(dynamicSharedMemory(), kSharedPoison, dynamicSmem);
    poisonSharedStatics();
    std::iota(threadOrder.begin(), threadOrder.end(), 0);
    if (b.order.shuffled())
      b.order.shuffle(threadOrder.begin(), threadOrder.end());
    for (uint64_t t = 0; t < threads; ++t) {
      Fiber &f = b.fibers[t];
      f.state = State::Ready;
      f.entered = f.finished = false;
      f.hidden = 0;
      f.context.stack = nullptr;
      b.ready.push_back(threadOrder[t]);
    }
    // Stacks are taken when a fiber starts and given back when it ends,
    // most recent first: a kernel without barriers runs every thread on
    // the same, cache-hot stack. The race check gives each thread index a
    // stack of its own instead: a stack passed from one finished thread
    // to the next would be memory two threads use with no ordering.
    std::vector<char *> freeStacks;
    size_t stacksUsed = race::kEnabled ? threads : 0;
    while (!b.ready.empty() && b.error.empty()) {
      b.current = b.ready.front();
      b.ready.pop_front();
      Fiber &f = b.fibers[b.current];
      bool starts = !f.entered;
      if (starts) {
        f.entered = true;
        if (race::kEnabled) {
          f.context.stack = fiberStack(size_t(b.current));
          f.context.tsan = raceContext(size_t(b.current));
        } else {
          if (freeStacks.empty())
            freeStacks.push_back(fiberStack(stacksUsed++));
          f.context.stack = freeStacks.back();
          freeStacks.pop_back();
        }
        initFiber(f.context, &fiberEntry);
      }
      ::threadIdx = f.tid;
      enterFiber(b.host, f.context, /*synchronize=*/starts);
      takeRaceReports(&b);
      if (f.state == State::Done && !race::kEnabled)
        freeStacks.push_back(f.context.stack);
    }
    race::acquire(&b.raceEndTag); // the next block follows this one
    if (b.error.empty() && uint64_t(b.done) == threads)
      continue;
    // First: b.error may be a message a fiber allocated.
    abandonBlock(&b, stacksUsed);
    error = std::string(kernel) + ": block " + coords(::blockIdx) + ": " +
            (b.error.empty() ? deadlockMessage(&b) : b.error);
  }
  tBlock = nullptr;
  return error;
}

void syncThreads(Site site) {
  Block *b = running("__syncthreads");
  Hide hide(b); // the queues below grow and shrink on any fiber
  checkArrival(b, b->blockFirst, b->blockArrived, site, nullptr,
               "__syncthreads");
  unsigned gen = b->blockGeneration;
  race::release(&b->raceTags[gen & 1]);
  if (++b->blockArrived == int(b->fibers.size())) {
    b->blockArrived = 0;
    ++b->blockGeneration;
    releaseBarrier(b, b->blockWaiting);
  } else {
    b->blockWaiting.push_back(b->current);
    park(b, State::WaitBlock);
  }
  race::acquire(&b->raceTags[gen & 1]);
}

namespace {
std::string maskMessage(unsigned mask, const char *what) {
  return std::string(what) + ": mask " + std::to_string(mask) +
         " leaves out lanes of the warp (the harness runs whole warps only)";
}

void checkMask(const Warp &w, unsigned mask, const char *what) {
  if ((mask & w.memberMask) != w.memberMask)
    fail(maskMessage(mask, what));
}

std::string gatherMessage(int words) {
  return "warpGather of " + std::to_string(words) + " words (at most " +
         std::to_string(kWarpGatherWords) + ")";
}

/// Arrives at the calling thread's warp barrier; returns the generation
/// whose slots this arrival belongs to.
unsigned arriveWarp(Block *b, Warp &w, Site site, const char *operation) {
  checkArrival(b, w.first, w.arrived, site, operation, "warp barrier");
  unsigned gen = w.generation;
  race::release(&w.raceTags[gen & 1]);
  if (++w.arrived == w.members) {
    w.arrived = 0;
    ++w.generation;
    releaseBarrier(b, w.waiting);
  } else {
    w.waiting.push_back(b->current);
    park(b, State::WaitWarp);
  }
  race::acquire(&w.raceTags[gen & 1]);
  return gen;
}
} // namespace

void syncWarp(unsigned mask, Site site) {
  Block *b = running("__syncwarp");
  Hide hide(b); // as in syncThreads
  Warp &w = b->warps[self(b).warp];
  checkMask(w, mask, "__syncwarp");
  arriveWarp(b, w, site, "__syncwarp");
}

uint64_t warpExchange(unsigned mask, uint64_t bits, int srcLane, Site site) {
  Block *b = running("a warp shuffle");
  Hide hide(b); // as in syncThreads; the slots are the harness's
  Fiber &f = self(b);
  Warp &w = b->warps[f.warp];
  checkMask(w, mask, "warp shuffle");
  // Two slot sets by generation parity: a lane can be at most one shuffle
  // ahead of a lane still reading, since the next barrier needs everyone.
  uint64_t *slots = w.slots[w.generation & 1];
  slots[f.lane] = bits;
  unsigned gen = arriveWarp(b, w, site, "a warp shuffle");
  slots = w.slots[gen & 1];
  if (srcLane < 0 || srcLane >= kWarp || !(w.memberMask >> srcLane & 1))
    return bits;
  return slots[srcLane];
}

void warpGather(unsigned mask, const uint32_t *mine, int words, uint32_t *all,
                const char *file, int line) {
  Block *b = running("a warp-wide matrix operation");
  Hide hide(b); // as in warpExchange
  Fiber &f = self(b);
  Warp &w = b->warps[f.warp];
  checkMask(w, mask, "warp-wide matrix operation");
  if (words < 0 || words > kWarpGatherWords)
    fail(gatherMessage(words));
  std::memcpy(w.gathered[w.generation & 1][f.lane], mine, 4 * size_t(words));
  unsigned gen = arriveWarp(b, w, {file, line}, "a warp-wide matrix operation");
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
  Hide hide(b);         // never closed: the failed block closes it
  if (b->error.empty()) // the first failure is the one to report
    b->error = std::move(message);
  else
    std::string().swap(message); // this frame is never unwound
  Fiber &f = self(b);
  f.state = State::Done;
  leaveFiber(b->host, f.context, /*finished=*/true);
  __builtin_trap();
}

} // namespace nfrt::simt
