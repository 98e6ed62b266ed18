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

#include <cmath>
#include <cstdint>
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

template <int64_t B, int64_t T, int64_t H, int64_t HD>
void attentionForward(const float *q, const float *k, const float *v,
                      float *out, double ropeTheta /* 0: none */) {
  constexpr int64_t S = B * T * H * HD;
  std::vector<float> qr(q, q + S), kr(k, k + S);
  if (ropeTheta > 0) {
    rope<B, T, H, HD>(qr.data(), ropeTheta, 1.0);
    rope<B, T, H, HD>(kr.data(), ropeTheta, 1.0);
  }
  const float scale = 1.f / std::sqrt(float(HD));
#pragma omp parallel for collapse(2)
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h) {
      std::vector<float> p(T);
      for (int64_t i = 0; i < T; ++i) {
        const float *qi = qr.data() + ((b * T + i) * H + h) * HD;
        float mx = -INFINITY;
        for (int64_t j = 0; j <= i; ++j) {
          const float *kj = kr.data() + ((b * T + j) * H + h) * HD;
          float s = 0.f;
          for (int64_t d = 0; d < HD; ++d)
            s += qi[d] * kj[d];
          p[j] = s * scale;
          mx = std::max(mx, p[j]);
        }
        float sum = 0.f;
        for (int64_t j = 0; j <= i; ++j)
          sum += (p[j] = std::exp(p[j] - mx));
        float *oi = out + ((b * T + i) * H + h) * HD;
        for (int64_t d = 0; d < HD; ++d)
          oi[d] = 0.f;
        for (int64_t j = 0; j <= i; ++j) {
          const float *vj = v + ((b * T + j) * H + h) * HD;
          float w = p[j] / sum;
          for (int64_t d = 0; d < HD; ++d)
            oi[d] += w * vj[d];
        }
      }
    }
}

/// dV = P^T dO; dP = dO V^T; dS = P (dP - rowsum(dP P)); dQ = dS K / sqrt(HD);
/// dK = dS^T Q / sqrt(HD) (on the rotated q, k), then un-rotated.
template <int64_t B, int64_t T, int64_t H, int64_t HD>
void attentionBackward(const float *q, const float *k, const float *v,
                       const float *dout, float *dq, float *dk, float *dv,
                       double ropeTheta) {
  constexpr int64_t S = B * T * H * HD;
  std::vector<float> qr(q, q + S), kr(k, k + S);
  if (ropeTheta > 0) {
    rope<B, T, H, HD>(qr.data(), ropeTheta, 1.0);
    rope<B, T, H, HD>(kr.data(), ropeTheta, 1.0);
  }
  for (int64_t i = 0; i < S; ++i)
    dq[i] = dk[i] = dv[i] = 0.f;
  const float scale = 1.f / std::sqrt(float(HD));
#pragma omp parallel for collapse(2)
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h) {
      std::vector<float> p(T), dp(T);
      for (int64_t i = 0; i < T; ++i) {
        const float *qi = qr.data() + ((b * T + i) * H + h) * HD;
        const float *doi = dout + ((b * T + i) * H + h) * HD;
        float mx = -INFINITY;
        for (int64_t j = 0; j <= i; ++j) {
          const float *kj = kr.data() + ((b * T + j) * H + h) * HD;
          float s = 0.f;
          for (int64_t d = 0; d < HD; ++d)
            s += qi[d] * kj[d];
          p[j] = s * scale;
          mx = std::max(mx, p[j]);
        }
        float sum = 0.f;
        for (int64_t j = 0; j <= i; ++j)
          sum += (p[j] = std::exp(p[j] - mx));
        float dot = 0.f;
        for (int64_t j = 0; j <= i; ++j) {
          p[j] /= sum;
          const float *vj = v + ((b * T + j) * H + h) * HD;
          float g = 0.f;
          for (int64_t d = 0; d < HD; ++d)
            g += doi[d] * vj[d];
          dp[j] = g;
          dot += g * p[j];
        }
        float *dqi = dq + ((b * T + i) * H + h) * HD;
        for (int64_t j = 0; j <= i; ++j) {
          float ds = p[j] * (dp[j] - dot) * scale;
          const float *kj = kr.data() + ((b * T + j) * H + h) * HD;
          float *dkj = dk + ((b * T + j) * H + h) * HD;
          float *dvj = dv + ((b * T + j) * H + h) * HD;
          for (int64_t d = 0; d < HD; ++d) {
            dqi[d] += ds * kj[d];
            dkj[d] += ds * qi[d];
            dvj[d] += p[j] * doi[d];
          }
        }
      }
    }
  if (ropeTheta > 0) {
    rope<B, T, H, HD>(dq, ropeTheta, -1.0);
    rope<B, T, H, HD>(dk, ropeTheta, -1.0);
  }
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_ATTENTIONKERNELS_H
