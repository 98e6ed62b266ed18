//===- NormKernels.h - normalization kernels, forward and backward -*- C++
//-*-===//
//
// Shape-specialized CPU kernels for the parameter-free normalizations
// (docs/math.md#normalizations; #derf-ema-blend for the EMA blend). Row
// kernels reduce in float over one row of D values and keep nothing but
// the recomputable per-row statistic; OpenMP splits the rows.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CPU_NORMKERNELS_H
#define NFRT_CPU_NORMKERNELS_H

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "nfrt/ScalarMath.h"
#include "nfrt/cpu/VectorMath.h"
#include <utility>

namespace nfrt::cpu {

/// rstd = 1 / sqrt(mean(x^2) + eps); y = x * rstd.
template <int64_t N, int64_t D>
void rmsnormForward(const float *x, float *y, float eps) {
#pragma omp parallel for
  for (int64_t r = 0; r < N; ++r) {
    const float *xr = x + r * D;
    float ss = 0.f;
    for (int64_t j = 0; j < D; ++j)
      ss += xr[j] * xr[j];
    float rstd = 1.f / std::sqrt(ss / D + eps);
    for (int64_t j = 0; j < D; ++j)
      y[r * D + j] = xr[j] * rstd;
  }
}

/// dx = rstd * (dy - xhat * mean(dy * xhat)), xhat = x * rstd
/// (docs/math.md#rmsnorm).
template <int64_t N, int64_t D>
void rmsnormBackward(const float *x, const float *dy, float *dx, float eps) {
#pragma omp parallel for
  for (int64_t r = 0; r < N; ++r) {
    const float *xr = x + r * D, *gr = dy + r * D;
    float ss = 0.f, dot = 0.f;
    for (int64_t j = 0; j < D; ++j) {
      ss += xr[j] * xr[j];
      dot += gr[j] * xr[j];
    }
    float rstd = 1.f / std::sqrt(ss / D + eps);
    // mean(dy * xhat) = rstd * dot / D
    float c = rstd * rstd * rstd * dot / D;
    for (int64_t j = 0; j < D; ++j)
      dx[r * D + j] = rstd * gr[j] - c * xr[j];
  }
}

/// The mean and 1 / sqrt(var + eps) of one row (biased variance, two
/// passes); the backward recomputes them rather than caching.
template <int64_t D>
std::pair<float, float> layernormRowStats(const float *xr, float eps) {
  float mean = 0.f;
  for (int64_t j = 0; j < D; ++j)
    mean += xr[j];
  mean /= D;
  float var = 0.f;
  for (int64_t j = 0; j < D; ++j)
    var += (xr[j] - mean) * (xr[j] - mean);
  return {mean, 1.f / std::sqrt(var / D + eps)};
}

/// y = (x - mean) / sqrt(var + eps), biased variance (docs/math.md#layernorm).
template <int64_t N, int64_t D>
void layernormForward(const float *x, float *y, float eps) {
#pragma omp parallel for
  for (int64_t r = 0; r < N; ++r) {
    const float *xr = x + r * D;
    // No structured binding: clang 19 cannot capture one in an OpenMP
    // region, and the runtime is compiled by g++ and clang.
    const std::pair<float, float> stats = layernormRowStats<D>(xr, eps);
    const float mean = stats.first;
    const float rstd = stats.second;
    for (int64_t j = 0; j < D; ++j)
      y[r * D + j] = (xr[j] - mean) * rstd;
  }
}

/// dx = rstd * (dy - mean(dy) - xhat * mean(dy * xhat)) (llm.c,
/// docs/math.md#layernorm).
template <int64_t N, int64_t D>
void layernormBackward(const float *x, const float *dy, float *dx, float eps) {
#pragma omp parallel for
  for (int64_t r = 0; r < N; ++r) {
    const float *xr = x + r * D, *gr = dy + r * D;
    // No structured binding: clang 19 cannot capture one in an OpenMP
    // region, and the runtime is compiled by g++ and clang.
    const std::pair<float, float> stats = layernormRowStats<D>(xr, eps);
    const float mean = stats.first;
    const float rstd = stats.second;
    float gMean = 0.f, gxMean = 0.f;
    for (int64_t j = 0; j < D; ++j) {
      gMean += gr[j];
      gxMean += gr[j] * (xr[j] - mean) * rstd;
    }
    gMean /= D;
    gxMean /= D;
    for (int64_t j = 0; j < D; ++j)
      dx[r * D + j] = rstd * (gr[j] - gMean - (xr[j] - mean) * rstd * gxMean);
  }
}

/// y = tanh(alpha x) (DyT, docs/math.md#dyt).
template <int64_t S>
void dytForward(const float *x, const float *alpha, float *y) {
  float a = *alpha;
#pragma omp parallel for simd
  for (int64_t i = 0; i < S; ++i)
    y[i] = math::dyt(x[i], a);
}

/// dx = alpha (1 - t^2) dy; dalpha = sum x (1 - t^2) dy.
template <int64_t S>
void dytBackward(const float *x, const float *alpha, const float *dy, float *dx,
                 float *dalpha) {
  float a = *alpha;
  double da = 0.0; // a sum over every element: accumulate in double
#pragma omp parallel for simd reduction(+ : da)
  for (int64_t i = 0; i < S; ++i) {
    float h = math::dytGradH(x[i], a, dy[i]);
    dx[i] = a * h;
    da += double(x[i]) * h;
  }
  *dalpha = float(da);
}

/// y = erf(alpha x + s) (Derf, docs/math.md#derf).
template <int64_t S>
void derfForward(const float *x, const float *alpha, const float *shift,
                 float *y) {
  float a = *alpha, s = *shift;
#pragma omp parallel for simd
  for (int64_t i = 0; i < S; ++i)
    y[i] = math::derf(x[i], a, s);
}

/// h = dy (2/sqrt(pi)) exp(-z^2): dx = alpha h, dalpha = sum x h, ds = sum h.
template <int64_t S>
void derfBackward(const float *x, const float *alpha, const float *shift,
                  const float *dy, float *dx, float *dalpha, float *dshift) {
  float a = *alpha, s = *shift;
  double da = 0.0, ds = 0.0;
#pragma omp parallel for simd reduction(+ : da, ds)
  for (int64_t i = 0; i < S; ++i) {
    float h = math::derfGradH(x[i], a, s, dy[i]);
    dx[i] = a * h;
    da += double(x[i]) * h;
    ds += h;
  }
  *dalpha = float(da);
  *dshift = float(ds);
}

/// r' = m r + (1 - m) mean_rows(rms(x)); y = erf(alpha x / (blend r' +
/// 1 - blend) + s) (docs/math.md#derf-ema-blend).
template <int64_t N, int64_t D>
void derfEmaForward(const float *x, const float *alpha, const float *shift,
                    const float *running, float *y, float *newRunning,
                    float momentum, float blend) {
  double meanRms = 0.0;
#pragma omp parallel for reduction(+ : meanRms)
  for (int64_t r = 0; r < N; ++r) {
    float ss = 0.f;
    for (int64_t j = 0; j < D; ++j)
      ss += x[r * D + j] * x[r * D + j];
    meanRms += std::sqrt(ss / D);
  }
  float rNew = momentum * *running + (1.f - momentum) * float(meanRms / N);
  *newRunning = rNew;
  float inv = 1.f / (blend * rNew + (1.f - blend));
  float a = *alpha * inv, s = *shift;
#pragma omp parallel for simd
  for (int64_t i = 0; i < N * D; ++i)
    y[i] = math::derf(x[i], a, s);
}

/// Derf's backward at x / c, c = blend r' + 1 - blend, no gradient
/// through r': dx = (alpha / c) h, dalpha = sum (x / c) h, ds = sum h.
template <int64_t S>
void derfEmaBackward(const float *x, const float *alpha, const float *shift,
                     const float *newRunning, const float *dy, float *dx,
                     float *dalpha, float *dshift, float blend) {
  float inv = 1.f / (blend * *newRunning + (1.f - blend));
  float a = *alpha, s = *shift;
  double da = 0.0, ds = 0.0;
#pragma omp parallel for simd reduction(+ : da, ds)
  for (int64_t i = 0; i < S; ++i) {
    float xs = x[i] * inv;
    float h = math::derfGradH(xs, a, s, dy[i]);
    dx[i] = a * inv * h;
    da += double(xs) * h;
    ds += h;
  }
  *dalpha = float(da);
  *dshift = float(ds);
}

/// The fraction of the S pre-activations alpha x / c + s whose magnitude
/// exceeds `threshold`: where tanh/erf saturate and gradients die
/// (docs/math.md#sat_frac; c is Derf-EMA's running scale, else 1).
template <int64_t S>
float saturationFraction(const float *x, const float *alpha, const float *shift,
                         float invScale, float threshold) {
  float a = *alpha * invScale, s = shift ? *shift : 0.f;
  int64_t count = 0;
#pragma omp parallel for simd reduction(+ : count)
  for (int64_t i = 0; i < S; ++i)
    count += std::fabs(a * x[i] + s) > threshold;
  return float(count) / float(S);
}

/// Scale blindness of a DyT (Erf = 0: tanh) or Derf (Erf = 1: erf) layer
/// (docs/math.md#scale_blind): the least-squares slope of log RMS(y)
/// against log RMS(x) over the N rows, y = f(alpha x / c + s). About 1
/// where f is linear (the output keeps the input's scale), towards 0 where
/// it saturates (every row comes out at the same scale). NaN when the
/// rows' input RMS does not vary (no slope to measure).
template <int64_t N, int64_t D, int64_t Erf>
float scaleBlindness(const float *x, const float *alpha, const float *shift,
                     float invScale) {
  float a = *alpha * invScale, s = shift ? *shift : 0.f;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
#pragma omp parallel for reduction(+ : sx, sy, sxx, sxy)
  for (int64_t r = 0; r < N; ++r) {
    const float *xr = x + r * D;
    float ssx = 0.f, ssy = 0.f;
#pragma omp simd reduction(+ : ssx, ssy)
    for (int64_t j = 0; j < D; ++j) {
      float z = a * xr[j] + s;
      float y = Erf ? vErf(z) : vTanh(z);
      ssx += xr[j] * xr[j];
      ssy += y * y;
    }
    // log RMS = 0.5 log(mean of squares); tiny floors keep zero rows finite.
    double lx = 0.5 * std::log(std::max(double(ssx) / D, 1e-30));
    double ly = 0.5 * std::log(std::max(double(ssy) / D, 1e-30));
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  double varX = sxx / N - (sx / N) * (sx / N);
  double covXY = sxy / N - (sx / N) * (sy / N);
  if (!(varX > 1e-12))
    return NAN;
  return float(covXY / varX);
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_NORMKERNELS_H
