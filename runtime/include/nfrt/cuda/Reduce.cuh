//===- Reduce.cuh - warp, block and two-pass deterministic sums -*- CUDA
//-*-===//
//
// Every reduction that produces a gradient is deterministic: blocks write
// fp32 partial sums in a fixed layout and a second kernel adds the partials
// in a fixed order in double (no atomics), so a step's result does not
// depend on scheduling, and all data-parallel ranks stay bit-identical.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_REDUCE_CUH
#define NFRT_CUDA_REDUCE_CUH

#include "nfrt/cuda/Storage.cuh"

namespace nfrt::cuda {

constexpr unsigned kFullMask = 0xffffffffu;

template <class T> __device__ __forceinline__ T warpSum(T v) {
  for (int m = 16; m > 0; m >>= 1)
    v += __shfl_xor_sync(kFullMask, v, m);
  return v;
}

template <class T> __device__ __forceinline__ T warpMax(T v) {
  for (int m = 16; m > 0; m >>= 1) {
    T o = __shfl_xor_sync(kFullMask, v, m);
    v = o > v ? o : v;
  }
  return v;
}

/// The sum over the block (blockDim.x a multiple of 32, every thread
/// calling); the result is valid in thread 0.
template <class T> __device__ T blockSum(T v) {
  __shared__ T partial[32];
  v = warpSum(v);
  if (threadIdx.x % 32 == 0)
    partial[threadIdx.x / 32] = v;
  __syncthreads();
  T s = T(0);
  if (threadIdx.x < 32) {
    s = threadIdx.x < blockDim.x / 32 ? partial[threadIdx.x] : T(0);
    s = warpSum(s);
  }
  __syncthreads(); // `partial` may be reused by the next call
  return s;
}

/// out[0] = scale * sum of the P partials, added in double by one warp in a
/// fixed order.
template <int64_t P>
__global__ void sumPartials(const float *partials, float *out, float scale) {
  double s = 0.0;
  for (int64_t i = threadIdx.x; i < P; i += 32)
    s += double(partials[i]);
  s = warpSum(s);
  if (threadIdx.x == 0)
    *out = float(s * double(scale));
}

/// Column sums of [N, M] (or of the product a * b elementwise when b is
/// given), rows split into P = gridDim.y slices of RPB rows:
///   partials[p, j] = sum_{r in slice p} a[r, j] (* b[r, j]).
/// Block (32, 8): 32 columns, 8 row lanes; grid (ceil(M / 32), P).
template <int64_t N, int64_t M, int64_t RPB, class A = float, class B = float>
__global__ void __launch_bounds__(256)
    columnPartials(const A *a, const NoDeduce<B> *b, float *partials) {
  __shared__ float tile[8][33];
  int64_t col = int64_t(blockIdx.x) * 32 + threadIdx.x;
  int64_t r0 = int64_t(blockIdx.y) * RPB, r1 = r0 + RPB < N ? r0 + RPB : N;
  float s = 0.f;
  if (col < M)
    for (int64_t r = r0 + threadIdx.y; r < r1; r += 8)
      s += b ? toF32(a[r * M + col]) * toF32(b[r * M + col])
             : toF32(a[r * M + col]);
  tile[threadIdx.y][threadIdx.x] = s;
  __syncthreads();
  if (threadIdx.y == 0 && col < M) {
    for (int i = 1; i < 8; ++i)
      s += tile[i][threadIdx.x];
    partials[int64_t(blockIdx.y) * M + col] = s;
  }
}

/// out[j] = sum_p partials[p, j] in double, p in order.
template <int64_t M, int64_t P>
__global__ void columnFinalize(const float *partials, float *out) {
  for (int64_t j = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; j < M;
       j += int64_t(gridDim.x) * blockDim.x) {
    double s = 0.0;
    for (int64_t p = 0; p < P; ++p)
      s += double(partials[p * M + j]);
    out[j] = float(s);
  }
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_REDUCE_CUH
