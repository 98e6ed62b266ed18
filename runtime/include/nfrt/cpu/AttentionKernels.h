//===- AttentionKernels.h - causal multi-head attention ---------*- C++ -*-===//
//
// q, k, v, out: [B, T, H, HD]. RoPE rotates channel pairs (2i, 2i+1) of q
// and k at position t by angle t * theta^(-2i/HD); scores q.k / sqrt(HD)
// with a causal mask. The backward recomputes the probabilities (nothing
// but the inputs is kept) and un-rotates dq and dk (the rotation's adjoint
// is the rotation by the opposite angle).
//
// Work is split by (batch, head) across OpenMP threads. Each thread copies
// its head's q and k into contiguous [T, HD] scratch, rotating them on the
// way (so RoPE costs one pass and no allocation), and runs the products as
// single-threaded sgemms over causal row blocks: rows [i0, i0 + kBlock) only
// meet keys [0, i0 + kBlock), which skips (1 - (n + 1) / 2n) of the score
// work for n blocks (37.5% at T = 256).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CPU_ATTENTIONKERNELS_H
#define NFRT_CPU_ATTENTIONKERNELS_H

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "nfrt/cpu/VectorMath.h"

namespace nfrt::cpu {

/// Rows per causal block: large enough for efficient sgemms, small enough
/// to skip most of the masked half.
#ifndef NFRT_ATTENTION_BLOCK
#define NFRT_ATTENTION_BLOCK 64
#endif
constexpr int64_t kAttentionBlock = NFRT_ATTENTION_BLOCK;

/// cos and sin of t * theta^(-2i/HD) for t < T, i < HD/2 (computed in
/// double, stored in float), rebuilt only when theta changes.
template <int64_t T, int64_t HD> const float *ropeTable(double theta) {
  static std::vector<float> table;
  static double cached = -1.0;
  if (cached != theta) {
    table.resize(2 * T * (HD / 2));
    for (int64_t t = 0; t < T; ++t)
      for (int64_t i = 0; i < HD / 2; ++i) {
        double angle = t * std::pow(theta, -2.0 * i / HD);
        table[2 * (t * (HD / 2) + i)] = float(std::cos(angle));
        table[2 * (t * (HD / 2) + i) + 1] = float(std::sin(angle));
      }
    cached = theta;
  }
  return table.data();
}

/// dst row t = src row t rotated by sign * angle(t) (a plain copy when
/// table is null); rows of HD values with leading dimensions srcLd, dstLd.
template <int64_t T, int64_t HD>
void rotateRows(const float *src, int64_t srcLd, const float *table, float sign,
                float *dst, int64_t dstLd) {
  for (int64_t t = 0; t < T; ++t) {
    const float *s = src + t * srcLd;
    float *d = dst + t * dstLd;
    if (!table) {
      std::memcpy(d, s, sizeof(float) * HD);
      continue;
    }
    const float *cs = table + 2 * t * (HD / 2);
    for (int64_t i = 0; i < HD / 2; ++i) {
      float c = cs[2 * i], sn = sign * cs[2 * i + 1];
      float x0 = s[2 * i], x1 = s[2 * i + 1];
      d[2 * i] = x0 * c - x1 * sn;
      d[2 * i + 1] = x0 * sn + x1 * c;
    }
  }
}

/// One head's strided rows (leading dimension ld) into contiguous [T, HD].
template <int64_t T, int64_t HD>
void gatherHead(const float *src, int64_t ld, const float *table, float sign,
                float *dst) {
  rotateRows<T, HD>(src, ld, table, sign, dst, HD);
}

/// Contiguous [T, HD] back into one head's strided rows.
template <int64_t T, int64_t HD>
void scatterHead(const float *src, const float *table, float sign, float *dst,
                 int64_t ld) {
  rotateRows<T, HD>(src, HD, table, sign, dst, ld);
}

/// Softmax of score rows [i0, i1) in place (row i keeps columns j <= i;
/// columns i < j < i1 become 0). Rows have leading dimension T.
template <int64_t T>
void causalSoftmaxBlock(float *S, int64_t i0, int64_t i1, float scale) {
  for (int64_t i = i0; i < i1; ++i) {
    float *row = S + i * T;
    float mx = -INFINITY;
#pragma omp simd reduction(max : mx)
    for (int64_t j = 0; j <= i; ++j)
      mx = std::max(mx, row[j] * scale);
    float sum = 0.f;
#pragma omp simd reduction(+ : sum)
    for (int64_t j = 0; j <= i; ++j) {
      row[j] = vExp(row[j] * scale - mx);
      sum += row[j];
    }
    float inv = 1.f / sum;
#pragma omp simd
    for (int64_t j = 0; j <= i; ++j)
      row[j] *= inv;
    for (int64_t j = i + 1; j < i1; ++j)
      row[j] = 0.f;
  }
}

/// P[i0:i1, 0:i1] = causal softmax(Q K^T / sqrt(HD)) for every row block,
/// on one head's contiguous rotated q and k ([T, HD]). P has leading
/// dimension T; entries right of a block's key range are never read.
template <int64_t T, int64_t HD>
void headProbabilities(const float *q, const float *k, float *P) {
  const float scale = 1.f / std::sqrt(float(HD));
  for (int64_t i0 = 0; i0 < T; i0 += kAttentionBlock) {
    int64_t i1 = std::min(T, i0 + kAttentionBlock);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, i1 - i0, i1, HD, 1.f,
                q + i0 * HD, HD, k, HD, 0.f, P + i0 * T, T);
    causalSoftmaxBlock<T>(P, i0, i1, scale);
  }
}

/// Per-thread scratch of `n` floats that lives across calls (a step runs
/// its kernels one after another, so reuse is safe and costs no page
/// faults).
inline float *attentionScratch(int64_t n) {
  static thread_local std::vector<float> buffer;
  if (int64_t(buffer.size()) < n)
    buffer.resize(n);
  return buffer.data();
}

template <int64_t B, int64_t T, int64_t H, int64_t HD>
void attentionForward(const float *q, const float *k, const float *v,
                      float *out, double ropeTheta /* 0: none */) {
  constexpr int64_t LD = H * HD;
  const float *table = ropeTheta > 0 ? ropeTable<T, HD>(ropeTheta) : nullptr;
#pragma omp parallel
  {
    float *qh = attentionScratch(2 * T * HD + T * T);
    float *kh = qh + T * HD, *P = kh + T * HD;
#pragma omp for collapse(2)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t h = 0; h < H; ++h) {
        int64_t base = b * T * LD + h * HD;
        gatherHead<T, HD>(q + base, LD, table, 1.f, qh);
        gatherHead<T, HD>(k + base, LD, table, 1.f, kh);
        headProbabilities<T, HD>(qh, kh, P);
        // O[i0:i1] = P[i0:i1, 0:i1] V[0:i1].
        for (int64_t i0 = 0; i0 < T; i0 += kAttentionBlock) {
          int64_t i1 = std::min(T, i0 + kAttentionBlock);
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, i1 - i0, HD,
                      i1, 1.f, P + i0 * T, T, v + base, LD, 0.f,
                      out + base + i0 * LD, LD);
        }
      }
  }
}

/// dV = P^T dO; dP = dO V^T; dS = P (dP - rowsum(dP P)) / sqrt(HD);
/// dQ = dS K; dK = dS^T Q (on the rotated q, k), then un-rotated. Each
/// product runs over the causal row blocks only.
template <int64_t B, int64_t T, int64_t H, int64_t HD>
void attentionBackward(const float *q, const float *k, const float *v,
                       const float *dout, float *dq, float *dk, float *dv,
                       double ropeTheta) {
  constexpr int64_t LD = H * HD;
  const float *table = ropeTheta > 0 ? ropeTable<T, HD>(ropeTheta) : nullptr;
  const float scale = 1.f / std::sqrt(float(HD));
#pragma omp parallel
  {
    float *qh = attentionScratch(5 * T * HD + 2 * T * T);
    float *kh = qh + T * HD, *dqh = kh + T * HD, *dkh = dqh + T * HD,
          *dvh = dkh + T * HD, *P = dvh + T * HD, *dP = P + T * T;
#pragma omp for collapse(2)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t h = 0; h < H; ++h) {
        int64_t base = b * T * LD + h * HD;
        gatherHead<T, HD>(q + base, LD, table, 1.f, qh);
        gatherHead<T, HD>(k + base, LD, table, 1.f, kh);
        headProbabilities<T, HD>(qh, kh, P);
        for (int64_t i0 = 0; i0 < T; i0 += kAttentionBlock) {
          int64_t i1 = std::min(T, i0 + kAttentionBlock), n = i1 - i0;
          const float *dO = dout + base + i0 * LD;
          float *Pb = P + i0 * T, *dPb = dP + i0 * T;
          // dV[0:i1] (+)= P[i0:i1, 0:i1]^T dO[i0:i1]: rows [0, i0) were
          // written by earlier blocks and are added to; rows [i0, i1) are
          // reached first here and written.
          if (i0 > 0)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, i0, HD, n, 1.f,
                        Pb, T, dO, LD, 1.f, dvh, HD);
          cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, HD, n, 1.f,
                      Pb + i0, T, dO, LD, 0.f, dvh + i0 * HD, HD);
          // dP[i0:i1, 0:i1] = dO[i0:i1] V[0:i1]^T.
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, i1, HD, 1.f,
                      dO, LD, v + base, LD, 0.f, dPb, T);
          for (int64_t i = i0; i < i1; ++i) {
            float *p = P + i * T, *g = dP + i * T;
            float dot = 0.f;
#pragma omp simd reduction(+ : dot)
            for (int64_t j = 0; j <= i; ++j)
              dot += g[j] * p[j];
#pragma omp simd
            for (int64_t j = 0; j <= i; ++j)
              g[j] = p[j] * (g[j] - dot) * scale;
            for (int64_t j = i + 1; j < i1; ++j)
              g[j] = 0.f;
          }
          // dQ[i0:i1] = dS[i0:i1, 0:i1] K[0:i1].
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, HD, i1, 1.f,
                      dPb, T, kh, HD, 0.f, dqh + i0 * HD, HD);
          // dK[0:i1] (+)= dS[i0:i1, 0:i1]^T Q[i0:i1], as for dV.
          if (i0 > 0)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, i0, HD, n, 1.f,
                        dPb, T, qh + i0 * HD, HD, 1.f, dkh, HD);
          cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, HD, n, 1.f,
                      dPb + i0, T, qh + i0 * HD, HD, 0.f, dkh + i0 * HD, HD);
        }
        scatterHead<T, HD>(dqh, table, -1.f, dq + base, LD);
        scatterHead<T, HD>(dkh, table, -1.f, dk + base, LD);
        scatterHead<T, HD>(dvh, nullptr, 1.f, dv + base, LD);
      }
  }
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_ATTENTIONKERNELS_H
