//===- ScalarMath.h - element math of the CPU and CUDA kernels -*- C++ -*-===//
//
// One definition of each formula that both targets' kernels apply element
// by element: GELU, SiLU, DyT's and Derf's maps and their derivatives, the
// AdamW and Muon updates, gradient clipping and the learning-rate schedules
// (docs/math.md). The CPU kernels (nfrt/cpu) call these inside their
// OpenMP loops, the CUDA kernels (nfrt/cuda) inside theirs, so the two
// targets cannot drift apart; the reference interpreter stays a separate,
// double-precision oracle on purpose. Plain C++ for the host compiler and
// __host__ __device__ under nvcc; erff, expf, tanhf are the C library's on
// the host and CUDA's on the device.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SCALARMATH_H
#define NFRT_SCALARMATH_H

#include <cmath>
#include <cstdint>

#ifdef __CUDACC__
#define NF_SCALAR_HD __host__ __device__ __forceinline__
#else
#define NF_SCALAR_HD inline
#endif

namespace nfrt::math {

//===----------------------------------------------------------------------===//
// Nonlinearities (docs/math.md#gelu, #silu)
//===----------------------------------------------------------------------===//

/// Exact GELU, x Phi(x), as torch.nn.functional.gelu.
NF_SCALAR_HD float gelu(float x) {
  return 0.5f * x * (1.f + erff(x * 0.70710678118654752f));
}

/// dy (Phi(x) + x phi(x)).
NF_SCALAR_HD float geluGrad(float x, float dy) {
  float cdf = 0.5f * (1.f + erff(x * 0.70710678118654752f));
  float pdf = 0.3989422804014327f * expf(-0.5f * x * x);
  return dy * (cdf + x * pdf);
}

/// x sigmoid(x).
NF_SCALAR_HD float silu(float x) { return x / (1.f + expf(-x)); }

/// dy s (1 + x (1 - s)), s = sigmoid(x).
NF_SCALAR_HD float siluGrad(float x, float dy) {
  float s = 1.f / (1.f + expf(-x));
  return dy * s * (1.f + x * (1.f - s));
}

//===----------------------------------------------------------------------===//
// Point-wise norms (docs/math.md#dyt, #derf)
//===----------------------------------------------------------------------===//

/// DyT: tanh(alpha x).
NF_SCALAR_HD float dyt(float x, float alpha) { return tanhf(alpha * x); }

/// DyT's d y / d (alpha x) times dy: (1 - t^2) dy; dx = alpha h and
/// dalpha sums x h.
NF_SCALAR_HD float dytGradH(float x, float alpha, float dy) {
  float t = tanhf(alpha * x);
  return (1.f - t * t) * dy;
}

/// Derf: erf(alpha x + s).
NF_SCALAR_HD float derf(float x, float alpha, float shift) {
  return erff(alpha * x + shift);
}

/// Derf's d y / d z times dy at z = alpha x + s: dy (2 / sqrt(pi))
/// exp(-z^2); dx = alpha h, dalpha sums x h, dshift sums h.
NF_SCALAR_HD float derfGradH(float x, float alpha, float shift, float dy) {
  float z = alpha * x + shift;
  return dy * 1.1283791670955126f * expf(-z * z);
}

//===----------------------------------------------------------------------===//
// Optimizers (docs/math.md#adamw, #muon)
//===----------------------------------------------------------------------===//

/// AdamW's per-step scalars at `step` (counted from 1): the bias-corrected
/// step size lr / (1 - beta1^t) and sqrt(1 - beta2^t).
struct AdamWScalars {
  float stepSize, bc2Sqrt;
};

NF_SCALAR_HD AdamWScalars adamwScalars(float lr, float step, float beta1,
                                       float beta2) {
  return {lr / (1.f - powf(beta1, step)), sqrtf(1.f - powf(beta2, step))};
}

/// One element of AdamW exactly as torch.optim.AdamW's single-tensor path:
/// decay first (p (1 - lr wd), `decay` = 1 - lr wd), then the EMAs of g
/// and g^2 and the bias-corrected step with eps outside the corrected sqrt.
/// `g` is the gradient already scaled (grad_scale, the clip coefficient).
NF_SCALAR_HD void adamwElement(float &p, float &m, float &v, float g,
                               float decay, AdamWScalars c, float beta1,
                               float beta2, float eps) {
  float pi = p * decay;
  float mi = beta1 * m + (1.f - beta1) * g;
  float vi = beta2 * v + (1.f - beta2) * g * g;
  p = pi - c.stepSize * mi / (sqrtf(vi) / c.bc2Sqrt + eps);
  m = mi;
  v = vi;
}

/// Muon's momentum (Keller's lerp form): buf <- beta buf + (1 - beta) g;
/// returns the update, (1 - beta) g + beta buf with Nesterov, else buf.
NF_SCALAR_HD float momentumElement(float &buf, float g, float beta,
                                   bool nesterov) {
  buf = beta * buf + (1.f - beta) * g;
  return nesterov ? (1.f - beta) * g + beta * buf : buf;
}

/// Muon's apply: p (1 - lr wd) - lr factor O.
NF_SCALAR_HD float muonApplyElement(float p, float ortho, float lr,
                                    float factor, float wd) {
  return p * (1.f - lr * wd) - lr * factor * ortho;
}

/// torch.nn.utils.clip_grad_norm_: min(1, max_norm / (norm + 1e-6)).
NF_SCALAR_HD float clipCoef(float norm, float maxNorm) {
  float c = maxNorm / (norm + 1e-6f);
  return c < 1.f ? c : 1.f;
}

enum class Schedule { Constant, WarmupCosine, WSD };

/// The multiplier of the base lr at `step` (counted from 1). Every
/// schedule, constant included, starts with the linear warmup; the cosine
/// is taken in double (one scalar a step).
NF_SCALAR_HD float lrFactor(float step, Schedule kind, int64_t warmup,
                            int64_t total, int64_t decay, float minRatio) {
  if (step <= warmup)
    return step / float(warmup);
  if (kind == Schedule::Constant)
    return 1.f;
  if (kind == Schedule::WarmupCosine) {
    int64_t span = total - warmup > 1 ? total - warmup : 1;
    float p = (step - warmup) / float(span);
    p = p < 1.f ? p : 1.f;
    return minRatio + (1.f - minRatio) * 0.5f *
                          (1.f + cos(3.14159265358979323846 * double(p)));
  }
  float decayStart = float(total - decay);
  if (step <= decayStart)
    return 1.f;
  float p = (step - decayStart) / float(decay);
  return 1.f - (1.f - minRatio) * (p < 1.f ? p : 1.f);
}

} // namespace nfrt::math

#endif // NFRT_SCALARMATH_H
