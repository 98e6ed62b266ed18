//===- OptimizerKernels.h - AdamW, Muon pieces, clipping, schedules -*- C++
//-*-===//
//
// AdamW exactly as torch.optim.AdamW's single-tensor path (docs/math.md#adamw):
// decay first, then the bias-corrected step with eps outside the corrected
// sqrt. Muon's momentum and update (docs/math.md#muon); Newton-Schulz is in
// LinearKernels.h. `gradScale` is the ops' grad_scale (the clip coefficient,
// 1 without one): the gradient is g * gradScale in fp32, rounded once, the
// value torch.nn.utils.clip_grad_norm_ leaves (a product with 1 is exact).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CPU_OPTIMIZERKERNELS_H
#define NFRT_CPU_OPTIMIZERKERNELS_H

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "nfrt/AdamWTensor.h"
#include "nfrt/ScalarMath.h"

namespace nfrt::cpu {

using math::AdamWScalars;
// clip_grad_norm_'s coefficient and the lr schedules (the generated step
// calls them unqualified; one declaration, so no overload is ambiguous).
using math::clipCoef;
using math::lrFactor;
using math::Schedule;

/// AdamW on n contiguous elements (math::adamwElement); the outputs may be
/// the inputs (every element is read before it is written).
inline void adamwSpan(const float *p, const float *g, const float *m,
                      const float *v, float *pOut, float *mOut, float *vOut,
                      int64_t n, float lr, const AdamWScalars &c, float beta1,
                      float beta2, float eps, float wd, float gradScale) {
  const float decay = 1.f - lr * wd;
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) {
    float pi = p[i], mi = m[i], vi = v[i];
    math::adamwElement(pi, mi, vi, g[i] * gradScale, decay, c, beta1, beta2,
                       eps);
    pOut[i] = pi;
    mOut[i] = mi;
    vOut[i] = vi;
  }
}

template <int64_t S>
void adamw(const float *p, const float *g, const float *m, const float *v,
           float lr, float step, float gradScale, float beta1, float beta2,
           float eps, float wd, float *pOut, float *mOut, float *vOut) {
  AdamWScalars c = math::adamwScalars(lr, step, beta1, beta2);
  constexpr int64_t kChunk = 16384;
#pragma omp parallel for if (S > kChunk)
  for (int64_t i0 = 0; i0 < S; i0 += kChunk) {
    int64_t n = std::min(kChunk, S - i0);
    adamwSpan(p + i0, g + i0, m + i0, v + i0, pOut + i0, mOut + i0, vOut + i0,
              n, lr, c, beta1, beta2, eps, wd, gradScale);
  }
}

/// One tensor of a multi-tensor AdamW, updated in place.
using nfrt::AdamWTensor;

/// AdamW over COUNT tensors (TOTAL elements) in one parallel loop: the
/// concatenated elements are cut into equal chunks, so small tensors (scale
/// vectors, scalars) share threads with large ones instead of each paying
/// for a parallel region of its own.
template <int64_t COUNT, int64_t TOTAL>
void adamwMulti(const AdamWTensor (&t)[COUNT], float lr, float step,
                float gradScale, float beta1, float beta2, float eps) {
  AdamWScalars c = math::adamwScalars(lr, step, beta1, beta2);
  int64_t start[COUNT + 1];
  start[0] = 0;
  for (int64_t k = 0; k < COUNT; ++k)
    start[k + 1] = start[k] + t[k].n;
  constexpr int64_t kChunk = 16384;
  constexpr int64_t chunks = (TOTAL + kChunk - 1) / kChunk;
#pragma omp parallel for schedule(static)
  for (int64_t ch = 0; ch < chunks; ++ch) {
    int64_t lo = ch * kChunk, hi = std::min(TOTAL, lo + kChunk);
    // The first tensor that ends after lo.
    int64_t k = std::upper_bound(start, start + COUNT + 1, lo) - start - 1;
    for (; k < COUNT && start[k] < hi; ++k) {
      int64_t a = std::max(lo, start[k]) - start[k];
      int64_t b = std::min(hi, start[k + 1]) - start[k];
      const AdamWTensor &x = t[k];
      adamwSpan(x.p + a, x.g + a, x.m + a, x.v + a, x.p + a, x.m + a, x.v + a,
                b - a, lr, c, beta1, beta2, eps, x.wd, gradScale);
    }
  }
}

/// buf <- beta buf + (1 - beta) g; update = nesterov ? (1 - beta) g +
/// beta buf : buf (Keller's lerp form).
template <int64_t S>
void momentum(const float *g, const float *buf, float gradScale, float beta,
              bool nesterov, float *bufOut, float *update) {
  for (int64_t i = 0; i < S; ++i) {
    float b = buf[i];
    update[i] = math::momentumElement(b, g[i] * gradScale, beta, nesterov);
    bufOut[i] = b;
  }
}

/// p <- p (1 - lr wd) - lr factor O.
template <int64_t S>
void muonApply(const float *p, const float *ortho, float lr, float factor,
               float wd, float *out) {
  for (int64_t i = 0; i < S; ++i)
    out[i] = math::muonApplyElement(p[i], ortho[i], lr, factor, wd);
}

template <int64_t S> double sumOfSquares(const float *x) {
  double s = 0.0;
  for (int64_t i = 0; i < S; ++i)
    s += double(x[i]) * x[i];
  return s;
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_OPTIMIZERKERNELS_H
