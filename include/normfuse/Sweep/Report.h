//===- Report.h - tables and plots of a sweep -------------------*- C++ -*-===//
//
// From the runs of a plan: per variant (cell x learning rate) the final
// validation loss over seeds; per cell the best learning rate (lowest mean,
// variants with a diverged seed ranked last), the gap to the baseline cell
// and, for 2-factor grids, the interaction contrast; failure flags; and SVG
// plots of the loss curves and the diagnostics. docs/sweep.md shows them.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SWEEP_REPORT_H
#define NORMFUSE_SWEEP_REPORT_H

#include "normfuse/Sweep/FailureCheck.h"
#include "normfuse/Sweep/Grid.h"
#include "normfuse/Sweep/Plan.h"
#include "normfuse/Sweep/RunMetrics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cmath>
#include <string>

namespace normfuse::sweep {

enum class RunState { Missing, Ok, Diverged, Failed };

struct RunResult {
  RunState state = RunState::Missing;
  std::string message;  // Diverged/Failed: the binary's last error line
  int64_t stopStep = 0; // Diverged: the step of the non-finite value
  RunMetrics metrics;
  RunCheck check;
  double finalValLoss = NAN; // Ok: val_loss at the last step
};

/// Writes summary.csv, summary.md, lr.csv, interaction.csv (2 factors) and
/// plots/*.svg into `dir`. `results` is parallel to plan.runs; `unigram` is
/// the unigram loss of the training data (NaN: unknown).
llvm::Error writeReport(const Grid &grid, const Plan &plan,
                        llvm::ArrayRef<RunResult> results, double unigram,
                        llvm::StringRef dir);

} // namespace normfuse::sweep

#endif // NORMFUSE_SWEEP_REPORT_H
