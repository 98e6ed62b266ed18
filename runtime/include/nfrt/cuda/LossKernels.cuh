//===- LossKernels.cuh - softmax cross-entropy ------------------*- CUDA
//-*-===//
//
// A warp per row of V logits. The train step's forward keeps each row's
// max and log-sum-exp (two floats) so that the backward is one pass:
//   loss = mean_n (lse_n - logits[n, target_n])
//   dlogits = dloss (softmax(logits) - onehot(target)) / N
// With a constant dloss (the train step's seed) the emitter fuses the two:
// crossEntropyFused writes the row loss and dlogits from one read.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_LOSSKERNELS_CUH
#define NFRT_CUDA_LOSSKERNELS_CUH

#include "nfrt/cuda/Reduce.cuh"

namespace nfrt::cuda {

/// The row's max and log(sum exp(x - max)) + max.
template <int64_t V, class L>
__device__ float2 rowLogSumExp(const L *row, int lane) {
  float mx = -INFINITY;
  for (int64_t j = lane; j < V; j += 32)
    mx = fmaxf(mx, toF32(row[j]));
  mx = warpMax(mx);
  float sum = 0.f;
  for (int64_t j = lane; j < V; j += 32)
    sum += expf(toF32(row[j]) - mx);
  sum = warpSum(sum);
  return make_float2(mx, logf(sum) + mx);
}

/// rowLoss[n] = lse_n - logits[n, target_n] (finished by sumPartials with
/// scale 1 / N); stats[2n..2n+1] = (max, lse) when given.
template <int64_t N, int64_t V, class L = float>
__global__ void __launch_bounds__(256)
    crossEntropyForward(const L *logits, const int32_t *targets, float *rowLoss,
                        float *stats) {
  int64_t n = int64_t(blockIdx.x) * 8 + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (n >= N)
    return;
  const L *row = logits + n * V;
  float2 m = rowLogSumExp<V>(row, lane);
  if (lane == 0) {
    rowLoss[n] = m.y - toF32(row[targets[n]]);
    if (stats) {
      stats[2 * n] = m.x;
      stats[2 * n + 1] = m.y;
    }
  }
}

/// dlogits = (dloss / N) (exp(x - lse) - onehot), lse cached or recomputed.
template <int64_t N, int64_t V, class L = float, class DL = float>
__global__ void __launch_bounds__(256)
    crossEntropyBackward(const L *logits, const int32_t *targets,
                         const float *stats, const float *dloss, DL *dlogits) {
  int64_t n = int64_t(blockIdx.x) * 8 + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (n >= N)
    return;
  const L *row = logits + n * V;
  float lse = stats ? stats[2 * n + 1] : rowLogSumExp<V>(row, lane).y;
  float g = *dloss / N;
  int32_t t = targets[n];
  for (int64_t j = lane; j < V; j += 32)
    dlogits[n * V + j] =
        fromF32<DL>(g * (expf(toF32(row[j]) - lse) - (j == t ? 1.f : 0.f)));
}

/// Forward and backward in one pass over the row, for a dloss known when
/// the step is compiled.
template <int64_t N, int64_t V, class L = float, class DL = float>
__global__ void __launch_bounds__(256)
    crossEntropyFused(const L *logits, const int32_t *targets, float *rowLoss,
                      DL *dlogits, float dloss) {
  int64_t n = int64_t(blockIdx.x) * 8 + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (n >= N)
    return;
  const L *row = logits + n * V;
  float2 m = rowLogSumExp<V>(row, lane);
  int32_t t = targets[n];
  if (lane == 0)
    rowLoss[n] = m.y - toF32(row[t]);
  float g = dloss / N;
  for (int64_t j = lane; j < V; j += 32)
    dlogits[n * V + j] =
        fromF32<DL>(g * (expf(toF32(row[j]) - m.y) - (j == t ? 1.f : 0.f)));
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_LOSSKERNELS_CUH
