//===- ElementwiseKernels.cuh - pointwise and broadcast kernels -*- CUDA
//-*-===//
//
// Grid-stride loops over S elements (Platform.cuh's strideBlocks sizes the
// grid). A "suffix broadcast" operand of M values repeats over the N rows
// of an [N, M] tensor (nf.add, nf.mul, nf.scale, nf.bias_add); its adjoint
// is a column sum (Reduce.cuh columnPartials + columnFinalize). Each thread
// moves 16-byte chunks where the pointers are aligned (Vec.cuh
// gridStrideChunks: the tail of S % W elements, or all S when a pointer is
// not, one at a time), computing every element as the scalar code did.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_ELEMENTWISEKERNELS_CUH
#define NFRT_CUDA_ELEMENTWISEKERNELS_CUH

#include "nfrt/ScalarMath.h"
#include "nfrt/cuda/Reduce.cuh"
#include "nfrt/cuda/Vec.cuh"

namespace nfrt::cuda {

#define NF_GRID_STRIDE(i, S)                                                   \
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < (S);    \
       i += int64_t(gridDim.x) * blockDim.x)

template <int64_t S, class T = float>
__global__ void __launch_bounds__(256) fill(T *out, float value) {
  gridStrideChunks<S, vecWidth<T>()>(aligned16(out), [&](int64_t i, auto w) {
    constexpr int C = decltype(w)::value;
    float o[C];
    NF_UNROLL
    for (int e = 0; e < C; ++e)
      o[e] = value;
    storeF32<C>(out + i, o);
  });
}

/// rhs when it is read in chunks of W (below), else null: the pointers a
/// suffix broadcast needs aligned.
template <int64_t M, int W, class R>
__device__ __forceinline__ const R *suffixChunks(const R *rhs) {
  return M > 1 && M % W == 0 ? rhs : nullptr;
}

/// rhs[j .. j + W) of a suffix broadcast over rows of M, for a chunk at
/// i (j = i % M): one chunk when it lies in one row (M % W == 0; then j is
/// a multiple of W and rhs + j aligned like rhs), else W scalar reads.
template <int64_t M, int W, class R>
__device__ __forceinline__ void loadSuffix(const R *rhs, int64_t i,
                                           float (&out)[W]) {
  if constexpr (M == 1) {
    NF_UNROLL
    for (int e = 0; e < W; ++e)
      out[e] = toF32(rhs[0]);
  } else if constexpr (M % W == 0) {
    loadF32<W>(rhs + i % M, out);
  } else {
    NF_UNROLL
    for (int e = 0; e < W; ++e)
      out[e] = toF32(rhs[(i + e) % M]);
  }
}

/// out[r, j] = op(lhs[r, j], rhs[j]) in fp32: the body of the suffix
/// broadcasts below.
template <int64_t N, int64_t M, class L, class R, class O, class Op>
__device__ void broadcastChunks(const L *lhs, const R *rhs, O *out, Op op) {
  constexpr int W = vecWidth<L, R, O>();
  gridStrideChunks<N * M, W>(aligned16(lhs, out, suffixChunks<M, W>(rhs)),
                             [&](int64_t i, auto w) {
                               constexpr int C = decltype(w)::value;
                               float a[C], b[C], o[C];
                               loadF32<C>(lhs + i, a);
                               loadSuffix<M, C>(rhs, i, b);
                               NF_UNROLL
                               for (int e = 0; e < C; ++e)
                                 o[e] = op(a[e], b[e]);
                               storeF32<C>(out + i, o);
                             });
}

/// out[r, j] = lhs[r, j] + rhs[j].
template <int64_t N, int64_t M, class L = float, class R = float,
          class O = float>
__global__ void __launch_bounds__(256)
    addBroadcast(const L *lhs, const R *rhs, O *out) {
  broadcastChunks<N, M>(lhs, rhs, out, [](float a, float b) { return a + b; });
}

/// out[r, j] = lhs[r, j] * rhs[j].
template <int64_t N, int64_t M, class L = float, class R = float,
          class O = float>
__global__ void __launch_bounds__(256)
    mulBroadcast(const L *lhs, const R *rhs, O *out) {
  broadcastChunks<N, M>(lhs, rhs, out, [](float a, float b) { return a * b; });
}

/// out[r, j] = in[r, j] * gamma[j] + beta[j] (either may be null): a
/// fused norm + linear branch's scale vector and bias, feeding its GEMM.
template <int64_t N, int64_t D>
__global__ void __launch_bounds__(256)
    scaleBias(const float *in, const float *gamma, const float *beta,
              float *out) {
  gridStrideChunks<N * D, 4>(
      aligned16(in, out, suffixChunks<D, 4>(gamma), suffixChunks<D, 4>(beta)),
      [&](int64_t i, auto w) {
        constexpr int C = decltype(w)::value;
        float v[C], g[C], b[C];
        loadF32<C>(in + i, v);
        if (gamma) {
          loadSuffix<D, C>(gamma, i, g);
          NF_UNROLL
          for (int e = 0; e < C; ++e)
            v[e] = v[e] * g[e];
        }
        if (beta) {
          loadSuffix<D, C>(beta, i, b);
          NF_UNROLL
          for (int e = 0; e < C; ++e)
            v[e] = v[e] + b[e];
        }
        storeF32<C>(out + i, v);
      });
}

/// y = x * Phi(x), exact GELU (torch.nn.functional.gelu).
template <int64_t S, class X = float, class Y = float>
__global__ void __launch_bounds__(256) geluForward(const X *x, Y *y) {
  mapChunks<S>(x, y, [](float v) { return math::gelu(v); });
}

/// dx = dy (Phi(x) + x phi(x)).
template <int64_t S, class X = float, class DY = float, class DX = float>
__global__ void __launch_bounds__(256)
    geluBackward(const X *x, const DY *dy, DX *dx) {
  mapChunks<S>(x, dy, dx,
               [](float v, float g) { return math::geluGrad(v, g); });
}

/// y = x sigmoid(x).
template <int64_t S, class X = float, class Y = float>
__global__ void __launch_bounds__(256) siluForward(const X *x, Y *y) {
  mapChunks<S>(x, y, [](float v) { return math::silu(v); });
}

/// dx = dy s (1 + x (1 - s)), s = sigmoid(x).
template <int64_t S, class X = float, class DY = float, class DX = float>
__global__ void __launch_bounds__(256)
    siluBackward(const X *x, const DY *dy, DX *dx) {
  mapChunks<S>(x, dy, dx,
               [](float v, float g) { return math::siluGrad(v, g); });
}

// Launchers: the generated code calls these; each owns its grid
// (LaunchShapes.h). Their operand types come from the template arguments
// alone (NoDeduce), as the kernels' do: nullptr is a valid operand.

template <int64_t S, class T = float>
void launchFill(cudaStream_t stream, NoDeduce<T> *out, float value) {
  NF_LAUNCH_STRIDE((fill<S, T>), S, stream, out, value);
}
template <int64_t N, int64_t M, class L = float, class R = float,
          class O = float>
void launchAddBroadcast(cudaStream_t stream, const NoDeduce<L> *lhs, const NoDeduce<R> *rhs,
                        NoDeduce<O> *out) {
  NF_LAUNCH_STRIDE((addBroadcast<N, M, L, R, O>), N * M, stream, lhs, rhs, out);
}
template <int64_t N, int64_t M, class L = float, class R = float,
          class O = float>
void launchMulBroadcast(cudaStream_t stream, const NoDeduce<L> *lhs, const NoDeduce<R> *rhs,
                        NoDeduce<O> *out) {
  NF_LAUNCH_STRIDE((mulBroadcast<N, M, L, R, O>), N * M, stream, lhs, rhs, out);
}
template <int64_t N, int64_t D>
void launchScaleBias(cudaStream_t stream, const float *in, const float *gamma,
                     const float *beta, float *out) {
  NF_LAUNCH_STRIDE((scaleBias<N, D>), N * D, stream, in, gamma, beta, out);
}
template <int64_t S, class X = float, class Y = float>
void launchGeluForward(cudaStream_t stream, const NoDeduce<X> *x, NoDeduce<Y> *y) {
  NF_LAUNCH_STRIDE((geluForward<S, X, Y>), S, stream, x, y);
}
template <int64_t S, class X = float, class DY = float, class DX = float>
void launchGeluBackward(cudaStream_t stream, const NoDeduce<X> *x, const NoDeduce<DY> *dy,
                        NoDeduce<DX> *dx) {
  NF_LAUNCH_STRIDE((geluBackward<S, X, DY, DX>), S, stream, x, dy, dx);
}
template <int64_t S, class X = float, class Y = float>
void launchSiluForward(cudaStream_t stream, const NoDeduce<X> *x, NoDeduce<Y> *y) {
  NF_LAUNCH_STRIDE((siluForward<S, X, Y>), S, stream, x, y);
}
template <int64_t S, class X = float, class DY = float, class DX = float>
void launchSiluBackward(cudaStream_t stream, const NoDeduce<X> *x, const NoDeduce<DY> *dy,
                        NoDeduce<DX> *dx) {
  NF_LAUNCH_STRIDE((siluBackward<S, X, DY, DX>), S, stream, x, dy, dx);
}

/// Column sums of an [N, M] tensor A (of A * B when b is given) into out:
/// block partials in `scratch` (columnSumScratchFloats(N, M)), then their
/// sum.
template <int64_t N, int64_t M, class A = float, class B = float>
void launchColumnSum(cudaStream_t stream, const NoDeduce<A> *a, const NoDeduce<B> *b, float *out,
                     float *scratch) {
  constexpr int64_t RPB = columnSumRowsPerBlock(N), P = columnSumBlocks(N);
  NF_LAUNCH((columnPartials<N, M, RPB, A, B>), dim3(ceilDiv(M, 32), P),
            dim3(32, 8), 0, stream, a, b, scratch);
  NF_LAUNCH((columnFinalize<M, P>), dim3(strideBlocks(M)),
            dim3(kBlockThreads), 0, stream, scratch, out);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_ELEMENTWISEKERNELS_CUH
