//===- NormScaleKernels.h - normalization + scale vector, fused -*- C++ -*-===//
//
// y = norm(x) * gamma in one pass per row, and its backward in one pass per
// row (nf.norm_scale, nf.norm_scale_grad). The forward caches only the
// per-row statistics (RMSNorm: rstd; LayerNorm: mean and rstd,
// docs/math.md#rmsnorm, #layernorm) in `stats` (N or 2N floats; null when no
// backward reads them); the normalized rows xhat are never stored: the
// backward rebuilds them from x and the cached statistics, or from x alone
// (stats null: the same rowStatistics as the forward, so the same bits).
//
// Backward, with g = dy * gamma and xhat = (x - mean) * rstd:
//   dgamma += dy * xhat                             (summed over rows)
//   RMSNorm:   dx = rstd * (g - xhat * mean(g * xhat))
//   LayerNorm: dx = rstd * (g - mean(g) - xhat * mean(g * xhat))
// dgamma is summed per thread over its rows, then the partial sums are
// added in thread order (deterministic for a given thread count).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CPU_NORMSCALEKERNELS_H
#define NFRT_CPU_NORMSCALEKERNELS_H

#ifdef _OPENMP
#include <omp.h>
#endif

#include <cmath>
#include <cstdint>
#include <vector>

namespace nfrt::cpu {

/// rstd (and mean, for LayerNorm) of one row.
template <int64_t D, int64_t Centered>
inline void rowStatistics(const float *xr, float eps, float &mean,
                          float &rstd) {
  mean = 0.f;
  if constexpr (Centered) {
    for (int64_t j = 0; j < D; ++j)
      mean += xr[j];
    mean /= D;
  }
  float ss = 0.f;
  for (int64_t j = 0; j < D; ++j)
    ss += (xr[j] - mean) * (xr[j] - mean);
  rstd = 1.f / std::sqrt(ss / D + eps);
}

/// y = (x - mean) * rstd * gamma; Centered (1) selects LayerNorm (mean
/// subtracted) over RMSNorm. stats[r] = rstd (RMSNorm) or stats[2r] =
/// mean, stats[2r + 1] = rstd (LayerNorm), when stats is not null.
template <int64_t N, int64_t D, int64_t Centered>
void normScaleForward(const float *x, const float *gamma, float *y,
                      float *stats, float eps) {
#pragma omp parallel for
  for (int64_t r = 0; r < N; ++r) {
    const float *xr = x + r * D;
    float mean, rstd;
    rowStatistics<D, Centered>(xr, eps, mean, rstd);
    if (stats) {
      if constexpr (Centered) {
        stats[2 * r] = mean;
        stats[2 * r + 1] = rstd;
      } else {
        stats[r] = rstd;
      }
    }
    float *yr = y + r * D;
#pragma omp simd
    for (int64_t j = 0; j < D; ++j)
      yr[j] = (xr[j] - mean) * rstd * gamma[j];
  }
}

template <int64_t N, int64_t D, int64_t Centered>
void normScaleBackward(const float *x, const float *gamma, const float *stats,
                       const float *dy, float *dx, float *dgamma, float eps) {
#ifdef _OPENMP
  const int threads = omp_get_max_threads();
#else
  const int threads = 1;
#endif
  std::vector<float> partial(size_t(threads) * D, 0.f);
#pragma omp parallel num_threads(threads)
  {
#ifdef _OPENMP
    float *acc = partial.data() + size_t(omp_get_thread_num()) * D;
#else
    float *acc = partial.data();
#endif
#pragma omp for
    for (int64_t r = 0; r < N; ++r) {
      const float *xr = x + r * D, *gr = dy + r * D;
      float mean = 0.f, rstd;
      if (!stats) {
        rowStatistics<D, Centered>(xr, eps, mean, rstd);
      } else if constexpr (Centered) {
        mean = stats[2 * r];
        rstd = stats[2 * r + 1];
      } else {
        rstd = stats[r];
      }
      float gSum = 0.f, gxSum = 0.f;
#pragma omp simd reduction(+ : gSum, gxSum)
      for (int64_t j = 0; j < D; ++j) {
        float xhat = (xr[j] - mean) * rstd;
        float g = gr[j] * gamma[j];
        acc[j] += gr[j] * xhat;
        gSum += g;
        gxSum += g * xhat;
      }
      float gMean = Centered ? gSum / D : 0.f, gxMean = gxSum / D;
      float *dxr = dx + r * D;
#pragma omp simd
      for (int64_t j = 0; j < D; ++j) {
        float xhat = (xr[j] - mean) * rstd;
        dxr[j] = rstd * (gr[j] * gamma[j] - gMean - xhat * gxMean);
      }
    }
  }
  for (int64_t j = 0; j < D; ++j) {
    double s = 0.0;
    for (int t = 0; t < threads; ++t)
      s += partial[size_t(t) * D + j];
    dgamma[j] = float(s);
  }
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_NORMSCALEKERNELS_H
