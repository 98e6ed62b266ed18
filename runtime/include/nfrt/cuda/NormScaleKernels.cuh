//===- NormScaleKernels.cuh - RMSNorm and its scale vector, fused -*- CUDA
//-*-===//
//
// nf.rmsnorm followed by nf.scale (and, in the backward, nf.scale_grad
// followed by nf.rmsnorm_grad) as one kernel each way, so the normalized
// rows never go to memory; likewise nf.add_rmsnorm (the residual add too)
// and nf.add_rmsnorm_grad (the residual stream's gradient added). A warp
// owns a row; each lane keeps its D / 32 values in registers (D <= 1024),
// so every byte is read once:
//   forward  rstd = 1 / sqrt(mean(x^2) + eps);  y = gamma * x * rstd
//            moves 8D + 4 bytes a row (x in, y out, rstd cached in fp32)
//   backward g = gamma * dy;  dx = rstd g - (rstd^3 / D) (sum_j g_j x_j) x
//            dgamma = sum_rows dy * x * rstd (fp32 per-block partials,
//            finished by columnFinalize in double)
//            moves 12D + 4 bytes a row (x, dy in, dx out, rstd in)
// Unfused, the same work moves 16D + 4 (forward) and 24D + 4 (backward).
// Where D and the pointers allow, a lane's values are 16-byte chunks of the
// row (Vec.cuh), loaded and stored whole.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_NORMSCALEKERNELS_CUH
#define NFRT_CUDA_NORMSCALEKERNELS_CUH

#include "nfrt/cuda/NormKernels.cuh"
#include "nfrt/cuda/RowLimits.h"

namespace nfrt::cuda {

/// Chunks of C values per lane of a row of D kept in registers (the
/// lane's chunk k starts at (lane + 32 k) C; C divides D).
template <int64_t D, int C> constexpr int kLaneChunks = int((D / C + 31) / 32);

/// The second half of the forward row kernels: a lane holds its K chunks
/// of C values of the row in xv and its share ss of their squares.
/// rstd = 1 / sqrt(mean(x^2) + eps); y = gamma x rstd, or x rstd without
/// a scale vector (gamma null: 1 * v == v exactly, the norm's own result);
/// xhat = x rstd where asked; rstdOut[row] = rstd where asked.
template <int64_t D, int C, int K, class XH, class Y>
__device__ __forceinline__ void
normalizeRowOut(const float (&xv)[K][C], float ss, float eps, int64_t row,
                int lane, const float *gamma, XH *xhat, Y *y, float *rstdOut) {
  float rstd = 1.f / sqrtf(warpSum(ss) / D + eps);
  if (rstdOut && lane == 0)
    rstdOut[row] = rstd;
  NF_UNROLL
  for (int k = 0; k < K; ++k) {
    int64_t j = (lane + 32 * k) * int64_t(C);
    if (j < D) {
      float g[C], o[C];
      if (gamma) {
        loadF32<C>(gamma + j, g);
      } else {
        NF_UNROLL
        for (int e = 0; e < C; ++e)
          g[e] = 1.f;
      }
      if (xhat) {
        NF_UNROLL
        for (int e = 0; e < C; ++e)
          o[e] = xv[k][e] * rstd;
        storeF32<C>(xhat + row * D + j, o);
      }
      NF_UNROLL
      for (int e = 0; e < C; ++e)
        o[e] = g[e] * (xv[k][e] * rstd);
      storeF32<C>(y + row * D + j, o);
    }
  }
}

/// y = gamma x rstd (and xhat = x rstd when a consumer other than the
/// fused backward needs it); rstdOut[row] = rstd. A warp per row, 8 rows a
/// block. Chunks as NormKernels.cuh rmsnormForward's (rowChunk<X>), so
/// that both give the same rstd.
template <int64_t N, int64_t D, class X = float, class XH = float,
          class Y = float>
__global__ void __launch_bounds__(256)
    rmsnormScaleForward(const X *x, const float *gamma, NoDeduce<XH> *xhat,
                        Y *y, float *rstdOut, float eps) {
  static_assert(D <= kMaxRegisterRow, "a row is held in registers");
  int64_t row = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N) // the whole warp leaves
    return;
  withRowChunks<D, rowChunk<X>()>(aligned16(x, gamma, xhat, y), [&](auto w) {
    constexpr int C = decltype(w)::value;
    constexpr int K = kLaneChunks<D, C>;
    const X *xr = x + row * D;
    float xv[K][C], ss = 0.f;
    NF_UNROLL
    for (int k = 0; k < K; ++k) {
      int64_t j = (lane + 32 * k) * int64_t(C);
      if (j < D) {
        loadF32<C>(xr + j, xv[k]);
      } else {
        NF_UNROLL
        for (int e = 0; e < C; ++e)
          xv[k][e] = 0.f;
      }
      NF_UNROLL
      for (int e = 0; e < C; ++e)
        ss += xv[k][e] * xv[k][e];
    }
    normalizeRowOut<D, C>(xv, ss, eps, row, lane, gamma, xhat, y, rstdOut);
  });
}

/// nf.add_rmsnorm (+ the nf.scale after it): sum = a + b (stored as S,
/// and normalized as stored), rstd = 1 / sqrt(mean(sum^2) + eps), y = gamma
/// sum rstd, or sum rstd without a scale vector (gamma null); xhat as
/// rmsnormScaleForward's. The unfused pair moves 20D bytes a row in fp32
/// (a, b in, sum out; sum in, y out); this moves 16D: the sum is not read
/// back. Chunks of rowChunk<S>, as every other kernel reducing the sum.
template <int64_t N, int64_t D, class A = float, class B = float,
          class S = float, class XH = float, class Y = float>
__global__ void __launch_bounds__(256)
    addRmsnormScaleForward(const A *a, const NoDeduce<B> *b, NoDeduce<S> *sum,
                           const float *gamma, NoDeduce<XH> *xhat,
                           NoDeduce<Y> *y, float *rstdOut, float eps) {
  static_assert(D <= kMaxRegisterRow, "a row is held in registers");
  int64_t row = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N) // the whole warp leaves
    return;
  withRowChunks<D, rowChunk<S>()>(
      aligned16(a, b, sum, gamma, xhat, y), [&](auto w) {
        constexpr int C = decltype(w)::value;
        constexpr int K = kLaneChunks<D, C>;
        float xv[K][C], ss = 0.f;
        NF_UNROLL
        for (int k = 0; k < K; ++k) {
          int64_t j = (lane + 32 * k) * int64_t(C);
          if (j < D) {
            float bv[C];
            loadF32<C>(a + row * D + j, xv[k]);
            loadF32<C>(b + row * D + j, bv);
            NF_UNROLL
            for (int e = 0; e < C; ++e)
              xv[k][e] = toF32(fromF32<S>(xv[k][e] + bv[e]));
            storeF32<C>(sum + row * D + j, xv[k]);
          } else {
            NF_UNROLL
            for (int e = 0; e < C; ++e)
              xv[k][e] = 0.f;
          }
          NF_UNROLL
          for (int e = 0; e < C; ++e)
            ss += xv[k][e] * xv[k][e];
        }
        normalizeRowOut<D, C>(xv, ss, eps, row, lane, gamma, xhat, y, rstdOut);
      });
}

/// Rows [blockIdx.x RPB, +RPB), a warp per row in turn: dx as above, and
/// the block's partial dgamma in partials[blockIdx.x, :] (each lane sums
/// its columns over the warp's rows, then the 8 warps add through shared
/// memory in a fixed order).
/// With an addend (nf.add_rmsnorm_grad), dx = addend + that.
template <int64_t N, int64_t D, int64_t RPB, class X = float, class DY = float,
          class DX = float, class AD = float>
__global__ void __launch_bounds__(256)
    rmsnormScaleBackward(const X *x, const float *gamma, const DY *dy,
                         const float *rstdIn, const NoDeduce<AD> *addend,
                         DX *dx, float *partials) {
  static_assert(D <= kMaxRegisterRow, "a row is held in registers");
  NF_DYNAMIC_SMEM(float, warpGamma); // [8][D]
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  withRowChunks<D, rowChunk<X>()>(
      aligned16(x, gamma, dy, addend, dx), [&](auto w) {
        constexpr int C = decltype(w)::value;
        constexpr int K = kLaneChunks<D, C>;
        float gv[K][C], dg[K][C];
        NF_UNROLL
        for (int k = 0; k < K; ++k) {
          int64_t j = (lane + 32 * k) * int64_t(C);
          if (j < D)
            loadF32<C>(gamma + j, gv[k]);
          NF_UNROLL
          for (int e = 0; e < C; ++e) {
            if (j >= D)
              gv[k][e] = 0.f;
            dg[k][e] = 0.f;
          }
        }
        int64_t r0 = int64_t(blockIdx.x) * RPB;
        int64_t r1 = r0 + RPB < N ? r0 + RPB : N;
        for (int64_t row = r0 + warp; row < r1; row += 8) {
          const X *xr = x + row * D;
          const DY *gr = dy + row * D;
          float xv[K][C], dyv[K][C], dot = 0.f;
          NF_UNROLL
          for (int k = 0; k < K; ++k) {
            int64_t j = (lane + 32 * k) * int64_t(C);
            if (j < D) {
              loadF32<C>(xr + j, xv[k]);
              loadF32<C>(gr + j, dyv[k]);
            } else {
              NF_UNROLL
              for (int e = 0; e < C; ++e)
                xv[k][e] = dyv[k][e] = 0.f;
            }
            NF_UNROLL
            for (int e = 0; e < C; ++e)
              dot += gv[k][e] * dyv[k][e] * xv[k][e];
          }
          dot = warpSum(dot);
          float rstd = rstdIn[row];
          float c = rstd * rstd * rstd * dot / D;
          NF_UNROLL
          for (int k = 0; k < K; ++k) {
            int64_t j = (lane + 32 * k) * int64_t(C);
            if (j < D) {
              float o[C];
              NF_UNROLL
              for (int e = 0; e < C; ++e)
                o[e] = rstd * gv[k][e] * dyv[k][e] - c * xv[k][e];
              if (addend)
                addChunk<C>(addend + row * D + j, o);
              storeF32<C>(dx + row * D + j, o);
            }
            NF_UNROLL
            for (int e = 0; e < C; ++e)
              dg[k][e] += dyv[k][e] * xv[k][e] * rstd;
          }
        }
        NF_UNROLL
        for (int k = 0; k < K; ++k) {
          int64_t j = (lane + 32 * k) * int64_t(C);
          if (j < D) {
            NF_UNROLL
            for (int e = 0; e < C; ++e)
              warpGamma[warp * D + j + e] = dg[k][e];
          }
        }
      });
  __syncthreads();
  for (int64_t j = threadIdx.x; j < D; j += blockDim.x) {
    float s = 0.f;
    for (int w = 0; w < 8; ++w)
      s += warpGamma[w * D + j];
    partials[int64_t(blockIdx.x) * D + j] = s;
  }
}

// Launchers: the generated code calls these; each owns its grid, shared
// memory (LaunchShapes.h) and scratch layout.

template <int64_t N, int64_t D, class X = float, class XH = float,
          class Y = float>
void launchRmsnormScaleForward(cudaStream_t stream, const NoDeduce<X> *x,
                               const float *gamma, NoDeduce<XH> *xhat,
                               NoDeduce<Y> *y, float *rstdOut, float eps) {
  NF_LAUNCH_ROWS((rmsnormScaleForward<N, D, X, XH, Y>), N, stream, x, gamma,
                 xhat, y, rstdOut, eps);
}
template <int64_t N, int64_t D, class A = float, class B = float,
          class S = float, class XH = float, class Y = float>
void launchAddRmsnormScaleForward(cudaStream_t stream, const NoDeduce<A> *a,
                                  const NoDeduce<B> *b, NoDeduce<S> *sum,
                                  const float *gamma, NoDeduce<XH> *xhat,
                                  NoDeduce<Y> *y, float *rstdOut, float eps) {
  NF_LAUNCH_ROWS((addRmsnormScaleForward<N, D, A, B, S, XH, Y>), N, stream, a,
                 b, sum, gamma, xhat, y, rstdOut, eps);
}
/// dx (plus `addend` when given) and dgamma from the forward's cached
/// rstd: per-block partial dgamma in `scratch`
/// (normScaleBackwardScratchFloats(N, D)), then their sum.
template <int64_t N, int64_t D, class X = float, class DY = float,
          class DX = float, class AD = float>
void launchRmsnormScaleBackward(cudaStream_t stream, const NoDeduce<X> *x,
                                const float *gamma, const NoDeduce<DY> *dy,
                                const float *rstdIn,
                                const NoDeduce<AD> *addend, NoDeduce<DX> *dx,
                                float *dgamma, float *scratch) {
  constexpr int64_t RPB = normScaleBackwardRowsPerBlock(N);
  constexpr int64_t P = normScaleBackwardBlocks(N);
  NF_LAUNCH((rmsnormScaleBackward<N, D, RPB, X, DY, DX, AD>), dim3(P),
            dim3(kBlockThreads), normScaleBackwardSharedBytes(D), stream, x,
            gamma, dy, rstdIn, addend, dx, scratch);
  NF_LAUNCH((columnFinalize<D, P>), dim3(strideBlocks(D)),
            dim3(kBlockThreads), 0, stream, scratch, dgamma);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_NORMSCALEKERNELS_CUH
