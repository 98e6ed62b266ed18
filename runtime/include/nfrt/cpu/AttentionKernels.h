//===- AttentionKernels.h - causal multi-head attention ---------*- C++ -*-===//
//
// q, k, v, out: [B, T, H, HD]. RoPE rotates channel pairs (2i, 2i+1) of q
// and k at position t by angle t * theta^(-2i/HD); scores q.k / sqrt(HD)
// with a causal mask. The backward recomputes the probabilities (nothing
// but the inputs is kept) and un-rotates dq and dk (the rotation's adjoint
// is the rotation by the opposite angle).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CPU_ATTENTIONKERNELS_H
#define NFRT_CPU_ATTENTIONKERNELS_H

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace nfrt::cpu {

/// Rotates every (2i, 2i+1) pair of a [B, T, H, HD] tensor in place by
/// sign * t * theta^(-2i/HD).
template <int64_t B, int64_t T, int64_t H, int64_t HD>
void rope(float *x, double theta, double sign) {
#pragma omp parallel for
  for (int64_t t = 0; t < T; ++t)
    for (int64_t i = 0; i < HD / 2; ++i) {
      double angle = sign * t * std::pow(theta, -2.0 * i / HD);
      float c = float(std::cos(angle)), s = float(std::sin(angle));
      for (int64_t b = 0; b < B; ++b)
        for (int64_t h = 0; h < H; ++h) {
          float *p = x + ((b * T + t) * H + h) * HD + 2 * i;
          float x0 = p[0], x1 = p[1];
          p[0] = x0 * c - x1 * s;
          p[1] = x0 * s + x1 * c;
        }
    }
}

/// The causal softmax of one head's scores S [T, T] (row i keeps j <= i),
/// in place; the masked entries become 0.
template <int64_t T> void causalSoftmaxRows(float *S, float scale) {
  for (int64_t i = 0; i < T; ++i) {
    float *row = S + i * T;
    float mx = -INFINITY;
    for (int64_t j = 0; j <= i; ++j)
      mx = std::max(mx, row[j] * scale);
    float sum = 0.f;
    for (int64_t j = 0; j <= i; ++j)
      sum += (row[j] = std::exp(row[j] * scale - mx));
    float inv = 1.f / sum;
    for (int64_t j = 0; j <= i; ++j)
      row[j] *= inv;
    for (int64_t j = i + 1; j < T; ++j)
      row[j] = 0.f;
  }
}

// Each (batch, head) is a strided [T, HD] matrix inside [B, T, H, HD]
// (leading dimension H * HD), so the products are single-threaded sgemms
// over independent heads, split across OpenMP threads.

/// q and k with RoPE applied (copies: the inputs stay as they are).
template <int64_t B, int64_t T, int64_t H, int64_t HD>
std::pair<std::vector<float>, std::vector<float>>
rotatedQK(const float *q, const float *k, double ropeTheta) {
  constexpr int64_t S = B * T * H * HD;
  std::vector<float> qr(q, q + S), kr(k, k + S);
  if (ropeTheta > 0) {
    rope<B, T, H, HD>(qr.data(), ropeTheta, 1.0);
    rope<B, T, H, HD>(kr.data(), ropeTheta, 1.0);
  }
  return {std::move(qr), std::move(kr)};
}

/// P = softmax(Q K^T / sqrt(HD)) with the causal mask, for the head whose
/// strided [T, HD] rows start at q and k (leading dimension LD).
template <int64_t T, int64_t HD>
void headProbabilities(const float *q, const float *k, int64_t ld, float *P) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, T, HD, 1.f, q, ld, k,
              ld, 0.f, P, T);
  causalSoftmaxRows<T>(P, 1.f / std::sqrt(float(HD)));
}

template <int64_t B, int64_t T, int64_t H, int64_t HD>
void attentionForward(const float *q, const float *k, const float *v,
                      float *out, double ropeTheta /* 0: none */) {
  constexpr int64_t LD = H * HD;
  auto [qr, kr] = rotatedQK<B, T, H, HD>(q, k, ropeTheta);
#pragma omp parallel
  {
    std::vector<float> P(T * T);
#pragma omp for collapse(2)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t h = 0; h < H; ++h) {
        int64_t base = b * T * LD + h * HD;
        headProbabilities<T, HD>(qr.data() + base, kr.data() + base, LD,
                                 P.data());
        // O = P V.
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, HD, T, 1.f,
                    P.data(), T, v + base, LD, 0.f, out + base, LD);
      }
  }
}

/// dV = P^T dO; dP = dO V^T; dS = P (dP - rowsum(dP P)) / sqrt(HD);
/// dQ = dS K; dK = dS^T Q (on the rotated q, k), then un-rotated.
template <int64_t B, int64_t T, int64_t H, int64_t HD>
void attentionBackward(const float *q, const float *k, const float *v,
                       const float *dout, float *dq, float *dk, float *dv,
                       double ropeTheta) {
  constexpr int64_t LD = H * HD;
  auto [qr, kr] = rotatedQK<B, T, H, HD>(q, k, ropeTheta);
  const float scale = 1.f / std::sqrt(float(HD));
#pragma omp parallel
  {
    std::vector<float> P(T * T), dP(T * T);
#pragma omp for collapse(2)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t h = 0; h < H; ++h) {
        int64_t base = b * T * LD + h * HD;
        headProbabilities<T, HD>(qr.data() + base, kr.data() + base, LD,
                                 P.data());
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, T, HD, T, 1.f,
                    P.data(), T, dout + base, LD, 0.f, dv + base, LD);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, T, HD, 1.f,
                    dout + base, LD, v + base, LD, 0.f, dP.data(), T);
        for (int64_t i = 0; i < T; ++i) {
          float *p = P.data() + i * T, *g = dP.data() + i * T;
          float dot = 0.f;
          for (int64_t j = 0; j <= i; ++j)
            dot += g[j] * p[j];
          for (int64_t j = 0; j <= i; ++j)
            g[j] = p[j] * (g[j] - dot) * scale;
          for (int64_t j = i + 1; j < T; ++j)
            g[j] = 0.f;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, HD, T, 1.f,
                    dP.data(), T, kr.data() + base, LD, 0.f, dq + base, LD);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, T, HD, T, 1.f,
                    dP.data(), T, qr.data() + base, LD, 0.f, dk + base, LD);
      }
  }
  if (ropeTheta > 0) {
    rope<B, T, H, HD>(dq, ropeTheta, -1.0);
    rope<B, T, H, HD>(dk, ropeTheta, -1.0);
  }
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_ATTENTIONKERNELS_H
