//===- Diagnostics.h - per-step diagnostics from the parameters -*- C++ -*-===//
//
// docs/math.md#diagnostics, the parts computable from the parameters:
// `sigma_max` of every 2-D weight by 8 steps of power iteration, warm-started
// from the previous call's vector, and `gamma_rms` of every scale vector.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_DIAGNOSTICS_H
#define NFRT_DIAGNOSTICS_H

#include "nfrt/JsonLines.h"
#include "nfrt/Model.h"

#include <string>
#include <vector>

namespace nfrt {

class ParamDiagnostics {
public:
  explicit ParamDiagnostics(const ModelInfo &model);

  /// Adds sigma_max.<name> and gamma_rms.<name> fields to `record`.
  void add(const float *params, JsonRecord &record);

private:
  const ModelInfo &model;
  std::vector<std::vector<double>> vectors; // power-iteration state per param
};

} // namespace nfrt

#endif // NFRT_DIAGNOSTICS_H
