//===- Statistics.h - seed statistics of a sweep ----------------*- C++ -*-===//
//
// Mean and sample standard deviation over seeds; differences of cell means
// with their spread. The spread of a difference is its standard error from
// the cells' own standard errors, sqrt(se_1^2 + se_2^2 + ...), treating the
// cells as independent samples (conservative when seeds are shared: the
// same seed draws the same batches in every cell).
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SWEEP_STATISTICS_H
#define NORMFUSE_SWEEP_STATISTICS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstddef>

namespace normfuse::sweep {

struct Summary {
  size_t n = 0;
  double mean = 0, std = 0, se = 0; // std: sample (n - 1); NaN when n < 2
  double min = 0, max = 0;
};

/// Summary of `values`; an empty input gives n = 0 and NaN everywhere.
Summary summarize(llvm::ArrayRef<double> values);

/// A derived quantity and its spread (one standard error).
struct Estimate {
  double value = 0, spread = 0;
};

/// a - b.
Estimate difference(const Summary &a, const Summary &b);

/// The 2x2 interaction contrast of a cell against the reference levels of
/// both factors: (cell - sameRowRef) - (sameColRef - ref), i.e. how much the
/// effect of the first factor's change differs between the second factor's
/// levels. For the norm x optimizer grid with cell = (derf, muon): the Derf
/// gap under Muon minus the Derf gap under AdamW.
Estimate interaction(const Summary &cell, const Summary &sameRowRef,
                     const Summary &sameColRef, const Summary &ref);

} // namespace normfuse::sweep

#endif // NORMFUSE_SWEEP_STATISTICS_H
