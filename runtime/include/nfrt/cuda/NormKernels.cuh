//===- NormKernels.cuh - normalizations, forward and backward ---*- CUDA
//-*-===//
//
// The parameter-free normalizations of docs/math.md#normalizations
// (#derf-ema-blend for the EMA blend), shape-specialized: N rows of D values.
// Row kernels give each row one warp (8 rows per 256-thread block), reduce in
// fp32 with shuffles and, in the train step, cache the per-row statistic (rstd,
// or mean and rstd) in fp32 for the backward, which then reads x and dy once.
// DyT/Derf are pointwise; their scalar gradients (alpha, shift) are block
// partial sums finished by sumPartials (Reduce.cuh), deterministically.
// Rows and pointwise loops move 16-byte chunks where D (rows) and the
// pointers allow (Vec.cuh); a lane then adds its row values chunk by chunk,
// not in the scalar order (fp32 rounding apart, the same sums).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_NORMKERNELS_CUH
#define NFRT_CUDA_NORMKERNELS_CUH

#include "nfrt/ScalarMath.h"
#include "nfrt/cuda/Reduce.cuh"
#include "nfrt/cuda/Vec.cuh"

namespace nfrt::cuda {

/// The chunk of a row a lane moves at once: 16 bytes of the row's input.
/// It depends on the input's type alone, so that every kernel reducing the
/// same rows (rmsnormForward, rmsnormScaleForward) adds the same values in
/// the same order in each lane: a model's forward and train step give the
/// same bits.
template <class X> __host__ __device__ constexpr int rowChunk() {
  return int(16 / sizeof(X));
}

/// The mean and rstd = 1 / sqrt(var + eps) (biased, two passes) of a row
/// of D, each lane reading its chunks of C.
template <int64_t D, int C, class X>
__device__ __forceinline__ void rowMeanRstd(const X *xr, int lane, float eps,
                                            float &mean, float &rstd) {
  float s = 0.f;
  for (int64_t j = lane * C; j < D; j += 32 * C) {
    float v[C];
    loadF32<C>(xr + j, v);
    NF_UNROLL
    for (int e = 0; e < C; ++e)
      s += v[e];
  }
  mean = warpSum(s) / D;
  float var = 0.f;
  for (int64_t j = lane * C; j < D; j += 32 * C) {
    float v[C];
    loadF32<C>(xr + j, v);
    NF_UNROLL
    for (int e = 0; e < C; ++e)
      var += (v[e] - mean) * (v[e] - mean);
  }
  rstd = 1.f / sqrtf(warpSum(var) / D + eps);
}

/// rstd = 1 / sqrt(mean(x^2) + eps); y = x * rstd; rstdOut[row] = rstd
/// when the backward will need it.
template <int64_t N, int64_t D, class X = float, class Y = float>
__global__ void __launch_bounds__(256)
    rmsnormForward(const X *x, Y *y, float *rstdOut, float eps) {
  int64_t row = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N) // the whole warp leaves: no shuffle is left waiting
    return;
  withRowChunks<D, rowChunk<X>()>(aligned16(x, y), [&](auto w) {
    constexpr int C = decltype(w)::value;
    const X *xr = x + row * D;
    float ss = 0.f;
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float v[C];
      loadF32<C>(xr + j, v);
      NF_UNROLL
      for (int e = 0; e < C; ++e)
        ss += v[e] * v[e];
    }
    float rstd = 1.f / sqrtf(warpSum(ss) / D + eps);
    if (rstdOut && lane == 0)
      rstdOut[row] = rstd;
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float v[C];
      loadF32<C>(xr + j, v);
      NF_UNROLL
      for (int e = 0; e < C; ++e)
        v[e] = v[e] * rstd;
      storeF32<C>(y + row * D + j, v);
    }
  });
}

/// dx = rstd * dy - (rstd^3 / D) * (sum_j dy_j x_j) * x (docs/math.md#rmsnorm,
/// Liger form); rstd from the forward's cache, or recomputed when rstdIn is
/// null. With an addend (nf.add_rmsnorm_grad: the residual stream's
/// gradient), dx = addend + that, added after it is formed, as nf.add would.
template <int64_t N, int64_t D, class X = float, class DY = float,
          class DX = float, class AD = float>
__global__ void __launch_bounds__(256)
    rmsnormBackward(const X *x, const DY *dy, const float *rstdIn,
                    const NoDeduce<AD> *addend, DX *dx, float eps) {
  int64_t row = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N)
    return;
  withRowChunks<D, rowChunk<X>()>(aligned16(x, dy, addend, dx), [&](auto w) {
    constexpr int C = decltype(w)::value;
    const X *xr = x + row * D;
    const DY *gr = dy + row * D;
    float ss = 0.f, dot = 0.f;
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float xv[C], gv[C];
      loadF32<C>(xr + j, xv);
      loadF32<C>(gr + j, gv);
      NF_UNROLL
      for (int e = 0; e < C; ++e) {
        if (!rstdIn)
          ss += xv[e] * xv[e];
        dot += gv[e] * xv[e];
      }
    }
    dot = warpSum(dot);
    float rstd = rstdIn ? rstdIn[row] : 1.f / sqrtf(warpSum(ss) / D + eps);
    float c = rstd * rstd * rstd * dot / D;
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float xv[C], gv[C], o[C];
      loadF32<C>(xr + j, xv);
      loadF32<C>(gr + j, gv);
      NF_UNROLL
      for (int e = 0; e < C; ++e)
        o[e] = rstd * gv[e] - c * xv[e];
      if (addend)
        addChunk<C>(addend + row * D + j, o);
      storeF32<C>(dx + row * D + j, o);
    }
  });
}

/// mean, rstd = 1 / sqrt(var + eps) (biased, two passes over the row);
/// y = (x - mean) * rstd; stats[2 row] = mean, stats[2 row + 1] = rstd.
template <int64_t N, int64_t D, class X = float, class Y = float>
__global__ void __launch_bounds__(256)
    layernormForward(const X *x, Y *y, float *stats, float eps) {
  int64_t row = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N)
    return;
  withRowChunks<D, rowChunk<X>()>(aligned16(x, y), [&](auto w) {
    constexpr int C = decltype(w)::value;
    const X *xr = x + row * D;
    float mean, rstd;
    rowMeanRstd<D, C>(xr, lane, eps, mean, rstd);
    if (stats && lane == 0) {
      stats[2 * row] = mean;
      stats[2 * row + 1] = rstd;
    }
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float v[C];
      loadF32<C>(xr + j, v);
      NF_UNROLL
      for (int e = 0; e < C; ++e)
        v[e] = (v[e] - mean) * rstd;
      storeF32<C>(y + row * D + j, v);
    }
  });
}

/// dx = rstd * (dy - mean(dy) - xhat * mean(dy * xhat)) (llm.c,
/// docs/math.md#layernorm); mean and rstd cached by the forward or recomputed
/// (stats null).
template <int64_t N, int64_t D, class X = float, class DY = float,
          class DX = float>
__global__ void __launch_bounds__(256)
    layernormBackward(const X *x, const DY *dy, const float *stats, DX *dx,
                      float eps) {
  int64_t row = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N)
    return;
  withRowChunks<D, rowChunk<X>()>(aligned16(x, dy, dx), [&](auto w) {
    constexpr int C = decltype(w)::value;
    const X *xr = x + row * D;
    const DY *gr = dy + row * D;
    float mean, rstd;
    if (stats) {
      mean = stats[2 * row];
      rstd = stats[2 * row + 1];
    } else {
      rowMeanRstd<D, C>(xr, lane, eps, mean, rstd);
    }
    float g = 0.f, gx = 0.f;
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float xv[C], gv[C];
      loadF32<C>(xr + j, xv);
      loadF32<C>(gr + j, gv);
      NF_UNROLL
      for (int e = 0; e < C; ++e) {
        g += gv[e];
        gx += gv[e] * (xv[e] - mean) * rstd;
      }
    }
    float gMean = warpSum(g) / D, gxMean = warpSum(gx) / D;
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float xv[C], gv[C], o[C];
      loadF32<C>(xr + j, xv);
      loadF32<C>(gr + j, gv);
      NF_UNROLL
      for (int e = 0; e < C; ++e)
        o[e] = rstd * (gv[e] - gMean - (xv[e] - mean) * rstd * gxMean);
      storeF32<C>(dx + row * D + j, o);
    }
  });
}

/// y = tanh(alpha x) (DyT, docs/math.md#dyt).
template <int64_t S, class X = float, class Y = float>
__global__ void __launch_bounds__(256)
    dytForward(const X *x, const float *alpha, Y *y) {
  float a = *alpha;
  mapChunks<S>(x, y, [&](float v) { return math::dyt(v, a); });
}

/// t = tanh(alpha x): dx = alpha (1 - t^2) dy; partials[block] = the
/// block's share of dalpha = sum x (1 - t^2) dy.
template <int64_t S, class X = float, class DY = float, class DX = float>
__global__ void __launch_bounds__(256)
    dytBackward(const X *x, const float *alpha, const DY *dy, DX *dx,
                float *partials) {
  float a = *alpha, da = 0.f;
  mapChunks<S>(x, dy, dx, [&](float xv, float g) {
    float h = math::dytGradH(xv, a, g);
    da += xv * h;
    return a * h;
  });
  da = blockSum(da);
  if (threadIdx.x == 0)
    partials[blockIdx.x] = da;
}

/// y = erf(alpha x / c + s), c = 1 or Derf-EMA's running scale, read as
/// 1 / c from invScale when given (Derf, docs/math.md#derf).
template <int64_t S, class X = float, class Y = float>
__global__ void __launch_bounds__(256)
    derfForward(const X *x, const float *alpha, const float *shift,
                const float *invScale, Y *y) {
  float a = *alpha * (invScale ? *invScale : 1.f), s = *shift;
  mapChunks<S>(x, y, [&](float v) { return math::derf(v, a, s); });
}

/// z = alpha x / c + s, h = dy (2 / sqrt(pi)) exp(-z^2): dx = (alpha / c) h;
/// partials[block] and partials[gridDim + block] are the block's shares of
/// dalpha = sum (x / c) h and dshift = sum h.
template <int64_t S, class X = float, class DY = float, class DX = float>
__global__ void __launch_bounds__(256)
    derfBackward(const X *x, const float *alpha, const float *shift,
                 const float *invScale, const DY *dy, DX *dx, float *partials) {
  float inv = invScale ? *invScale : 1.f, a = *alpha, s = *shift;
  float da = 0.f, ds = 0.f;
  mapChunks<S>(x, dy, dx, [&](float xv, float g) {
    float xs = xv * inv;
    float h = math::derfGradH(xs, a, s, g);
    da += xs * h;
    ds += h;
    return a * inv * h;
  });
  da = blockSum(da);
  ds = blockSum(ds);
  if (threadIdx.x == 0) {
    partials[blockIdx.x] = da;
    partials[gridDim.x + blockIdx.x] = ds;
  }
}

/// rms[row] = sqrt(mean(x^2)) for Derf-EMA's running scale.
template <int64_t N, int64_t D, class X = float>
__global__ void __launch_bounds__(256) rowRms(const X *x, float *rms) {
  int64_t row = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N)
    return;
  withRowChunks<D, rowChunk<X>()>(aligned16(x), [&](auto w) {
    constexpr int C = decltype(w)::value;
    float ss = 0.f;
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float v[C];
      loadF32<C>(x + row * D + j, v);
      NF_UNROLL
      for (int e = 0; e < C; ++e)
        ss += v[e] * v[e];
    }
    ss = warpSum(ss);
    if (lane == 0)
      rms[row] = sqrtf(ss / D);
  });
}

/// r' = m r + (1 - m) mean_rows(rms) (the mean in double, one warp);
/// invScale = 1 / (blend r' + 1 - blend) (docs/math.md#derf-ema-blend).
template <int64_t N>
__global__ void emaUpdate(const float *rms, const float *running,
                          float *newRunning, float *invScale, float momentum,
                          float blend) {
  double s = 0.0;
  for (int64_t i = threadIdx.x; i < N; i += 32)
    s += double(rms[i]);
  s = warpSum(s);
  if (threadIdx.x == 0) {
    float r = momentum * *running + (1.f - momentum) * float(s / N);
    *newRunning = r;
    *invScale = 1.f / (blend * r + (1.f - blend));
  }
}

/// 1 / (blend r' + 1 - blend) from a stored running scale (the backward).
__global__ void emaInvScale(const float *running, float *invScale,
                            float blend) {
  *invScale = 1.f / (blend * *running + (1.f - blend));
}

/// partials[block] = how many of the block's |alpha x / c + s| exceed the
/// threshold; sumPartials with scale 1 / S gives the saturation fraction
/// (docs/math.md#diagnostics).
template <int64_t S, class X = float>
__global__ void __launch_bounds__(256)
    saturationCount(const X *x, const float *alpha, const float *shift,
                    const float *invScale, float threshold, float *partials) {
  float a = *alpha * (invScale ? *invScale : 1.f), s = shift ? *shift : 0.f;
  float count = 0.f; // exact: a block counts far fewer than 2^24
  gridStrideChunks<S, vecWidth<X>()>(aligned16(x), [&](int64_t i, auto w) {
    constexpr int C = decltype(w)::value;
    float v[C];
    loadF32<C>(x + i, v);
    NF_UNROLL
    for (int e = 0; e < C; ++e)
      count += fabsf(a * v[e] + s) > threshold ? 1.f : 0.f;
  });
  count = blockSum(count);
  if (threadIdx.x == 0)
    partials[blockIdx.x] = count;
}

/// Scale blindness (docs/math.md#diagnostics), as the CPU's
/// scaleBlindness: per row, log RMS of x and of y = tanh(z) (ERF 0) or
/// erf(z) (ERF 1), z = alpha x / c + s, into logRms[2 row] and
/// [2 row + 1] (doubles; tiny floors keep zero rows finite). A warp a row.
template <int64_t N, int64_t D, int64_t ERF, class X = float>
__global__ void __launch_bounds__(256)
    scaleBlindRows(const X *x, const float *alpha, const float *shift,
                   const float *invScale, double *logRms) {
  int64_t row = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N)
    return;
  float a = *alpha * (invScale ? *invScale : 1.f), s = shift ? *shift : 0.f;
  withRowChunks<D, rowChunk<X>()>(aligned16(x), [&](auto w) {
    constexpr int C = decltype(w)::value;
    float ssx = 0.f, ssy = 0.f;
    for (int64_t j = lane * C; j < D; j += 32 * C) {
      float v[C];
      loadF32<C>(x + row * D + j, v);
      NF_UNROLL
      for (int e = 0; e < C; ++e) {
        float y = ERF ? math::derf(v[e], a, s) : math::dyt(v[e], a);
        ssx += v[e] * v[e];
        ssy += y * y;
      }
    }
    ssx = warpSum(ssx);
    ssy = warpSum(ssy);
    if (lane == 0) {
      logRms[2 * row] = 0.5 * log(fmax(double(ssx) / D, 1e-30));
      logRms[2 * row + 1] = 0.5 * log(fmax(double(ssy) / D, 1e-30));
    }
  });
}

/// *out = the least-squares slope of log RMS(y) on log RMS(x) over the N
/// rows (sums in double, one block); NaN when log RMS(x) does not vary.
template <int64_t N>
__global__ void __launch_bounds__(256)
    scaleBlindSlope(const double *logRms, float *out) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int64_t r = threadIdx.x; r < N; r += blockDim.x) {
    double lx = logRms[2 * r], ly = logRms[2 * r + 1];
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  sx = blockSum(sx);
  sy = blockSum(sy);
  sxx = blockSum(sxx);
  sxy = blockSum(sxy);
  if (threadIdx.x == 0) {
    double varX = sxx / N - (sx / N) * (sx / N);
    double covXY = sxy / N - (sx / N) * (sy / N);
    *out = varX > 1e-12 ? float(covXY / varX) : NAN;
  }
}

// Launchers: the generated code calls these; each owns its grid
// (LaunchShapes.h) and lays out its scratch. Operand types come from the
// template arguments alone (NoDeduce), as the kernels' do.

template <int64_t N, int64_t D, class X = float, class Y = float>
void launchRmsnormForward(cudaStream_t stream, const NoDeduce<X> *x,
                          NoDeduce<Y> *y, float *rstdOut, float eps) {
  NF_LAUNCH_ROWS((rmsnormForward<N, D, X, Y>), N, stream, x, y, rstdOut, eps);
}
template <int64_t N, int64_t D, class X = float, class DY = float,
          class DX = float, class AD = float>
void launchRmsnormBackward(cudaStream_t stream, const NoDeduce<X> *x,
                           const NoDeduce<DY> *dy, const float *rstdIn,
                           const NoDeduce<AD> *addend, NoDeduce<DX> *dx,
                           float eps) {
  NF_LAUNCH_ROWS((rmsnormBackward<N, D, X, DY, DX, AD>), N, stream, x, dy,
                 rstdIn, addend, dx, eps);
}
template <int64_t N, int64_t D, class X = float, class Y = float>
void launchLayernormForward(cudaStream_t stream, const NoDeduce<X> *x,
                            NoDeduce<Y> *y, float *stats, float eps) {
  NF_LAUNCH_ROWS((layernormForward<N, D, X, Y>), N, stream, x, y, stats, eps);
}
template <int64_t N, int64_t D, class X = float, class DY = float,
          class DX = float>
void launchLayernormBackward(cudaStream_t stream, const NoDeduce<X> *x,
                             const NoDeduce<DY> *dy, const float *stats,
                             NoDeduce<DX> *dx, float eps) {
  NF_LAUNCH_ROWS((layernormBackward<N, D, X, DY, DX>), N, stream, x, dy, stats,
                 dx, eps);
}
template <int64_t S, class X = float, class Y = float>
void launchDytForward(cudaStream_t stream, const NoDeduce<X> *x,
                      const float *alpha, NoDeduce<Y> *y) {
  NF_LAUNCH_STRIDE((dytForward<S, X, Y>), S, stream, x, alpha, y);
}
/// dx and dalpha; `scratch` holds dytBackwardScratchFloats(S) floats.
template <int64_t S, class X = float, class DY = float, class DX = float>
void launchDytBackward(cudaStream_t stream, const NoDeduce<X> *x,
                       const float *alpha, const NoDeduce<DY> *dy,
                       NoDeduce<DX> *dx, float *dalpha, float *scratch) {
  constexpr unsigned P = strideBlocks(S);
  NF_LAUNCH((dytBackward<S, X, DY, DX>), dim3(P), dim3(kBlockThreads), 0,
            stream, x, alpha, dy, dx, scratch);
  NF_LAUNCH((sumPartials<P>), dim3(1), dim3(32), 0, stream, scratch, dalpha,
            1.f);
}
template <int64_t S, class X = float, class Y = float>
void launchDerfForward(cudaStream_t stream, const NoDeduce<X> *x,
                       const float *alpha, const float *shift,
                       const float *invScale, NoDeduce<Y> *y) {
  NF_LAUNCH_STRIDE((derfForward<S, X, Y>), S, stream, x, alpha, shift,
                   invScale, y);
}
/// dx, dalpha and dshift; `scratch` holds derfBackwardScratchFloats(S)
/// floats.
template <int64_t S, class X = float, class DY = float, class DX = float>
void launchDerfBackward(cudaStream_t stream, const NoDeduce<X> *x,
                        const float *alpha, const float *shift,
                        const float *invScale, const NoDeduce<DY> *dy,
                        NoDeduce<DX> *dx, float *dalpha, float *dshift,
                        float *scratch) {
  constexpr unsigned P = strideBlocks(S);
  NF_LAUNCH((derfBackward<S, X, DY, DX>), dim3(P), dim3(kBlockThreads), 0,
            stream, x, alpha, shift, invScale, dy, dx, scratch);
  NF_LAUNCH((sumPartials<P>), dim3(1), dim3(32), 0, stream, scratch, dalpha,
            1.f);
  NF_LAUNCH((sumPartials<P>), dim3(1), dim3(32), 0, stream, scratch + P,
            dshift, 1.f);
}
template <int64_t N, int64_t D, class X = float>
void launchRowRms(cudaStream_t stream, const NoDeduce<X> *x, float *rms) {
  NF_LAUNCH_ROWS((rowRms<N, D, X>), N, stream, x, rms);
}
template <int64_t N>
void launchEmaUpdate(cudaStream_t stream, const float *rms,
                     const float *running, float *newRunning, float *invScale,
                     float momentum, float blend) {
  NF_LAUNCH((emaUpdate<N>), dim3(1), dim3(32), 0, stream, rms, running,
            newRunning, invScale, momentum, blend);
}
inline void launchEmaInvScale(cudaStream_t stream, const float *running,
                              float *invScale, float blend) {
  NF_LAUNCH(emaInvScale, dim3(1), dim3(1), 0, stream, running, invScale, blend);
}
/// The fraction of the S values of x whose pre-activation passes
/// `threshold`, into *out; `scratch` holds saturationScratchFloats(S).
template <int64_t S, class X = float>
void launchSaturationFraction(cudaStream_t stream, const NoDeduce<X> *x,
                              const float *alpha, const float *shift,
                              const float *invScale, float threshold,
                              float *out, float *scratch) {
  constexpr unsigned P = strideBlocks(S);
  NF_LAUNCH((saturationCount<S, X>), dim3(P), dim3(kBlockThreads), 0, stream,
            x, alpha, shift, invScale, threshold, scratch);
  NF_LAUNCH((sumPartials<P>), dim3(1), dim3(32), 0, stream, scratch, out,
            float(1.0 / double(S)));
}
/// Scale blindness of a DyT (ERF 0) or Derf (ERF 1) layer into *out;
/// `scratch` holds scaleBlindScratchFloats(N) floats (two doubles a row).
template <int64_t N, int64_t D, int64_t ERF, class X = float>
void launchScaleBlindness(cudaStream_t stream, const NoDeduce<X> *x,
                          const float *alpha, const float *shift,
                          const float *invScale, float *out, float *scratch) {
  auto *logRms = reinterpret_cast<double *>(scratch);
  NF_LAUNCH_ROWS((scaleBlindRows<N, D, ERF, X>), N, stream, x, alpha, shift,
                 invScale, logRms);
  NF_LAUNCH((scaleBlindSlope<N>), dim3(1), dim3(kBlockThreads), 0, stream,
            static_cast<const double *>(logRms), out);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_NORMKERNELS_CUH
