//===- LossKernels.h - softmax cross-entropy --------------------*- C++ -*-===//
#ifndef NFRT_CPU_LOSSKERNELS_H
#define NFRT_CPU_LOSSKERNELS_H

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "nfrt/Sanitizers.h"
#include "nfrt/cpu/VectorMath.h"

namespace nfrt::cpu {

/// A row's max and sum of exp(x - max): the stable softmax normalizer
/// shared by the forward and the backward. The exps are float (vectorized,
/// a few ulp), their sum is double. A struct, not a pair: clang 19 cannot
/// capture a structured binding in an OpenMP region, and the runtime is
/// compiled by g++ and clang.
struct SoftmaxRow {
  float max;
  double sumExp;
};

template <int64_t V> SoftmaxRow softmaxRow(const float *row) {
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

/// One row's loss, logsumexp(row) - row[target].
inline double rowLoss(const float *row, int32_t target, SoftmaxRow s) {
  return std::log(s.sumExp) + s.max - row[target];
}

/// One row's dlogits: g (softmax(row) - onehot(target)).
template <int64_t V>
void rowLossGrad(const float *row, int32_t target, SoftmaxRow s, float g,
                 float *d) {
  float inv = float(1.0 / s.sumExp);
#pragma omp simd
  for (int64_t j = 0; j < V; ++j)
    d[j] = g * (vExp(row[j] - s.max) * inv);
  d[target] -= g;
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
    total += rowLoss(row, targets[n], softmaxRow<V>(row));
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
    rowLossGrad<V>(row, targets[n], softmaxRow<V>(row), g, dlogits + n * V);
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
    const SoftmaxRow s = softmaxRow<V>(row);
    total += rowLoss(row, targets[n], s);
    rowLossGrad<V>(row, targets[n], s, g, dlogits + n * V);
  }
  *loss = float(total / N);
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_LOSSKERNELS_H
