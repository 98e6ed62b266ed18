//===- LossKernels.h - softmax cross-entropy --------------------*- C++ -*-===//
#ifndef NFRT_CPU_LOSSKERNELS_H
#define NFRT_CPU_LOSSKERNELS_H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "nfrt/Sanitizers.h"
#include "nfrt/cpu/VectorMath.h"

namespace nfrt::cpu {

/// The row's max and sum of exp(x - max): the stable softmax normalizer
/// shared by the forward and the backward. The exps are float (vectorized,
/// a few ulp), their sum is double.
template <int64_t V> std::pair<float, double> maxAndSumExp(const float *row) {
  float mx = row[0];
#pragma omp simd reduction(max : mx)
  for (int64_t j = 1; j < V; ++j)
    mx = std::max(mx, row[j]);
  double sum = 0.0;
#pragma omp simd reduction(+ : sum)
  for (int64_t j = 0; j < V; ++j)
    sum += double(vExp(row[j] - mx));
  return {mx, sum};
}

/// loss = mean over the N rows of logsumexp(logits) - logits[target].
template <int64_t N, int64_t V>
void crossEntropyForward(const float *logits, const int32_t *targets,
                         float *loss) {
  double total = 0.0;
#pragma omp parallel for reduction(+ : total)
  for (int64_t n = 0; n < N; ++n) {
    const float *row = logits + n * V;
    checkTokenId<V>("crossEntropyForward", n, targets[n]);
    // No structured binding: clang 19 cannot capture one in an OpenMP
    // region, and the runtime is compiled by g++ and clang.
    const std::pair<float, double> stats = maxAndSumExp<V>(row);
    const float mx = stats.first;
    const double sum = stats.second;
    total += std::log(sum) + mx - row[targets[n]];
  }
  *loss = float(total / N);
}

/// dlogits = dloss (softmax(logits) - onehot(target)) / N.
template <int64_t N, int64_t V>
void crossEntropyBackward(const float *logits, const int32_t *targets,
                          const float *dloss, float *dlogits) {
  float g = *dloss / N;
#pragma omp parallel for
  for (int64_t n = 0; n < N; ++n) {
    const float *row = logits + n * V;
    checkTokenId<V>("crossEntropyBackward", n, targets[n]);
    // No structured binding: clang 19 cannot capture one in an OpenMP
    // region, and the runtime is compiled by g++ and clang.
    const std::pair<float, double> stats = maxAndSumExp<V>(row);
    const float mx = stats.first;
    const double sum = stats.second;
    float inv = float(1.0 / sum);
    float *d = dlogits + n * V;
#pragma omp simd
    for (int64_t j = 0; j < V; ++j)
      d[j] = g * (vExp(row[j] - mx) * inv);
    d[targets[n]] -= g;
  }
}

/// The loss and dlogits = seed (softmax(logits) - onehot(target)) / N in
/// one pass per row (nf.fused_cross_entropy): each row's max and softmax
/// normalizer found once for both. The same arithmetic as
/// crossEntropyForward then crossEntropyBackward with *dloss = seed, so
/// the same bits, with one pass over the [N, V] logits fewer.
template <int64_t N, int64_t V>
void crossEntropyFused(const float *logits, const int32_t *targets, float *loss,
                       float *dlogits, float seed) {
  float g = seed / N;
  double total = 0.0;
#pragma omp parallel for reduction(+ : total)
  for (int64_t n = 0; n < N; ++n) {
    const float *row = logits + n * V;
    checkTokenId<V>("crossEntropyFused", n, targets[n]);
    // No structured binding: clang 19 cannot capture one in an OpenMP
    // region, and the runtime is compiled by g++ and clang.
    const std::pair<float, double> stats = maxAndSumExp<V>(row);
    const float mx = stats.first;
    const double sum = stats.second;
    total += std::log(sum) + mx - row[targets[n]];
    float inv = float(1.0 / sum);
    float *d = dlogits + n * V;
#pragma omp simd
    for (int64_t j = 0; j < V; ++j)
      d[j] = g * (vExp(row[j] - mx) * inv);
    d[targets[n]] -= g;
  }
  *loss = float(total / N);
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_LOSSKERNELS_H
