//===- FiniteCheck.h - stop on NaN or infinity ------------------*- C++ -*-===//
//
// A diverging run should stop at the first step that produced a NaN or an
// infinity, and say where: "step 123: non-finite value in gradient of
// 'layers.0.attn.wq' (first at index 42)".
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_FINITECHECK_H
#define NFRT_FINITECHECK_H

#include "nfrt/Status.h"
#include "nfrt/TensorView.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace nfrt {

/// The index of the first NaN or infinity among `count` floats. Tests the
/// exponent bits, so it is right even under -ffast-math, and vectorizes.
std::optional<int64_t> findNonFinite(const float *data, int64_t count);

/// Fails with "step <step>: non-finite value in <what> of '<name>' (first
/// at index <i>)" for the first tensor, in order, holding one. `what` is
/// e.g. "gradient" or "parameter".
Status checkFinite(int64_t step, const char *what,
                   const std::vector<TensorView> &tensors);

/// Fails with "step <step>: non-finite <what> (nan)" (or inf, -inf).
Status checkFinite(int64_t step, const char *what, double value);

} // namespace nfrt

#endif // NFRT_FINITECHECK_H
