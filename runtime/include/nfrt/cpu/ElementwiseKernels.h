//===- ElementwiseKernels.h - pointwise and broadcast kernels ---*- C++ -*-===//
//
// Scale vectors, biases, residual adds, activations and the embedding
// lookup, forward and backward. A "suffix broadcast" operand of M values
// repeats over the N leading rows of an [N, M] tensor (nf.add, nf.mul).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CPU_ELEMENTWISEKERNELS_H
#define NFRT_CPU_ELEMENTWISEKERNELS_H

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "nfrt/Sanitizers.h"
#include "nfrt/ScalarMath.h"
#include "nfrt/cpu/VectorMath.h"

namespace nfrt::cpu {

template <int64_t S> void fill(float *out, float value) {
  for (int64_t i = 0; i < S; ++i)
    out[i] = value;
}

template <int64_t S> void copy(const float *in, float *out) {
  if (in != out)
    std::memcpy(out, in, sizeof(float) * S);
}

/// out[r, j] = lhs[r, j] + rhs[j]  (M == N * M for no broadcast: N = 1).
template <int64_t N, int64_t M>
void addBroadcast(const float *lhs, const float *rhs, float *out) {
  if constexpr (N == 1) { // same shape: one flat loop
#pragma omp parallel for if (M > 16384)
    for (int64_t i = 0; i < M; ++i)
      out[i] = lhs[i] + rhs[i];
  } else {
#pragma omp parallel for if (N * M > 16384)
    for (int64_t r = 0; r < N; ++r)
      for (int64_t j = 0; j < M; ++j)
        out[r * M + j] = lhs[r * M + j] + rhs[j];
  }
}

/// out[r, j] = lhs[r, j] * rhs[j].
template <int64_t N, int64_t M>
void mulBroadcast(const float *lhs, const float *rhs, float *out) {
  if constexpr (N == 1) { // same shape: one flat loop
#pragma omp parallel for if (M > 16384)
    for (int64_t i = 0; i < M; ++i)
      out[i] = lhs[i] * rhs[i];
  } else {
#pragma omp parallel for if (N * M > 16384)
    for (int64_t r = 0; r < N; ++r)
      for (int64_t j = 0; j < M; ++j)
        out[r * M + j] = lhs[r * M + j] * rhs[j];
  }
}

/// out[j] = sum_r in[r, j]: the adjoint of a suffix broadcast. Sums run in
/// double: a scalar's gradient adds up every element of a large tensor,
/// often with cancellation.
template <int64_t N, int64_t M> void reduceRows(const float *in, float *out) {
  std::vector<double> acc(M, 0.0);
  for (int64_t r = 0; r < N; ++r)
    for (int64_t j = 0; j < M; ++j)
      acc[j] += in[r * M + j];
  for (int64_t j = 0; j < M; ++j)
    out[j] = float(acc[j]);
}

/// dx = gamma * dy; dgamma = sum over rows of dy * x (nf.scale backward).
template <int64_t N, int64_t D>
void scaleBackward(const float *x, const float *gamma, const float *dy,
                   float *dx, float *dgamma) {
  for (int64_t j = 0; j < D; ++j)
    dgamma[j] = 0.f;
  for (int64_t r = 0; r < N; ++r)
    for (int64_t j = 0; j < D; ++j) {
      dx[r * D + j] = gamma[j] * dy[r * D + j];
      dgamma[j] += dy[r * D + j] * x[r * D + j];
    }
}

/// Exact GELU, x * Phi(x), as torch.nn.functional.gelu.
template <int64_t S> void geluForward(const float *x, float *y) {
#pragma omp parallel for simd
  for (int64_t i = 0; i < S; ++i)
    y[i] = math::gelu(x[i]);
}

/// dx = dy (Phi(x) + x phi(x)).
template <int64_t S>
void geluBackward(const float *x, const float *dy, float *dx) {
#pragma omp parallel for simd
  for (int64_t i = 0; i < S; ++i)
    dx[i] = math::geluGrad(x[i], dy[i]);
}

template <int64_t S> void siluForward(const float *x, float *y) {
#pragma omp parallel for simd
  for (int64_t i = 0; i < S; ++i)
    y[i] = math::silu(x[i]);
}

/// dx = dy s (1 + x (1 - s)), s = sigmoid(x).
template <int64_t S>
void siluBackward(const float *x, const float *dy, float *dx) {
#pragma omp parallel for simd
  for (int64_t i = 0; i < S; ++i)
    dx[i] = math::siluGrad(x[i], dy[i]);
}

/// out[n, :] = table[tokens[n], :]; ids outside [0, V) are a data error
/// caught by the runtime before the step. V defaults to 0 (unknown: the
/// id check sees only negative ids) for callers that name N and D alone.
template <int64_t N, int64_t D, int64_t V = 0>
void embeddingForward(const int32_t *tokens, const float *table, float *out) {
#pragma omp parallel for
  for (int64_t n = 0; n < N; ++n) {
    checkTokenId<V>("embeddingForward", n, tokens[n]);
    std::memcpy(out + n * D, table + int64_t(tokens[n]) * D, sizeof(float) * D);
  }
}

/// dtable[v, :] = sum of dy[n, :] over the n with tokens[n] == v.
template <int64_t N, int64_t V, int64_t D>
void embeddingBackward(const int32_t *tokens, const float *dy, float *dtable) {
  std::memset(dtable, 0, sizeof(float) * V * D);
  for (int64_t n = 0; n < N; ++n) {
    checkTokenId<V>("embeddingBackward", n, tokens[n]);
    float *row = dtable + int64_t(tokens[n]) * D;
    for (int64_t j = 0; j < D; ++j)
      row[j] += dy[n * D + j];
  }
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_ELEMENTWISEKERNELS_H
