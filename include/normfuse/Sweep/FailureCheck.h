//===- FailureCheck.h - runs that did not train -----------------*- C++ -*-===//
//
// A bounded norm can fail without a NaN: DyT or Derf saturate, gradients
// through tanh/erf vanish and the loss sits at the unigram loss (the
// entropy of the byte distribution, what a model that ignores its input
// reaches) or on a plateau above a healthy run. The sweep flags such runs
// in its tables instead of averaging them in silently:
//  - stuck: the training loss (median of a centred window of three log
//    records)
//    first falls below unigram - 0.15 nats only after half of the
//    steps, or never (a healthy small run can take a quarter of its steps
//    to get there, so the step is also reported for every run);
//  - saturated: the fraction of |alpha x + s| > 2 (sat_frac,
//    docs/math.md#sat_frac) of the most saturated DyT/Derf layer, averaged over
//    the last three log records, exceeds 0.5.
// Diverged (NaN/Inf) and failed runs are reported by the sweep from the
// binary's exit.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SWEEP_FAILURECHECK_H
#define NORMFUSE_SWEEP_FAILURECHECK_H

#include "normfuse/Sweep/RunMetrics.h"

#include "llvm/ADT/StringRef.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace normfuse::sweep {

inline constexpr double kUnigramMargin = 0.15;
inline constexpr double kSaturatedFraction = 0.5;

/// The entropy in nats of the byte distribution of `bytes`.
double unigramEntropy(llvm::StringRef bytes);

struct RunCheck {
  /// The first log step at which the smoothed loss fell below the unigram
  /// loss minus the margin; nullopt when it never did.
  std::optional<int64_t> leftUnigramAt;
  bool stuck = false;
  /// sat_frac of the most saturated layer at the end; NaN without
  /// saturation diagnostics (no DyT/Derf layer or diagnostics off).
  double satFrac = NAN;
  std::string satLayer;
  bool saturated = false;
};

/// Checks one run of `steps` steps against the unigram loss `unigram`
/// (NaN: unknown, no stuck check).
RunCheck checkRun(const RunMetrics &metrics, double unigram, int64_t steps);

} // namespace normfuse::sweep

#endif // NORMFUSE_SWEEP_FAILURECHECK_H
