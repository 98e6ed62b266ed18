//===- ElementwiseKernels.cuh - pointwise and broadcast kernels -*- CUDA
//-*-===//
//
// Grid-stride loops over S elements (Platform.cuh's strideBlocks sizes the
// grid). A "suffix broadcast" operand of M values repeats over the N rows
// of an [N, M] tensor (nf.add, nf.mul, nf.scale, nf.bias_add); its adjoint
// is a column sum (Reduce.cuh columnPartials + columnFinalize).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_ELEMENTWISEKERNELS_CUH
#define NFRT_CUDA_ELEMENTWISEKERNELS_CUH

#include "nfrt/cuda/Reduce.cuh"

namespace nfrt::cuda {

#define NF_GRID_STRIDE(i, S)                                                   \
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < (S);    \
       i += int64_t(gridDim.x) * blockDim.x)

template <int64_t S, class T = float>
__global__ void __launch_bounds__(256) fill(T *out, float value) {
  NF_GRID_STRIDE(i, S) out[i] = fromF32<T>(value);
}

/// out[r, j] = lhs[r, j] + rhs[j].
template <int64_t N, int64_t M, class L = float, class R = float,
          class O = float>
__global__ void __launch_bounds__(256)
    addBroadcast(const L *lhs, const R *rhs, O *out) {
  NF_GRID_STRIDE(i, N * M)
  out[i] = fromF32<O>(toF32(lhs[i]) + toF32(rhs[M == 1 ? 0 : i % M]));
}

/// out[r, j] = lhs[r, j] * rhs[j].
template <int64_t N, int64_t M, class L = float, class R = float,
          class O = float>
__global__ void __launch_bounds__(256)
    mulBroadcast(const L *lhs, const R *rhs, O *out) {
  NF_GRID_STRIDE(i, N * M)
  out[i] = fromF32<O>(toF32(lhs[i]) * toF32(rhs[M == 1 ? 0 : i % M]));
}

/// out[r, j] = in[r, j] * gamma[j] + beta[j] (either may be null): a
/// fused norm + linear branch's scale vector and bias, feeding its GEMM.
template <int64_t N, int64_t D>
__global__ void __launch_bounds__(256)
    scaleBias(const float *in, const float *gamma, const float *beta,
              float *out) {
  NF_GRID_STRIDE(i, N * D) {
    float v = gamma ? in[i] * gamma[i % D] : in[i];
    out[i] = beta ? v + beta[i % D] : v;
  }
}

/// y = x * Phi(x), exact GELU (torch.nn.functional.gelu).
template <int64_t S, class X = float, class Y = float>
__global__ void __launch_bounds__(256) geluForward(const X *x, Y *y) {
  NF_GRID_STRIDE(i, S) {
    float v = toF32(x[i]);
    y[i] = fromF32<Y>(0.5f * v * (1.f + erff(v * 0.70710678118654752f)));
  }
}

/// dx = dy (Phi(x) + x phi(x)).
template <int64_t S, class X = float, class DY = float, class DX = float>
__global__ void __launch_bounds__(256)
    geluBackward(const X *x, const DY *dy, DX *dx) {
  NF_GRID_STRIDE(i, S) {
    float v = toF32(x[i]);
    float cdf = 0.5f * (1.f + erff(v * 0.70710678118654752f));
    float pdf = 0.3989422804014327f * expf(-0.5f * v * v);
    dx[i] = fromF32<DX>(toF32(dy[i]) * (cdf + v * pdf));
  }
}

/// y = x sigmoid(x).
template <int64_t S, class X = float, class Y = float>
__global__ void __launch_bounds__(256) siluForward(const X *x, Y *y) {
  NF_GRID_STRIDE(i, S) {
    float v = toF32(x[i]);
    y[i] = fromF32<Y>(v / (1.f + expf(-v)));
  }
}

/// dx = dy s (1 + x (1 - s)), s = sigmoid(x).
template <int64_t S, class X = float, class DY = float, class DX = float>
__global__ void __launch_bounds__(256)
    siluBackward(const X *x, const DY *dy, DX *dx) {
  NF_GRID_STRIDE(i, S) {
    float v = toF32(x[i]);
    float s = 1.f / (1.f + expf(-v));
    dx[i] = fromF32<DX>(toF32(dy[i]) * s * (1.f + v * (1.f - s)));
  }
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_ELEMENTWISEKERNELS_CUH
