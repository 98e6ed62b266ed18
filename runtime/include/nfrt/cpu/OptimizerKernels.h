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

namespace nfrt::cpu {

/// The bias corrections of AdamW at `step` (counted from 1).
struct AdamWScalars {
  float stepSize, bc2Sqrt;
  AdamWScalars(float lr, float step, float beta1, float beta2)
      : stepSize(lr / (1.f - std::pow(beta1, step))),
        bc2Sqrt(std::sqrt(1.f - std::pow(beta2, step))) {}
};

/// AdamW on n contiguous elements; the outputs may be the inputs (every
/// element is read before it is written).
inline void adamwSpan(const float *p, const float *g, const float *m,
                      const float *v, float *pOut, float *mOut, float *vOut,
                      int64_t n, float lr, const AdamWScalars &c, float beta1,
                      float beta2, float eps, float wd, float gradScale) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) {
    float gi = g[i] * gradScale;
    float pi = p[i] * (1.f - lr * wd);
    float mi = beta1 * m[i] + (1.f - beta1) * gi;
    float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
    float denom = std::sqrt(vi) / c.bc2Sqrt + eps;
    pOut[i] = pi - c.stepSize * mi / denom;
    mOut[i] = mi;
    vOut[i] = vi;
  }
}

template <int64_t S>
void adamw(const float *p, const float *g, const float *m, const float *v,
           float lr, float step, float gradScale, float beta1, float beta2,
           float eps, float wd, float *pOut, float *mOut, float *vOut) {
  AdamWScalars c(lr, step, beta1, beta2);
  constexpr int64_t kChunk = 16384;
#pragma omp parallel for if (S > kChunk)
  for (int64_t i0 = 0; i0 < S; i0 += kChunk) {
    int64_t n = std::min(kChunk, S - i0);
    adamwSpan(p + i0, g + i0, m + i0, v + i0, pOut + i0, mOut + i0, vOut + i0,
              n, lr, c, beta1, beta2, eps, wd, gradScale);
  }
}

/// One tensor of a multi-tensor AdamW, updated in place.
struct AdamWTensor {
  float *p;
  const float *g;
  float *m, *v;
  int64_t n;
  float wd;
};

/// AdamW over COUNT tensors (TOTAL elements) in one parallel loop: the
/// concatenated elements are cut into equal chunks, so small tensors (scale
/// vectors, scalars) share threads with large ones instead of each paying
/// for a parallel region of its own.
template <int64_t COUNT, int64_t TOTAL>
void adamwMulti(const AdamWTensor (&t)[COUNT], float lr, float step,
                float gradScale, float beta1, float beta2, float eps) {
  AdamWScalars c(lr, step, beta1, beta2);
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
    float gi = g[i] * gradScale;
    float b = beta * buf[i] + (1.f - beta) * gi;
    bufOut[i] = b;
    update[i] = nesterov ? (1.f - beta) * gi + beta * b : b;
  }
}

/// p <- p (1 - lr wd) - lr factor O.
template <int64_t S>
void muonApply(const float *p, const float *ortho, float lr, float factor,
               float wd, float *out) {
  for (int64_t i = 0; i < S; ++i)
    out[i] = p[i] * (1.f - lr * wd) - lr * factor * ortho[i];
}

template <int64_t S> double sumOfSquares(const float *x) {
  double s = 0.0;
  for (int64_t i = 0; i < S; ++i)
    s += double(x[i]) * x[i];
  return s;
}

/// torch.nn.utils.clip_grad_norm_: min(1, max_norm / (norm + 1e-6)).
inline float clipCoef(float norm, float maxNorm) {
  return std::min(1.f, maxNorm / (norm + 1e-6f));
}

enum class Schedule { Constant, WarmupCosine, WSD };

/// The multiplier of the base lr at `step` (counted from 1).
inline float lrFactor(float step, Schedule kind, int64_t warmup, int64_t total,
                      int64_t decay, float minRatio) {
  // Every schedule, constant included, starts with the linear warmup.
  if (step <= warmup)
    return step / float(warmup);
  if (kind == Schedule::Constant)
    return 1.f;
  if (kind == Schedule::WarmupCosine) {
    float p = (step - warmup) / float(std::max<int64_t>(1, total - warmup));
    p = std::min(1.f, p);
    return minRatio + (1.f - minRatio) * 0.5f * (1.f + std::cos(M_PI * p));
  }
  float decayStart = float(total - decay);
  if (step <= decayStart)
    return 1.f;
  float p = std::min(1.f, (step - decayStart) / float(decay));
  return 1.f - (1.f - minRatio) * p;
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_OPTIMIZERKERNELS_H
