//===- FiniteCheck.cpp - stop on NaN or infinity --------------------------===//
#include "nfrt/FiniteCheck.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace nfrt;

std::optional<int64_t> nfrt::findNonFinite(const float *data, int64_t count) {
  // A float is NaN or infinite exactly when its 8 exponent bits are all
  // ones. Blocks are scanned without an early exit (so the loop vectorizes)
  // and only a block that has one is searched for the first index.
  constexpr int64_t kBlock = 4096;
  constexpr uint32_t kExponent = 0x7F800000u;
  for (int64_t begin = 0; begin < count; begin += kBlock) {
    int64_t end = std::min(count, begin + kBlock);
    uint32_t any = 0;
    for (int64_t i = begin; i < end; ++i) {
      uint32_t bits;
      std::memcpy(&bits, data + i, sizeof(bits));
      any |= uint32_t((bits & kExponent) == kExponent);
    }
    if (!any)
      continue;
    for (int64_t i = begin; i < end; ++i) {
      uint32_t bits;
      std::memcpy(&bits, data + i, sizeof(bits));
      if ((bits & kExponent) == kExponent)
        return i;
    }
  }
  return std::nullopt;
}

Status nfrt::checkFinite(int64_t step, const char *what,
                         const std::vector<TensorView> &tensors) {
  for (const TensorView &t : tensors)
    if (std::optional<int64_t> index = findNonFinite(t.data, t.numel()))
      return Status::error("step " + std::to_string(step) +
                           ": non-finite value in " + what + " of '" + t.name +
                           "' (first at index " + std::to_string(*index) + ")");
  return Status::ok();
}

Status nfrt::checkFinite(int64_t step, const char *what, double value) {
  if (std::isfinite(value))
    return Status::ok();
  const char *kind = std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf";
  return Status::error("step " + std::to_string(step) + ": non-finite " + what +
                       " (" + kind + ")");
}
