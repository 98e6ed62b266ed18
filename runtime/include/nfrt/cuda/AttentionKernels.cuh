//===- AttentionKernels.cuh - causal multi-head attention -------*- CUDA
//-*-===//
//
// q, k, v, out: [B, T, H, HD], as the CPU kernels. RoPE rotates channel
// pairs (2i, 2i+1) at position t by t * theta^(-2i/HD) (angles in double,
// as on the CPU, rounded to float once, into a table: RopeTable.h), into
// copies; the backward un-rotates dq and dk (the adjoint of a rotation is
// the opposite rotation).
//
// One warp per query row (forward, backward pass 1) or key row (pass 2),
// four warps a block, each with 2T floats of dynamic shared memory for its
// row of probabilities. Nothing but q, k, v is kept from the forward; the
// backward stores three floats per row (max, 1/sum, D = sum_j P dP) so
// that pass 2 gets dK and dV as sums over query rows without atomics:
//   forward  O_i = sum_j P_ij V_j,  P_ij = softmax_j(q_i.k_j / sqrt(HD)), j<=i
//   pass 1   dP_ij = dO_i.V_j;  D_i = sum_j P_ij dP_ij;
//            dS_ij = P_ij (dP_ij - D_i) / sqrt(HD);  dQ_i = sum_j dS_ij K_j
//   pass 2   dK_j = sum_{i>=j} dS_ij Q_i;  dV_j = sum_{i>=j} P_ij dO_i
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_ATTENTIONKERNELS_CUH
#define NFRT_CUDA_ATTENTIONKERNELS_CUH

#include "nfrt/cuda/Reduce.cuh"
#include "nfrt/cuda/RopeTable.h"

#include <math.h>

namespace nfrt::cuda {

constexpr int kAttentionWarps = kAttentionThreads / 32;

/// RoPE's (cos, sin) of sign * t * theta^(-2i/HD) for sign +1, then -1
/// (RopeTable.h's layout): the angle in double and both values rounded to
/// float, the expressions the rotation evaluated per pair before it read a
/// table, so the rotation's results are bit for bit the same. The
/// negative angles are computed, not taken as (cos, -sin) of the positive
/// ones: the same bits only if the device's double cos and sin are exactly
/// even and odd.
template <int64_t T, int64_t HD>
__global__ void __launch_bounds__(256) ropeTable(float *table, double theta) {
  constexpr int64_t Pairs = T * (HD / 2);
  for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       idx < 2 * Pairs; idx += int64_t(gridDim.x) * blockDim.x) {
    int64_t i = idx % (HD / 2), t = idx / (HD / 2) % T;
    double sign = idx < Pairs ? 1.0 : -1.0;
    double angle = sign * double(t) * pow(theta, -2.0 * double(i) / HD);
    table[2 * idx] = float(cos(angle));
    table[2 * idx + 1] = float(sin(angle));
  }
}

/// out = in rotated by the angles of `table` (one direction of ropeTable:
/// T x HD/2 (cos, sin) pairs); in may equal out.
template <int64_t B, int64_t T, int64_t H, int64_t HD, class I = float,
          class O = float>
__global__ void __launch_bounds__(256)
    rope(const I *in, O *out, const float *table) {
  constexpr int64_t Pairs = B * T * H * (HD / 2);
  for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       idx < Pairs; idx += int64_t(gridDim.x) * blockDim.x) {
    int64_t i = idx % (HD / 2), t = idx / (HD / 2) / H % T;
    const float *cs = table + 2 * (t * (HD / 2) + i);
    float c = cs[0], s = cs[1];
    int64_t at = idx * 2; // pairs are contiguous in [B, T, H, HD]
    float x0 = toF32(in[at]), x1 = toF32(in[at + 1]);
    out[at] = fromF32<O>(x0 * c - x1 * s);
    out[at + 1] = fromF32<O>(x0 * s + x1 * c);
  }
}

/// Fills RoPE's table (ropeTableFloats(T, HD) floats) once per function;
/// every launchRope of that (T, HD, theta) reads it.
template <int64_t T, int64_t HD>
void launchRopeTable(cudaStream_t stream, float *table, double theta) {
  NF_LAUNCH((ropeTable<T, HD>), dim3(strideBlocks(T * HD)), dim3(256), 0,
            stream, table, theta);
}

/// out = in rotated by RoPE (`inverse`: back, the backward's un-rotation
/// of dq and dk), through the table launchRopeTable filled.
template <int64_t B, int64_t T, int64_t H, int64_t HD, class I, class O>
void launchRope(cudaStream_t stream, const I *in, O *out, const float *table,
                bool inverse) {
  NF_LAUNCH((rope<B, T, H, HD, I, O>), dim3(strideBlocks(B * T * H * HD / 2)),
            dim3(256), 0, stream, in, out,
            table + (inverse ? ropeTableDirectionFloats(T, HD) : 0));
}

/// The row (b, h, i) of warp `w` in block `blk`, or -1 past the end.
template <int64_t B, int64_t T, int64_t H>
__device__ __forceinline__ int64_t attentionRow() {
  int64_t row = int64_t(blockIdx.x) * kAttentionWarps + threadIdx.x / 32;
  return row < B * H * T ? row : -1;
}

template <int64_t T, int64_t H, int64_t HD>
__device__ __forceinline__ int64_t at(int64_t b, int64_t t, int64_t h) {
  return ((b * T + t) * H + h) * HD;
}

/// The scaled scores of query row i against keys j <= i into p[j], then
/// their softmax numerators exp(s - max); returns (max, 1/sum) of the row.
template <int64_t T, int64_t H, int64_t HD, class QK>
__device__ float2 softmaxRow(const QK *q, const QK *k, int64_t b, int64_t h,
                             int64_t i, float *p) {
  int lane = threadIdx.x % 32;
  const float scale = 1.f / sqrtf(float(HD));
  const QK *qi = q + at<T, H, HD>(b, i, h);
  float mx = -INFINITY;
  for (int64_t j = lane; j <= i; j += 32) {
    const QK *kj = k + at<T, H, HD>(b, j, h);
    float s = 0.f;
    for (int64_t d = 0; d < HD; ++d)
      s += toF32(qi[d]) * toF32(kj[d]);
    p[j] = s * scale;
    mx = fmaxf(mx, s * scale);
  }
  mx = warpMax(mx);
  float sum = 0.f;
  for (int64_t j = lane; j <= i; j += 32) {
    float e = expf(p[j] - mx);
    p[j] = e;
    sum += e;
  }
  sum = warpSum(sum);
  return make_float2(mx, 1.f / sum);
}

template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK = float,
          class V = float, class O = float>
__global__ void __launch_bounds__(128)
    attentionForward(const QK *q, const QK *k, const V *v, O *out) {
  NF_DYNAMIC_SMEM(float, smem);
  int64_t row = attentionRow<B, T, H>();
  if (row < 0) // the whole warp leaves
    return;
  int64_t i = row % T, h = row / T % H, b = row / (T * H);
  float *p = smem + (threadIdx.x / 32) * 2 * T;
  float2 stats = softmaxRow<T, H, HD>(q, k, b, h, i, p);
  __syncwarp();
  for (int64_t d = threadIdx.x % 32; d < HD; d += 32) {
    float o = 0.f;
    for (int64_t j = 0; j <= i; ++j)
      o += p[j] * toF32(v[at<T, H, HD>(b, j, h) + d]);
    out[at<T, H, HD>(b, i, h) + d] = fromF32<O>(o * stats.y);
  }
}

/// Pass 1, a warp per query row: dQ_i, and (max, 1/sum, D_i) for pass 2.
template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK = float,
          class V = float, class DO = float, class DQ = float>
__global__ void __launch_bounds__(128)
    attentionBackwardQuery(const QK *q, const QK *k, const V *v, const DO *dout,
                           DQ *dq, float *rowStats) {
  NF_DYNAMIC_SMEM(float, smem);
  int64_t row = attentionRow<B, T, H>();
  if (row < 0)
    return;
  int64_t i = row % T, h = row / T % H, b = row / (T * H);
  int lane = threadIdx.x % 32;
  const float scale = 1.f / sqrtf(float(HD));
  float *p = smem + (threadIdx.x / 32) * 2 * T, *dp = p + T;
  float2 stats = softmaxRow<T, H, HD>(q, k, b, h, i, p);
  const DO *doi = dout + at<T, H, HD>(b, i, h);
  float dsum = 0.f;
  for (int64_t j = lane; j <= i; j += 32) {
    const V *vj = v + at<T, H, HD>(b, j, h);
    float g = 0.f;
    for (int64_t d = 0; d < HD; ++d)
      g += toF32(doi[d]) * toF32(vj[d]);
    p[j] *= stats.y;
    dp[j] = g;
    dsum += p[j] * g;
  }
  float D = warpSum(dsum);
  for (int64_t j = lane; j <= i; j += 32)
    dp[j] = p[j] * (dp[j] - D) * scale;
  __syncwarp();
  for (int64_t d = lane; d < HD; d += 32) {
    float g = 0.f;
    for (int64_t j = 0; j <= i; ++j)
      g += dp[j] * toF32(k[at<T, H, HD>(b, j, h) + d]);
    dq[at<T, H, HD>(b, i, h) + d] = fromF32<DQ>(g);
  }
  if (lane == 0) {
    rowStats[3 * row] = stats.x;
    rowStats[3 * row + 1] = stats.y;
    rowStats[3 * row + 2] = D;
  }
}

/// Pass 2, a warp per key row j: dK_j and dV_j over the query rows i >= j.
template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK = float,
          class V = float, class DO = float, class DK = float, class DV = float>
__global__ void __launch_bounds__(128)
    attentionBackwardKey(const QK *q, const QK *k, const V *v, const DO *dout,
                         const float *rowStats, DK *dk, DV *dv) {
  NF_DYNAMIC_SMEM(float, smem);
  int64_t row = attentionRow<B, T, H>();
  if (row < 0)
    return;
  int64_t j = row % T, h = row / T % H, b = row / (T * H);
  int lane = threadIdx.x % 32;
  const float scale = 1.f / sqrtf(float(HD));
  float *cs = smem + (threadIdx.x / 32) * 2 * T, *cp = cs + T;
  const QK *kj = k + at<T, H, HD>(b, j, h);
  const V *vj = v + at<T, H, HD>(b, j, h);
  const float *st = rowStats + 3 * (row - j); // the stats of (b, h, i = 0)
  for (int64_t i = j + lane; i < T; i += 32) {
    const QK *qi = q + at<T, H, HD>(b, i, h);
    const DO *doi = dout + at<T, H, HD>(b, i, h);
    float s = 0.f, g = 0.f;
    for (int64_t d = 0; d < HD; ++d) {
      s += toF32(qi[d]) * toF32(kj[d]);
      g += toF32(doi[d]) * toF32(vj[d]);
    }
    float p = expf(s * scale - st[3 * i]) * st[3 * i + 1];
    cp[i] = p;
    cs[i] = p * (g - st[3 * i + 2]) * scale;
  }
  __syncwarp();
  for (int64_t d = lane; d < HD; d += 32) {
    float gk = 0.f, gv = 0.f;
    for (int64_t i = j; i < T; ++i) {
      gk += cs[i] * toF32(q[at<T, H, HD>(b, i, h) + d]);
      gv += cp[i] * toF32(dout[at<T, H, HD>(b, i, h) + d]);
    }
    dk[at<T, H, HD>(b, j, h) + d] = fromF32<DK>(gk);
    dv[at<T, H, HD>(b, j, h) + d] = fromF32<DV>(gv);
  }
}

/// The exact fp32 attention (any head dim; T up to what a block's shared
/// memory holds, attentionSharedBytes(T) <= kMaxSharedBytes): the
/// generated code's launchers, which own the grid and shared memory.
template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK = float,
          class V = float, class O = float>
void launchAttentionForward(cudaStream_t stream, const NoDeduce<QK> *q,
                            const NoDeduce<QK> *k, const NoDeduce<V> *v,
                            NoDeduce<O> *out) {
  static_assert(attentionSharedBytes(T) <= kMaxSharedBytes,
                "a row of probabilities per warp in shared memory");
  NF_LAUNCH((attentionForward<B, T, H, HD, QK, V, O>),
            dim3(attentionBlocks(B, T, H)), dim3(kAttentionThreads),
            attentionSharedBytes(T), stream, q, k, v, out);
}
/// dq, dk and dv; `scratch` holds attentionBackwardScratchFloats(B, T, H,
/// HD, false) floats (the rows' statistics, passed between the kernels).
template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK = float,
          class V = float, class DO = float, class DQ = float,
          class DK = float, class DV = float>
void launchAttentionBackward(cudaStream_t stream, const NoDeduce<QK> *q,
                             const NoDeduce<QK> *k, const NoDeduce<V> *v,
                             const NoDeduce<DO> *dout, NoDeduce<DQ> *dq,
                             NoDeduce<DK> *dk, NoDeduce<DV> *dv,
                             float *scratch) {
  static_assert(attentionSharedBytes(T) <= kMaxSharedBytes,
                "a row of probabilities per warp in shared memory");
  NF_LAUNCH((attentionBackwardQuery<B, T, H, HD, QK, V, DO, DQ>),
            dim3(attentionBlocks(B, T, H)), dim3(kAttentionThreads),
            attentionSharedBytes(T), stream, q, k, v, dout, dq, scratch);
  NF_LAUNCH((attentionBackwardKey<B, T, H, HD, QK, V, DO, DK, DV>),
            dim3(attentionBlocks(B, T, H)), dim3(kAttentionThreads),
            attentionSharedBytes(T), stream, q, k, v, dout,
            static_cast<const float *>(scratch), dk, dv);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_ATTENTIONKERNELS_CUH
