//===- RunMetrics.h - one run's metrics.jsonl -------------------*- C++ -*-===//
//
// The training binary appends a record per log step ("step", "loss", ...,
// diagnostics) and one per evaluation ("step", "val_loss"). A run resumed
// from a checkpoint logs the steps after the checkpoint again, and a kill
// can leave half a line at the end: the last record of a step wins and an
// unparsable last line is ignored.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SWEEP_RUNMETRICS_H
#define NORMFUSE_SWEEP_RUNMETRICS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>

namespace normfuse::sweep {

using StepSeries = std::map<int64_t, double>; // step -> value (NaN: null)

struct RunMetrics {
  StepSeries loss, valLoss;
  /// Every other numeric field of the log records, by key: "lr",
  /// "grad_norm", "sat_frac.<layer>", "sigma_max.<weight>", ...
  std::map<std::string, StepSeries> fields;
  int64_t lastStep = 0; // of any record
};

/// Parses metrics text; `path` names it in errors (a bad line other than
/// the last one).
llvm::Expected<RunMetrics> parseMetrics(llvm::StringRef text,
                                        llvm::StringRef path);

/// Reads a metrics file.
llvm::Expected<RunMetrics> readMetrics(llvm::StringRef path);

} // namespace normfuse::sweep

#endif // NORMFUSE_SWEEP_RUNMETRICS_H
