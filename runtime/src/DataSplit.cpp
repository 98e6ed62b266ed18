//===- DataSplit.cpp - train and validation streams -----------------------===//
#include "nfrt/DataSplit.h"

#include <cmath>
#include <cstdio>

using namespace nfrt;

Expected<TrainValData> nfrt::splitTrainVal(const TokenStream &all,
                                           double valFraction) {
  if (!(valFraction >= 0.0 && valFraction < 1.0)) {
    char text[64];
    std::snprintf(text, sizeof(text), "%g", valFraction);
    return Status::error("the validation fraction must be in [0, 1), not " +
                         std::string(text));
  }
  uint64_t n = all.numTokens();
  auto numVal = uint64_t(std::floor(double(n) * valFraction));
  uint64_t boundary = n - numVal;
  TrainValData data;
  data.train = all.slice(0, boundary, all.source() + " (training part)");
  data.val = all.slice(boundary, n, all.source() + " (validation part)");
  return std::move(data);
}
