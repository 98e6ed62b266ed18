//===- FlashAttentionKernels.cuh - causal attention on tensor cores -*- CUDA
//-*-===//
//
// bf16 mode's attention (q, k, v, out: [B, T, H, HD], as AttentionKernels):
// flash attention (Dao 2022; FlashAttention-2's split of the work), tiled
// through shared memory, with every product on the bf16 tensor cores
// (nfrt/cuda/Mma.cuh) and fp32 accumulation. Nothing of size T x T is
// stored; any T runs. HD is a multiple of 16, at most 128.
//
//   forward   per query tile, over the key tiles up to its diagonal:
//             S = Q K^T / sqrt(HD) (causal mask), online softmax (running
//             max m and sum l per row), O += bf16(exp(S - m)) V; O /= l.
//   backward  two kernels, so that every sum has one owner and the step
//             stays bit-reproducible (no atomics, unlike FlashAttention-2's
//             dQ):
//     query   per query tile, two sweeps over its key tiles: the first gets
//             the row's m, l and D = sum_j P_ij dP_ij (dP = dO V^T) by the
//             same online rescaling; the second dQ += bf16(dS) K with
//             dS = P (dP - D) / sqrt(HD). Writes (m, 1/l, D) per row.
//     key     per key tile, over the query rows i >= j, with those stats:
//             dV += bf16(P)^T dO, dK += bf16(dS)^T Q.
//
// Roundings (test/torch/bf16_policy.py attention is the same rule): q, k,
// v, dO enter the tensor cores as bf16 (q and k after RoPE, rotated in
// fp32); P and dS are rounded to bf16 as A operands; the softmax
// statistics, D and every accumulator are fp32. The backward recomputes
// S and dP from q, k, v instead of keeping anything from the forward.
//
// Tiles: 4 warps, each owning 16 rows (queries, or keys in the key kernel)
// of a 64-row block tile; the other side streams through shared memory in
// tiles of kKeys (forward, query kernel) or kQueries (key kernel) rows,
// smaller for HD 128 to stay within the 48 KiB of shared memory every
// sm_80+ GPU gives without an opt-in. Shared-memory rows are padded by 8
// bf16 (16 bytes) so the fragment loads of a warp spread over the banks.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_FLASHATTENTIONKERNELS_CUH
#define NFRT_CUDA_FLASHATTENTIONKERNELS_CUH

#include "nfrt/cuda/AttentionKernels.cuh"
#include "nfrt/cuda/Mma.cuh"

#include <math.h>

namespace nfrt::cuda {

/// The tile shape for head dimension HD (see the file comment).
template <int64_t HD> struct FlashTiles {
  static_assert(HD % 16 == 0 && HD >= 16 && HD <= 128,
                "flash attention takes head dimensions 16, 32, ..., 128");
  static constexpr int kWarps = 4;
  static constexpr int kRows = 16 * kWarps; // a block's own rows
  static constexpr int kKeys = HD > 64 ? 32 : 64;
  static constexpr int kQueries = HD > 64 ? 16 : 64;
  static constexpr int kPitch = HD + 8; // bf16 per shared-memory row
  __host__ __device__ static constexpr size_t rowBytes(int rows) {
    return size_t(rows) * kPitch * 2;
  }
  /// Forward and query kernel: the block's q (and dO) rows are staged
  /// once through the space of a K and a V tile.
  __host__ __device__ static constexpr size_t queryKernelSmem() {
    return rowBytes(kRows > 2 * kKeys ? kRows : 2 * kKeys);
  }
  /// Key kernel: K and V of its 64 keys, a Q and a dO tile, and the
  /// queries' (m, 1/l, D).
  __host__ __device__ static constexpr size_t keyKernelSmem() {
    return rowBytes(2 * kRows + 2 * kQueries) + 3 * sizeof(float) * kQueries;
  }
};

namespace flash {

/// Rows [row0, row0 + rows) of head (b, h) of x into shared memory as bf16,
/// zeros past T. Two values per thread and step: the pair is 4-byte aligned
/// in both (HD and the pitch are even).
template <int64_t T, int64_t H, int64_t HD, class X>
__device__ void stageRows(const X *x, int64_t b, int64_t h, int64_t row0,
                          int rows, uint16_t *dst) {
  constexpr int P = FlashTiles<HD>::kPitch;
  for (int idx = threadIdx.x; idx < rows * int(HD / 2); idx += blockDim.x) {
    int r = idx / int(HD / 2), c = idx % int(HD / 2) * 2;
    int64_t t = row0 + r;
    uint32_t w = 0;
    if (t < T) {
      const X *p = x + at<T, H, HD>(b, t, h) + c;
      w = packBf16(toF32(p[0]), toF32(p[1]));
    }
    *reinterpret_cast<uint32_t *>(dst + r * P + c) = w;
  }
}

/// Two bf16 of a row: (row, col) and (row, col + 1).
template <int64_t HD>
__device__ __forceinline__ uint32_t pairInRow(const uint16_t *s, int row,
                                              int col) {
  return *reinterpret_cast<const uint32_t *>(s + row * FlashTiles<HD>::kPitch +
                                             col);
}
/// Two bf16 of a column: (row, col) and (row + 1, col).
template <int64_t HD>
__device__ __forceinline__ uint32_t pairInColumn(const uint16_t *s, int row,
                                                 int col) {
  constexpr int P = FlashTiles<HD>::kPitch;
  return uint32_t(s[row * P + col]) | uint32_t(s[(row + 1) * P + col]) << 16;
}

/// The A fragment of the 16x16 tile at (row0, col0) of row-major s.
template <int64_t HD>
__device__ __forceinline__ void loadA(uint32_t (&a)[4], const uint16_t *s,
                                      int row0, int col0) {
  int g = threadIdx.x % 32 / 4, t = threadIdx.x % 4;
  a[0] = pairInRow<HD>(s, row0 + g, col0 + 2 * t);
  a[1] = pairInRow<HD>(s, row0 + g + 8, col0 + 2 * t);
  a[2] = pairInRow<HD>(s, row0 + g, col0 + 2 * t + 8);
  a[3] = pairInRow<HD>(s, row0 + g + 8, col0 + 2 * t + 8);
}
/// The B fragment B[k][n] = s[n0 + n][k0 + k] (a product with s^T).
template <int64_t HD>
__device__ __forceinline__ void
loadBTransposed(uint32_t (&b)[2], const uint16_t *s, int n0, int k0) {
  int g = threadIdx.x % 32 / 4, t = threadIdx.x % 4;
  b[0] = pairInRow<HD>(s, n0 + g, k0 + 2 * t);
  b[1] = pairInRow<HD>(s, n0 + g, k0 + 2 * t + 8);
}
/// The B fragment B[k][n] = s[k0 + k][n0 + n] (a product with s).
template <int64_t HD>
__device__ __forceinline__ void loadB(uint32_t (&b)[2], const uint16_t *s,
                                      int k0, int n0) {
  int g = threadIdx.x % 32 / 4, t = threadIdx.x % 4;
  b[0] = pairInColumn<HD>(s, k0 + 2 * t, n0 + g);
  b[1] = pairInColumn<HD>(s, k0 + 2 * t + 8, n0 + g);
}
/// The A fragment of the 16x16 tile made of accumulator tiles 2j, 2j+1
/// (16 x 8 each, C layout), rounded to bf16: the C layout of two adjacent
/// n-tiles is the A layout of one k-tile.
__device__ __forceinline__ void
accumulatorAsA(uint32_t (&a)[4], const float (&lo)[4], const float (&hi)[4]) {
  a[0] = packBf16(lo[0], lo[1]);
  a[1] = packBf16(lo[2], lo[3]);
  a[2] = packBf16(hi[0], hi[1]);
  a[3] = packBf16(hi[2], hi[3]);
}

/// acc += bf16(a) tile: `a` is the warp's 16 x (8 NA) accumulator (C
/// layout, taken as A operands), `tile` the matching 8 NA rows of a
/// shared-memory tile (the B operand as stored), acc 16 x (8 NO).
template <int64_t HD, int NA, int NO>
__device__ __forceinline__ void accumulateTimesTile(float (&acc)[NO][4],
                                                    const float (&a)[NA][4],
                                                    const uint16_t *tile) {
  NF_UNROLL
  for (int kk = 0; kk < NA / 2; ++kk) {
    uint32_t af[4];
    accumulatorAsA(af, a[2 * kk], a[2 * kk + 1]);
    NF_UNROLL
    for (int c = 0; c < NO; ++c) {
      uint32_t bf[2];
      loadB<HD>(bf, tile, kk * 16, c * 8);
      mmaBf16(acc[c], af, bf);
    }
  }
}

/// The lane's two rows of a 16 x HD accumulator, times `rowScale`, into
/// rows `rows` of head (b, h) of dst (rows past T are the tile's padding).
template <int64_t T, int64_t H, int64_t HD, class X>
__device__ __forceinline__ void
storeRows(X *dst, const float (&acc)[HD / 8][4], int64_t b, int64_t h,
          const int64_t (&rows)[2], const float (&rowScale)[2]) {
  int t = threadIdx.x % 4;
  NF_UNROLL
  for (int c = 0; c < int(HD / 8); ++c)
    NF_UNROLL
  for (int e = 0; e < 4; ++e) {
    int64_t row = rows[e / 2];
    if (row < T)
      dst[at<T, H, HD>(b, row, h) + c * 8 + 2 * t + (e & 1)] =
          fromF32<X>(acc[c][e] * rowScale[e / 2]);
  }
}

/// The max and the sum of the four lanes that share a row (g = lane / 4).
__device__ __forceinline__ float rowGroupMax(float x) {
  x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 1));
  return fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 2));
}
__device__ __forceinline__ float rowGroupSum(float x) {
  x += __shfl_xor_sync(0xffffffffu, x, 1);
  return x + __shfl_xor_sync(0xffffffffu, x, 2);
}

/// The query tile of block `blk`, longest rows first (causal: the last
/// tile sweeps every key tile), and its head.
template <int64_t T, int64_t H, int Rows> struct BlockTile {
  static constexpr int64_t kTiles = (T + Rows - 1) / Rows;
  int64_t tile, b, h;
  __device__ explicit BlockTile(bool longestFirst) {
    int64_t i = blockIdx.x % kTiles;
    tile = longestFirst ? kTiles - 1 - i : i;
    int64_t bh = blockIdx.x / kTiles;
    h = bh % H;
    b = bh / H;
  }
};

} // namespace flash

template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK, class V,
          class O>
__global__ void __launch_bounds__(128)
    flashAttentionForwardKernel(const QK *q, const QK *k, const V *v, O *out,
                                float *rowStats) {
  using Tiles = FlashTiles<HD>;
  constexpr int KT = HD / 16, NO = HD / 8, NK = Tiles::kKeys / 8;
  NF_DYNAMIC_SMEM(uint16_t, smem);
  flash::BlockTile<T, H, Tiles::kRows> bt(/*longestFirst=*/true);
  int warp = threadIdx.x / 32, g = threadIdx.x % 32 / 4, t4 = threadIdx.x % 4;
  int64_t q0 = bt.tile * Tiles::kRows;
  flash::stageRows<T, H, HD>(q, bt.b, bt.h, q0, Tiles::kRows, smem);
  __syncthreads();
  uint32_t qf[KT][4];
  NF_UNROLL
  for (int kk = 0; kk < KT; ++kk)
    flash::loadA<HD>(qf[kk], smem, warp * 16, kk * 16);
  const int64_t rows[2] = {q0 + warp * 16 + g, q0 + warp * 16 + g + 8};
  const float scale = 1.f / sqrtf(float(HD));
  float m[2] = {-INFINITY, -INFINITY}, l[2] = {0.f, 0.f};
  float o[NO][4] = {};
  uint16_t *ks = smem, *vs = smem + Tiles::kKeys * Tiles::kPitch;
  int64_t keyEnd = q0 + Tiles::kRows < T ? q0 + Tiles::kRows : T;
  for (int64_t k0 = 0; k0 < keyEnd; k0 += Tiles::kKeys) {
    __syncthreads(); // every warp is done with the previous tile (or q)
    flash::stageRows<T, H, HD>(k, bt.b, bt.h, k0, Tiles::kKeys, ks);
    flash::stageRows<T, H, HD>(v, bt.b, bt.h, k0, Tiles::kKeys, vs);
    __syncthreads();
    float s[NK][4] = {};
    NF_UNROLL
    for (int j = 0; j < NK; ++j)
      NF_UNROLL
    for (int kk = 0; kk < KT; ++kk) {
      uint32_t bf[2];
      flash::loadBTransposed<HD>(bf, ks, j * 8, kk * 16);
      mmaBf16(s[j], qf[kk], bf);
    }
    // Scale, mask (key > query, or past T), and the tile's row maxima.
    float mx[2] = {-INFINITY, -INFINITY};
    NF_UNROLL
    for (int j = 0; j < NK; ++j)
      NF_UNROLL
    for (int e = 0; e < 4; ++e) {
      int64_t key = k0 + j * 8 + 2 * t4 + (e & 1);
      float x = key <= rows[e / 2] && key < T ? s[j][e] * scale : -INFINITY;
      s[j][e] = x;
      mx[e / 2] = fmaxf(mx[e / 2], x);
    }
    float corr[2];
    NF_UNROLL
    for (int r = 0; r < 2; ++r) {
      // Key 0 is in the first tile and visible to every row: m is finite
      // from then on, and exp(-inf - m) = 0 rescales the empty start.
      float mNew = fmaxf(m[r], flash::rowGroupMax(mx[r]));
      corr[r] = expf(m[r] - mNew);
      m[r] = mNew;
      l[r] *= corr[r]; // this lane's share of the row's sum
    }
    NF_UNROLL
    for (int j = 0; j < NK; ++j)
      NF_UNROLL
    for (int e = 0; e < 4; ++e) {
      float p = expf(s[j][e] - m[e / 2]);
      s[j][e] = p;
      l[e / 2] += p;
    }
    NF_UNROLL
    for (int c = 0; c < NO; ++c)
      NF_UNROLL
    for (int e = 0; e < 4; ++e)
      o[c][e] *= corr[e / 2];
    flash::accumulateTimesTile<HD>(o, s, vs);
  }
  float inv[2] = {1.f / flash::rowGroupSum(l[0]),
                  1.f / flash::rowGroupSum(l[1])};
  // (m, 1/l) per row for the backward (the train step; null in @forward).
  if (rowStats && t4 == 0)
    for (int r = 0; r < 2; ++r)
      if (rows[r] < T) {
        float *st = rowStats + 2 * ((bt.b * H + bt.h) * T + rows[r]);
        st[0] = m[r];
        st[1] = inv[r];
      }
  flash::storeRows<T, H, HD>(out, o, bt.b, bt.h, rows, inv);
}

/// The query kernel: dQ, one sweep over the key tiles, with the forward's
/// (m, 1/l) per row (fwdStats) and D = sum_c dO O over the row (FlashAttention
/// -2's preprocessing, from the forward's stored output); writes (m, 1/l, D)
/// per row for the key kernel at rowStats[3 * ((b * H + h) * T + i)].
template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK, class V,
          class DO, class O, class DQ>
__global__ void __launch_bounds__(128)
    flashAttentionBackwardQueryKernel(const QK *q, const QK *k, const V *v,
                                      const DO *dout, const O *out,
                                      const float *fwdStats, DQ *dq,
                                      float *rowStats) {
  using Tiles = FlashTiles<HD>;
  constexpr int KT = HD / 16, NO = HD / 8, NK = Tiles::kKeys / 8;
  NF_DYNAMIC_SMEM(uint16_t, smem);
  flash::BlockTile<T, H, Tiles::kRows> bt(/*longestFirst=*/true);
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32, g = lane / 4,
      t4 = lane % 4;
  int64_t q0 = bt.tile * Tiles::kRows;
  // D of the warp's 16 rows, a row at a time over the lanes.
  float *dsm = reinterpret_cast<float *>(smem + Tiles::queryKernelSmem() / 2);
  for (int r = 0; r < 16; ++r) {
    int64_t row = q0 + warp * 16 + r;
    float part = 0.f;
    if (row < T)
      for (int c = lane; c < HD; c += 32) {
        int64_t i = at<T, H, HD>(bt.b, row, bt.h) + c;
        part += toF32(dout[i]) * toF32(out[i]);
      }
    part = warpSum(part);
    if (lane == 0)
      dsm[warp * 16 + r] = part;
  }
  uint32_t qf[KT][4], df[KT][4];
  flash::stageRows<T, H, HD>(q, bt.b, bt.h, q0, Tiles::kRows, smem);
  __syncthreads();
  NF_UNROLL
  for (int kk = 0; kk < KT; ++kk)
    flash::loadA<HD>(qf[kk], smem, warp * 16, kk * 16);
  __syncthreads();
  flash::stageRows<T, H, HD>(dout, bt.b, bt.h, q0, Tiles::kRows, smem);
  __syncthreads();
  NF_UNROLL
  for (int kk = 0; kk < KT; ++kk)
    flash::loadA<HD>(df[kk], smem, warp * 16, kk * 16);
  const int64_t rows[2] = {q0 + warp * 16 + g, q0 + warp * 16 + g + 8};
  float m[2], inv[2], D[2];
  NF_UNROLL
  for (int r = 0; r < 2; ++r) {
    int64_t row = rows[r] < T ? rows[r] : T - 1; // rows past T: discarded
    const float *st = fwdStats + 2 * ((bt.b * H + bt.h) * T + row);
    m[r] = st[0];
    inv[r] = st[1];
    D[r] = dsm[warp * 16 + g + 8 * r];
    if (t4 == 0 && rows[r] < T) {
      float *out3 = rowStats + 3 * ((bt.b * H + bt.h) * T + rows[r]);
      out3[0] = m[r];
      out3[1] = inv[r];
      out3[2] = D[r];
    }
  }
  const float scale = 1.f / sqrtf(float(HD));
  uint16_t *ks = smem, *vs = smem + Tiles::kKeys * Tiles::kPitch;
  int64_t keyEnd = q0 + Tiles::kRows < T ? q0 + Tiles::kRows : T;
  float acc[NO][4] = {};
  for (int64_t k0 = 0; k0 < keyEnd; k0 += Tiles::kKeys) {
    __syncthreads(); // every warp is done with the previous tile (or dO)
    flash::stageRows<T, H, HD>(k, bt.b, bt.h, k0, Tiles::kKeys, ks);
    flash::stageRows<T, H, HD>(v, bt.b, bt.h, k0, Tiles::kKeys, vs);
    __syncthreads();
    float s[NK][4];
    NF_UNROLL
    for (int j = 0; j < NK; ++j) {
      float dp[4] = {};
      NF_UNROLL
      for (int e = 0; e < 4; ++e)
        s[j][e] = 0.f;
      NF_UNROLL
      for (int kk = 0; kk < KT; ++kk) {
        uint32_t bf[2];
        flash::loadBTransposed<HD>(bf, ks, j * 8, kk * 16);
        mmaBf16(s[j], qf[kk], bf);
        flash::loadBTransposed<HD>(bf, vs, j * 8, kk * 16);
        mmaBf16(dp, df[kk], bf);
      }
      // dS = P (dP - D) / sqrt(HD), 0 where masked.
      NF_UNROLL
      for (int e = 0; e < 4; ++e) {
        int64_t key = k0 + j * 8 + 2 * t4 + (e & 1);
        float p = key <= rows[e / 2] && key < T
                      ? expf(s[j][e] * scale - m[e / 2]) * inv[e / 2]
                      : 0.f;
        s[j][e] = p * (dp[e] - D[e / 2]) * scale;
      }
    }
    flash::accumulateTimesTile<HD>(acc, s, ks);
  }
  const float one[2] = {1.f, 1.f};
  flash::storeRows<T, H, HD>(dq, acc, bt.b, bt.h, rows, one);
}

/// The key kernel: dK and dV of a 64-key tile over the query rows i >= j,
/// with the rows' (m, 1/l, D) from the query kernel.
template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK, class V,
          class DO, class DK, class DV>
__global__ void __launch_bounds__(128)
    flashAttentionBackwardKeyKernel(const QK *q, const QK *k, const V *v,
                                    const DO *dout, const float *rowStats,
                                    DK *dk, DV *dv) {
  using Tiles = FlashTiles<HD>;
  constexpr int KT = HD / 16, NO = HD / 8, NQ = Tiles::kQueries / 8;
  constexpr int R = Tiles::kRows, QR = Tiles::kQueries, P = Tiles::kPitch;
  NF_DYNAMIC_SMEM(uint16_t, smem);
  // Key tiles in order: the first has the most query rows to sweep.
  flash::BlockTile<T, H, R> bt(/*longestFirst=*/false);
  int warp = threadIdx.x / 32, g = threadIdx.x % 32 / 4, t4 = threadIdx.x % 4;
  uint16_t *ks = smem, *vs = ks + R * P, *qs = vs + R * P, *ds = qs + QR * P;
  float *stats = reinterpret_cast<float *>(ds + QR * P);
  int64_t j0 = bt.tile * R;
  flash::stageRows<T, H, HD>(k, bt.b, bt.h, j0, R, ks);
  flash::stageRows<T, H, HD>(v, bt.b, bt.h, j0, R, vs);
  const int64_t keys[2] = {j0 + warp * 16 + g, j0 + warp * 16 + g + 8};
  const float scale = 1.f / sqrtf(float(HD));
  const float *rowStatsBh = rowStats + 3 * (bt.b * H + bt.h) * T;
  float gk[NO][4] = {}, gv[NO][4] = {};
  for (int64_t i0 = j0; i0 < T; i0 += QR) {
    __syncthreads();
    flash::stageRows<T, H, HD>(q, bt.b, bt.h, i0, QR, qs);
    flash::stageRows<T, H, HD>(dout, bt.b, bt.h, i0, QR, ds);
    for (int idx = threadIdx.x; idx < 3 * QR; idx += blockDim.x)
      stats[idx] = i0 + idx / 3 < T ? rowStatsBh[3 * i0 + idx] : 0.f;
    __syncthreads();
    // S^T and dP^T: this warp's 16 keys against the tile's queries.
    float s[NQ][4], dp[NQ][4];
    NF_UNROLL
    for (int n = 0; n < NQ; ++n) {
      NF_UNROLL
      for (int e = 0; e < 4; ++e)
        s[n][e] = dp[n][e] = 0.f;
      NF_UNROLL
      for (int kk = 0; kk < KT; ++kk) {
        uint32_t a[4], bf[2];
        flash::loadA<HD>(a, ks, warp * 16, kk * 16);
        flash::loadBTransposed<HD>(bf, qs, n * 8, kk * 16);
        mmaBf16(s[n], a, bf);
        flash::loadA<HD>(a, vs, warp * 16, kk * 16);
        flash::loadBTransposed<HD>(bf, ds, n * 8, kk * 16);
        mmaBf16(dp[n], a, bf);
      }
      // P^T and dS^T (0 where the query is before the key or past T).
      NF_UNROLL
      for (int e = 0; e < 4; ++e) {
        int col = n * 8 + 2 * t4 + (e & 1);
        int64_t query = i0 + col;
        const float *st = stats + 3 * col;
        float p = query >= keys[e / 2] && query < T
                      ? expf(s[n][e] * scale - st[0]) * st[1]
                      : 0.f;
        s[n][e] = p;
        dp[n][e] = p * (dp[n][e] - st[2]) * scale;
      }
    }
    flash::accumulateTimesTile<HD>(gv, s, ds);  // dV += P^T dO
    flash::accumulateTimesTile<HD>(gk, dp, qs); // dK += dS^T Q
  }
  const float one[2] = {1.f, 1.f};
  flash::storeRows<T, H, HD>(dk, gk, bt.b, bt.h, keys, one);
  flash::storeRows<T, H, HD>(dv, gv, bt.b, bt.h, keys, one);
}

// Launchers: each owns its grid, block and shared memory.

/// The forward; rowStats (2 floats per row: m, 1/l) may be null (@forward
/// keeps nothing for a backward).
template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK, class V,
          class O>
void flashAttentionForward(cudaStream_t stream, const QK *q, const QK *k,
                           const V *v, O *out, float *rowStats = nullptr) {
  using Tiles = FlashTiles<HD>;
  constexpr int64_t blocks = B * H * ((T + Tiles::kRows - 1) / Tiles::kRows);
  NF_LAUNCH((flashAttentionForwardKernel<B, T, H, HD, QK, V, O>), dim3(blocks),
            dim3(32 * Tiles::kWarps), Tiles::queryKernelSmem(), stream, q, k, v,
            out, rowStats);
}

/// Floats of the forward's statistics a backward reads (m, 1/l per row).
template <int64_t B, int64_t T, int64_t H>
constexpr int64_t flashAttentionStatsFloats() {
  return flashAttentionStatsFloats(B, T, H);
}

/// Floats of scratch the backward needs (LaunchShapes.h
/// attentionBackwardScratchFloats).
template <int64_t B, int64_t T, int64_t H, int64_t HD, bool RECOMPUTE>
constexpr int64_t flashAttentionBackwardScratch() {
  return attentionBackwardScratchFloats(B, T, H, HD, RECOMPUTE);
}

/// The backward. `out` and `fwdStats` are the forward's output and its
/// statistics; when null, the forward runs again into scratch first.
template <int64_t B, int64_t T, int64_t H, int64_t HD, class QK, class V,
          class DO, class O, class DQ, class DK, class DV>
void flashAttentionBackward(cudaStream_t stream, const QK *q, const QK *k,
                            const V *v, const DO *dout, const O *out,
                            const float *fwdStats, DQ *dq, DK *dk, DV *dv,
                            float *scratch) {
  using Tiles = FlashTiles<HD>;
  constexpr int64_t blocks = B * H * ((T + Tiles::kRows - 1) / Tiles::kRows);
  float *rowStats = scratch;
  if (!out || !fwdStats) {
    float *o = scratch + 3 * B * H * T, *st = o + B * T * H * HD;
    flashAttentionForward<B, T, H, HD, QK, V, float>(stream, q, k, v, o, st);
    flashAttentionBackward<B, T, H, HD, QK, V, DO, float, DQ, DK, DV>(
        stream, q, k, v, dout, o, st, dq, dk, dv, scratch);
    return;
  }
  // The query kernel's D per row follows its tile in shared memory.
  NF_LAUNCH((flashAttentionBackwardQueryKernel<B, T, H, HD, QK, V, DO, O, DQ>),
            dim3(blocks), dim3(32 * Tiles::kWarps),
            Tiles::queryKernelSmem() + sizeof(float) * Tiles::kRows, stream, q,
            k, v, dout, out, fwdStats, dq, rowStats);
  NF_LAUNCH((flashAttentionBackwardKeyKernel<B, T, H, HD, QK, V, DO, DK, DV>),
            dim3(blocks), dim3(32 * Tiles::kWarps), Tiles::keyKernelSmem(),
            stream, q, k, v, dout, rowStats, dk, dv);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_FLASHATTENTIONKERNELS_CUH
