//===- RaceCheck.cpp - ThreadSanitizer's fiber API for the scheduler ------===//
//
// Only in nfrt_simt_racecheck (NFRT_SIMT_RACECHECK=1); see RaceCheck.h for
// the orderings the scheduler announces. The runtime is ThreadSanitizer's,
// linked by -fsanitize=thread into the program; its report API is declared
// here because GCC's sanitizer headers lack it.
//
//===----------------------------------------------------------------------===//
#include "RaceCheck.h"

#include <cstring>

extern "C" {
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
void __tsan_set_fiber_name(void *fiber, const char *name);
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
int __tsan_get_report_data(void *report, const char **description, int *count,
                           int *stack_count, int *mop_count, int *loc_count,
                           int *mutex_count, int *thread_count,
                           int *unique_tid_count, void **sleep_trace,
                           unsigned long trace_size);
int __tsan_get_report_mop(void *report, unsigned long idx, int *tid,
                          void **addr, int *size, int *write, int *atomic,
                          void **trace, unsigned long trace_size);
int __tsan_get_report_thread(void *report, unsigned long idx, int *tid,
                             uint64_t *os_id, int *running, const char **name,
                             int *parent_tid, void **trace,
                             unsigned long trace_size);
}

namespace nfrt::simt::race {
namespace {
constexpr unsigned kNoSync = 1; // __tsan_switch_to_fiber_no_sync

// The report hook runs inside ThreadSanitizer (sometimes within a free):
// it must not allocate, so it fills fixed records that takeReports turns
// into Reports. Reports are taken by the OS thread they were made on, the
// one running the block whose fiber made the access; the first few are
// kept, the scheduler needs one.
constexpr int kKept = 4, kAccesses = 2, kName = 64;
struct RawAccess {
  int write, atomic, bytes;
  uintptr_t address;
  char thread[kName];
};
struct RawReport {
  char kind[kName];
  int accesses;
  RawAccess access[kAccesses];
};
thread_local RawReport tRaw[kKept];
thread_local int tRawCount = 0;

void copyName(char (&to)[kName], const char *from) {
  std::strncpy(to, from ? from : "", kName - 1);
  to[kName - 1] = '\0';
}
} // namespace

void *hostContext() {
  void *c = __tsan_get_current_fiber();
  __tsan_set_fiber_name(c, kHostName);
  return c;
}

void *newContext(int index) {
  void *c = __tsan_create_fiber(0);
  __tsan_set_fiber_name(c, contextName(index).c_str());
  return c;
}

void dropContext(void *context) { __tsan_destroy_fiber(context); }

void switchTo(void *context, bool synchronize) {
  __tsan_switch_to_fiber(context, synchronize ? 0 : kNoSync);
}

void release(const void *tag) { __tsan_release(const_cast<void *>(tag)); }
void acquire(const void *tag) { __tsan_acquire(const_cast<void *>(tag)); }

void ignoreBegin() { __tsan_ignore_thread_begin(); }
void ignoreEnd() { __tsan_ignore_thread_end(); }

std::vector<Report> takeReports() {
  std::vector<Report> out;
  for (int i = 0; i < tRawCount; ++i) {
    Report r;
    r.kind = tRaw[i].kind;
    for (int k = 0; k < tRaw[i].accesses; ++k) {
      const RawAccess &a = tRaw[i].access[k];
      r.accesses.push_back(
          {a.write != 0, a.atomic != 0, a.bytes, a.address, a.thread});
    }
    out.push_back(std::move(r));
  }
  tRawCount = 0;
  return out;
}

} // namespace nfrt::simt::race

/// ThreadSanitizer calls this after printing each report (a weak default
/// in its runtime): keep what the scheduler needs to fail the launch.
extern "C" void __tsan_on_report(void *report) {
  using namespace nfrt::simt::race;
  if (tRawCount == kKept)
    return;
  const char *description = nullptr;
  int count = 0, stacks = 0, mops = 0, locs = 0, mutexes = 0, threads = 0,
      tids = 0;
  void *sleep = nullptr;
  if (!__tsan_get_report_data(report, &description, &count, &stacks, &mops,
                              &locs, &mutexes, &threads, &tids, &sleep, 1))
    return;
  RawReport &r = tRaw[tRawCount++];
  copyName(r.kind, description ? description : "report");
  r.accesses = 0;
  for (int i = 0; i < mops && r.accesses < kAccesses; ++i) {
    int tid = -1, size = 0, write = 0, atomic = 0;
    void *addr = nullptr, *pc = nullptr;
    if (!__tsan_get_report_mop(report, i, &tid, &addr, &size, &write, &atomic,
                               &pc, 1))
      continue;
    RawAccess &a = r.access[r.accesses++];
    a.write = write, a.atomic = atomic, a.bytes = size;
    a.address = reinterpret_cast<uintptr_t>(addr);
    copyName(a.thread, "");
    for (int t = 0; t < threads; ++t) {
      int ttid = -1, running = 0, parent = -1;
      uint64_t os = 0;
      const char *name = nullptr;
      void *trace = nullptr;
      if (__tsan_get_report_thread(report, t, &ttid, &os, &running, &name,
                                   &parent, &trace, 1) &&
          ttid == tid)
        copyName(a.thread, name);
    }
  }
}
