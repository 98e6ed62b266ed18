//===- FailureCheck.cpp - runs that did not train -------------------------===//
#include "normfuse/Sweep/FailureCheck.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

using namespace normfuse::sweep;

double normfuse::sweep::unigramEntropy(llvm::StringRef bytes) {
  std::array<uint64_t, 256> counts{};
  for (char c : bytes)
    ++counts[uint8_t(c)];
  double n = double(bytes.size()), h = 0;
  for (uint64_t c : counts)
    if (c)
      h -= c / n * std::log(c / n);
  return h;
}

RunCheck normfuse::sweep::checkRun(const RunMetrics &metrics, double unigram,
                                   int64_t steps) {
  RunCheck check;
  if (std::isfinite(unigram)) {
    // The median of a centred window of three log records: one lucky batch
    // is not leaving the plateau.
    std::vector<std::pair<int64_t, double>> loss(metrics.loss.begin(),
                                                 metrics.loss.end());
    for (size_t i = 0; i < loss.size(); ++i) {
      std::array<double, 3> w = {loss[i > 0 ? i - 1 : 0].second, loss[i].second,
                                 loss[std::min(i + 1, loss.size() - 1)].second};
      std::sort(w.begin(), w.end());
      if (w[1] < unigram - kUnigramMargin) {
        check.leftUnigramAt = loss[i].first;
        break;
      }
    }
    check.stuck = !check.leftUnigramAt || *check.leftUnigramAt > steps / 2;
  }
  for (const auto &[key, series] : metrics.fields) {
    if (!llvm::StringRef(key).starts_with("sat_frac.") || series.empty())
      continue;
    double sum = 0;
    int n = 0;
    for (auto it = series.rbegin(); it != series.rend() && n < 3; ++it, ++n)
      sum += it->second;
    double v = sum / n;
    if (std::isnan(check.satFrac) || v > check.satFrac) {
      check.satFrac = v;
      check.satLayer = key.substr(std::string("sat_frac.").size());
    }
  }
  check.saturated = check.satFrac > kSaturatedFraction;
  return check;
}
