//===- ScheduleOrder.h - which block and thread runs next -------*- C++ -*-===//
//
// Internal to the harness. By default blocks run in index order and
// runnable threads first in, first out, which hides every bug that needs
// another order (a block that reads what a later block writes, a thread
// that relies on running after its neighbour). A seed (setScheduleSeed,
// NFRT_SIMT_SEED) shuffles both, deterministically: the same seed and the
// same sequence of launches on a thread give the same orders, and each
// launch gets its own order.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_SCHEDULEORDER_H
#define NFRT_SIMT_SCHEDULEORDER_H

#include <cstdint>
#include <utility>

namespace nfrt::simt {

class ScheduleOrder {
public:
  /// The order of the calling thread's next launch.
  static ScheduleOrder forNextLaunch();

  bool shuffled() const { return seeded; }
  /// A number in [0, n) (n > 0); the modulo's bias is below 2^-32 for the
  /// harness's n (at most a grid's blocks).
  uint64_t below(uint64_t n) { return next() % n; }
  /// Fisher-Yates over [first, last).
  template <class It> void shuffle(It first, It last) {
    for (auto n = last - first; n > 1; --n)
      std::swap(first[n - 1], first[below(uint64_t(n))]);
  }

private:
  bool seeded = false;
  uint64_t state = 0;
  uint64_t next(); // SplitMix64
};

} // namespace nfrt::simt

#endif // NFRT_SIMT_SCHEDULEORDER_H
