//===- RaceCheck.h - ThreadSanitizer sees the fibers as threads -*- C++ -*-===//
//
// Internal to the harness. Fibers only switch at barriers, so a data race
// between two CUDA threads of a block never shows in a run. The race-check
// build (nfrt_simt_racecheck: this library compiled with
// NFRT_SIMT_RACECHECK=1, linked with kernels compiled -fsanitize=thread)
// gives every fiber a ThreadSanitizer context and tells it exactly the
// orderings CUDA guarantees, no more:
// - a thread's start follows everything before its block (the switch
//   into a fiber that starts synchronizes);
// - every other switch does not synchronize: running one thread after
//   another is not an ordering;
// - a barrier orders all arrivals before all departures (release on
//   arrival, acquire on departure, of a tag per barrier generation parity:
//   a fast thread's next arrival must not reach a slow thread's departure
//   from the previous one);
// - a block's end is acquired by the scheduler before the next block
//   starts: blocks are ordered, so races between blocks of one launch go
//   unreported (their shared memory is one copy reused, which would
//   otherwise be reported).
// The scheduler itself is not instrumented, but the allocator and memcpy
// are intercepted: its work on a fiber (barrier queues, messages) is
// hidden by ignoreBegin/End (the scheduler's Hide), or a queue grown by
// one fiber and freed by another would be reported. Without
// NFRT_SIMT_RACECHECK every function here is an empty inline.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_RACECHECK_H
#define NFRT_SIMT_RACECHECK_H

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#ifndef NFRT_SIMT_RACECHECK
#define NFRT_SIMT_RACECHECK 0
#endif

namespace nfrt::simt::race {

/// One access of a report: what the thread named `thread` did where.
struct Access {
  bool write = false, atomic = false;
  int bytes = 0;
  uintptr_t address = 0;
  std::string thread; // the context's name: "simt thread <index>" or other
};
/// A ThreadSanitizer report made while a block ran.
struct Report {
  std::string kind;             // "data-race", ...
  std::vector<Access> accesses; // the current access first
};

/// The name fiber `index`'s context gets; indexOf parses it back (-1 for
/// any other context: the host's, kHostName, or another OS thread's).
constexpr const char *kHostName = "simt host";
inline std::string contextName(int index) {
  return "simt thread " + std::to_string(index);
}
inline int indexOf(const std::string &name) {
  const std::string prefix = "simt thread ";
  if (name.compare(0, prefix.size(), prefix) != 0)
    return -1;
  return std::atoi(name.c_str() + prefix.size());
}

#if NFRT_SIMT_RACECHECK
constexpr bool kEnabled = true;
/// The calling OS thread's context, named "simt host" for reports.
void *hostContext();
void *newContext(int index);
void dropContext(void *context);
/// Call immediately before switching stacks to the fiber of `context`.
void switchTo(void *context, bool synchronize);
void release(const void *tag);
void acquire(const void *tag);
void ignoreBegin();
void ignoreEnd();
/// The reports made on this OS thread since the last call.
std::vector<Report> takeReports();
#else
constexpr bool kEnabled = false;
inline void *hostContext() { return nullptr; }
inline void *newContext(int) { return nullptr; }
inline void dropContext(void *) {}
inline void switchTo(void *, bool) {}
inline void release(const void *) {}
inline void acquire(const void *) {}
inline void ignoreBegin() {}
inline void ignoreEnd() {}
inline std::vector<Report> takeReports() { return {}; }
#endif

} // namespace nfrt::simt::race

#endif // NFRT_SIMT_RACECHECK_H
