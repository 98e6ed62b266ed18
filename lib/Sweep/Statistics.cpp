//===- Statistics.cpp - seed statistics of a sweep ------------------------===//
#include "normfuse/Sweep/Statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace normfuse::sweep;

Summary normfuse::sweep::summarize(llvm::ArrayRef<double> values) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Summary s;
  s.n = values.size();
  if (values.empty()) {
    s.mean = s.std = s.se = s.min = s.max = nan;
    return s;
  }
  double sum = 0;
  for (double v : values)
    sum += v;
  s.mean = sum / s.n;
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  if (s.n < 2) {
    s.std = s.se = nan;
    return s;
  }
  // Two passes: the squared deviations from the mean, not E[x^2] - E[x]^2,
  // which cancels badly for losses that agree to many digits.
  double ss = 0;
  for (double v : values)
    ss += (v - s.mean) * (v - s.mean);
  s.std = std::sqrt(ss / (s.n - 1));
  s.se = s.std / std::sqrt(double(s.n));
  return s;
}

Estimate normfuse::sweep::difference(const Summary &a, const Summary &b) {
  return {a.mean - b.mean, std::sqrt(a.se * a.se + b.se * b.se)};
}

Estimate normfuse::sweep::interaction(const Summary &cell,
                                      const Summary &sameRowRef,
                                      const Summary &sameColRef,
                                      const Summary &ref) {
  return {(cell.mean - sameRowRef.mean) - (sameColRef.mean - ref.mean),
          std::sqrt(cell.se * cell.se + sameRowRef.se * sameRowRef.se +
                    sameColRef.se * sameColRef.se + ref.se * ref.se)};
}
