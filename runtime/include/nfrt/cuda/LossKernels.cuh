//===- LossKernels.cuh - softmax cross-entropy ------------------*- CUDA
//-*-===//
//
// A warp per row of V logits. The train step's forward keeps each row's
// max and log-sum-exp (two floats) so that the backward is one pass:
//   loss = mean_n (lse_n - logits[n, target_n])
//   dlogits = dloss (softmax(logits) - onehot(target)) / N
// With a constant dloss (the train step's seed) the emitter fuses the two:
// crossEntropyFused writes the row loss and dlogits.
//
// Two ways to get lse, chosen by the ONLINE template parameter, which
// defaults to the logits' storage type:
//   - fp32 logits (fp32 mode): max, then sum exp(x - max): two reads of the
//     row, three with the fused gradient pass. Kept as it was, so that
//     fp32 mode's results stay bit-identical.
//   - bf16 logits (bf16 mode): the online softmax (Milakov & Gimelshein
//     2018, "Online normalizer calculation for softmax", arXiv:1805.02867):
//     one read keeps a running max m and the sum s of exp(x - m), rescaling
//     s by exp(m_old - m_new) when the max grows, and the lanes' (m, s) are
//     merged by the same rule; the fused gradient pass is the second and
//     last read. Rows are read 16 bytes per lane (8 bf16) where they are
//     aligned, and the gradient may be written in place over the logits
//     (crossEntropyFused, see there). At GPT-2's vocabulary (V 50257, 16384
//     rows) this is the step's largest tensor: docs/cuda.md, The classifier.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_LOSSKERNELS_CUH
#define NFRT_CUDA_LOSSKERNELS_CUH

#include "nfrt/cuda/Reduce.cuh"
#include "nfrt/cuda/Storage.cuh"
#include "nfrt/cuda/Vec.cuh"

#include <type_traits>

namespace nfrt::cuda {

/// The row's max and log(sum exp(x - max)) + max, in two reads.
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

/// The online softmax's default: on for bf16 logits (see above).
template <class L> constexpr bool kOnlineSoftmax = !std::is_same_v<L, float>;

/// A row of V values of L cut for 16-byte loads: `head` (< W) values up to
/// the first 16-byte boundary, `chunks` whole W-value chunks, then the
/// tail. Lane i takes head value i, chunks i, i + 32, ..., and tail value
/// i. A bf16 row of V 50257 starts at any even address.
template <int64_t V, class L> struct RowChunks {
  static constexpr int W = int(16 / sizeof(L));
  int64_t head, chunks;
  __host__ __device__ explicit RowChunks(const L *row) {
    int64_t off =
        int64_t(reinterpret_cast<uintptr_t>(row) % 16) / int64_t(sizeof(L));
    head = off == 0 ? 0 : (W - off < V ? W - off : V);
    chunks = (V - head) / W;
  }
};

/// Adds K values to the running (max m, sum s of exp(x - m)): the online
/// softmax's update for a chunk, one exp per value plus one to rescale s
/// (exp(0) = 1 exactly while the max stays). An empty side (max -inf, sum
/// 0) adds nothing: exp is taken from 0, not -inf, when the new max is
/// -inf (exp(-inf - -inf) would be NaN).
template <int K>
__device__ __forceinline__ void onlineAdd(float &m, float &s,
                                          const float (&x)[K]) {
  float mx = m;
  NF_UNROLL
  for (int k = 0; k < K; ++k)
    mx = fmaxf(mx, x[k]);
  float base = mx == -INFINITY ? 0.f : mx;
  float t = s * expf(m - base);
  NF_UNROLL
  for (int k = 0; k < K; ++k)
    t += expf(x[k] - base);
  m = mx;
  s = t;
}

/// The row's (max, lse) by the online softmax in one read of the row; the
/// lanes' partial (m, s) are merged by the same rescaling in a butterfly.
/// Each pair merges in one fixed order (the lower lane's side first), so
/// both lanes of a pair compute the same bits whatever contraction into
/// FMAs the compiler chooses, and every lane ends with the same lse.
template <int64_t V, class L>
__device__ float2 rowOnlineLogSumExp(const L *row, int lane) {
  using Chunks = RowChunks<V, L>;
  constexpr int W = Chunks::W;
  Chunks c(row);
  float m = -INFINITY, s = 0.f;
  if (lane < c.head)
    onlineAdd<1>(m, s, {toF32(row[lane])});
#pragma unroll 4
  for (int64_t i = lane; i < c.chunks; i += 32) {
    float x[W];
    loadF32<W>(row + c.head + i * W, x);
    onlineAdd<W>(m, s, x);
  }
  int64_t j = c.head + c.chunks * W + lane;
  if (j < V)
    onlineAdd<1>(m, s, {toF32(row[j])});
  for (int o = 16; o > 0; o >>= 1) {
    float om = __shfl_xor_sync(kFullMask, m, o);
    float os = __shfl_xor_sync(kFullMask, s, o);
    bool upper = lane & o;
    float m0 = upper ? om : m, s0 = upper ? os : s;
    float m1 = upper ? m : om, s1 = upper ? s : os;
    float mx = fmaxf(m0, m1);
    float base = mx == -INFINITY ? 0.f : mx;
    s = s0 * expf(m0 - base) + s1 * expf(m1 - base);
    m = mx;
  }
  return make_float2(m, logf(s) + m);
}

/// The gradient pass of the online kernels, the row's second read:
/// drow[j] = g (exp(x_j - lse) - [j == t]). When `loss` is given, the lane
/// that reads x_t writes *loss = lse - x_t (before it overwrites x_t when
/// drow is the row itself). In place is safe: every value is read and then
/// written by the same thread, and no thread reads another's value here
/// (the first read ended at the lanes' merge, which every lane reaches
/// before any lane writes). 16-byte chunks where drow's chunks are aligned
/// as well (always in place), else one value per lane.
template <int64_t V, class L, class DL>
__device__ void rowSoftmaxGradient(const L *row, DL *drow, int lane, float lse,
                                   float g, int32_t t, float *loss) {
  using Chunks = RowChunks<V, L>;
  constexpr int W = Chunks::W;
  Chunks c(row);
  auto one = [&](int64_t j) {
    float x = toF32(row[j]);
    if (j == t && loss)
      *loss = lse - x;
    drow[j] = fromF32<DL>(g * (expf(x - lse) - (j == t ? 1.f : 0.f)));
  };
  if (reinterpret_cast<uintptr_t>(drow + c.head) % (W * sizeof(DL)) != 0) {
    for (int64_t j = lane; j < V; j += 32)
      one(j);
    return;
  }
  if (lane < c.head)
    one(lane);
#pragma unroll 4
  for (int64_t i = lane; i < c.chunks; i += 32) {
    // The whole chunk is read before any of it is written (in place).
    int64_t j0 = c.head + i * W;
    float x[W], d[W];
    loadF32<W>(row + j0, x);
    NF_UNROLL
    for (int k = 0; k < W; ++k) {
      bool hit = j0 + k == t;
      if (hit && loss)
        *loss = lse - x[k];
      d[k] = g * (expf(x[k] - lse) - (hit ? 1.f : 0.f));
    }
    storeF32<W>(drow + j0, d);
  }
  int64_t j = c.head + c.chunks * W + lane;
  if (j < V)
    one(j);
}

/// rowLoss[n] = lse_n - logits[n, target_n] (finished by sumPartials with
/// scale 1 / N); stats[2n..2n+1] = (max, lse) when given.
template <int64_t N, int64_t V, class L = float,
          bool ONLINE = kOnlineSoftmax<L>>
__global__ void __launch_bounds__(256)
    crossEntropyForward(const L *logits, const int32_t *targets, float *rowLoss,
                        float *stats) {
  int64_t n = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (n >= N)
    return;
  const L *row = logits + n * V;
  float2 m =
      ONLINE ? rowOnlineLogSumExp<V>(row, lane) : rowLogSumExp<V>(row, lane);
  if (lane == 0) {
    rowLoss[n] = m.y - toF32(row[targets[n]]);
    if (stats) {
      stats[2 * n] = m.x;
      stats[2 * n + 1] = m.y;
    }
  }
}

/// dlogits = (dloss / N) (exp(x - lse) - onehot), lse cached or recomputed.
template <int64_t N, int64_t V, class L = float, class DL = float,
          bool ONLINE = kOnlineSoftmax<L>>
__global__ void __launch_bounds__(256)
    crossEntropyBackward(const L *logits, const int32_t *targets,
                         const float *stats, const float *dloss, DL *dlogits) {
  int64_t n = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (n >= N)
    return;
  const L *row = logits + n * V;
  float g = *dloss / N;
  int32_t t = targets[n];
  if constexpr (ONLINE) {
    float lse = stats ? stats[2 * n + 1] : rowOnlineLogSumExp<V>(row, lane).y;
    rowSoftmaxGradient<V>(row, dlogits + n * V, lane, lse, g, t, nullptr);
  } else {
    float lse = stats ? stats[2 * n + 1] : rowLogSumExp<V>(row, lane).y;
    for (int64_t j = lane; j < V; j += 32)
      dlogits[n * V + j] =
          fromF32<DL>(g * (expf(toF32(row[j]) - lse) - (j == t ? 1.f : 0.f)));
  }
}

/// Forward and backward in one kernel, for a dloss known when the step is
/// compiled. ONLINE: one read of the row for (max, lse), one for the
/// gradient, which may overwrite the logits in place (dlogits == logits,
/// DL == L: the train step's bf16 mode, where the memory plan gives the
/// gradient the logits' storage when nothing else reads them; see
/// rowSoftmaxGradient for why that is safe). The row's loss is then taken
/// from x_t by the lane that reads it in the gradient pass; a target
/// outside [0, V) (rejected before the step) gives a NaN loss.
/// PITCH: the row pitch of logits and dlogits (V, or the head GEMM's padded
/// pitch linearPitch(V) when the train step stores the bf16 logits as that
/// GEMM writes them: docs/cuda.md, The classifier). Columns V..PITCH-1 of
/// the logits are not read, and those of dlogits are written as zeros, so
/// the head's backward GEMMs can read dlogits as their padded dy.
template <int64_t N, int64_t V, class L = float, class DL = float,
          bool ONLINE = kOnlineSoftmax<L>, int64_t PITCH = V>
__global__ void __launch_bounds__(256)
    crossEntropyFused(const L *logits, const int32_t *targets, float *rowLoss,
                      DL *dlogits, float dloss) {
  static_assert(PITCH >= V, "a row pitch below the row");
  int64_t n = int64_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (n >= N)
    return;
  const L *row = logits + n * PITCH;
  DL *drow = dlogits + n * PITCH;
  int32_t t = targets[n];
  float g = dloss / N;
  if constexpr (ONLINE) {
    float lse = rowOnlineLogSumExp<V>(row, lane).y;
    if (lane == 0 && (t < 0 || t >= V))
      rowLoss[n] = NAN;
    rowSoftmaxGradient<V>(row, drow, lane, lse, g, t, rowLoss + n);
  } else {
    float2 m = rowLogSumExp<V>(row, lane);
    if (lane == 0)
      rowLoss[n] = m.y - toF32(row[t]);
    for (int64_t j = lane; j < V; j += 32)
      drow[j] =
          fromF32<DL>(g * (expf(toF32(row[j]) - m.y) - (j == t ? 1.f : 0.f)));
  }
  // The pad columns (never read above, so in place stays safe).
  if constexpr (PITCH > V)
    for (int64_t j = V + lane; j < PITCH; j += 32)
      drow[j] = fromF32<DL>(0.f);
}

// Launchers: the generated code calls these; each owns its grid
// (LaunchShapes.h) and scratch.

/// The mean cross-entropy into *loss (row losses in `scratch`,
/// crossEntropyScratchFloats(N)); each row's statistics into `stats` when
/// given (the backward reads them).
template <int64_t N, int64_t V, class L = float,
          bool ONLINE = kOnlineSoftmax<L>>
void launchCrossEntropyForward(cudaStream_t stream, const NoDeduce<L> *logits,
                               const int32_t *targets, float *stats,
                               float *loss, float *scratch) {
  NF_LAUNCH_ROWS((crossEntropyForward<N, V, L, ONLINE>), N, stream, logits,
                 targets, scratch, stats);
  NF_LAUNCH((sumPartials<N>), dim3(1), dim3(32), 0, stream, scratch, loss,
            float(1.0 / double(N)));
}
template <int64_t N, int64_t V, class L = float, class DL = float,
          bool ONLINE = kOnlineSoftmax<L>>
void launchCrossEntropyBackward(cudaStream_t stream,
                                const NoDeduce<L> *logits,
                                const int32_t *targets, const float *stats,
                                const float *dloss, NoDeduce<DL> *dlogits) {
  NF_LAUNCH_ROWS((crossEntropyBackward<N, V, L, DL, ONLINE>), N, stream,
                 logits, targets, stats, dloss, dlogits);
}
/// The mean loss into *loss and dlogits = dloss * (softmax - onehot) / N
/// in one pass (row losses in `scratch`, crossEntropyScratchFloats(N)).
template <int64_t N, int64_t V, class L = float, class DL = float,
          bool ONLINE = kOnlineSoftmax<L>, int64_t PITCH = V>
void launchCrossEntropyFused(cudaStream_t stream, const NoDeduce<L> *logits,
                             const int32_t *targets, NoDeduce<DL> *dlogits,
                             float dloss, float *loss, float *scratch) {
  NF_LAUNCH_ROWS((crossEntropyFused<N, V, L, DL, ONLINE, PITCH>), N, stream,
                 logits, targets, scratch, dlogits, dloss);
  NF_LAUNCH((sumPartials<N>), dim3(1), dim3(32), 0, stream, scratch, loss,
            float(1.0 / double(N)));
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_LOSSKERNELS_CUH
