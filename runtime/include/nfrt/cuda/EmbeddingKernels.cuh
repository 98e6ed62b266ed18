//===- EmbeddingKernels.cuh - token embedding forward and backward -*- CUDA
//-*-===//
//
// Forward: out[n, :] = table[tokens[n], :], 16 bytes of out at a time
// where D allows (Vec.cuh).
// Backward: dtable[v, :] = sum of dy[n, :] over the n with tokens[n] == v,
// added in increasing n from 0 in fp32 (the CPU kernel's order, so fp32
// results are bit-identical to it), with no float atomics. The old kernel
// had every table element scan all N tokens (O(V D N)); this one reads each
// dy row once (launchEmbeddingBackward):
//   1. sort the keys tokens[n] * N + n (embeddingSortTiles: tiles of up to
//      2048 keys in shared memory, then embeddingMergeRuns passes over
//      runs of 2048, 4096, ... keys). Keys are unique, so any correct sort
//      gives the same order: the buckets come out deterministic with no
//      care for stability, and each holds its positions in increasing n;
//   2. rowStart[v] = the first sorted key of token >= v (embeddingRowStarts,
//      a binary search per v in [0, V]);
//   3. one thread per (row, 16 bytes of dy columns) adds the row's dy rows
//      in sorted order (embeddingBackwardRows: 128-bit loads, those of 8
//      rows issued before their adds), and writes dtable (ACCUMULATE: adds to
//      it, dtable = head gradient + embedding gradient, the tied embedding's
//      sum; rows no token reaches are then left as they are).
// A merge places each key at its index in its own run plus its rank in the
// other run (a binary search; ties, i.e. tile padding, put the first run
// first). Ids outside [0, V) are sorted as a bucket V that no row reads:
// they add to nothing (the runtime rejects them before the step; the old
// kernel ignored them too).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_EMBEDDINGKERNELS_CUH
#define NFRT_CUDA_EMBEDDINGKERNELS_CUH

#include "nfrt/cuda/ElementwiseKernels.cuh"
#include "nfrt/cuda/EmbeddingScratch.h"
#include "nfrt/cuda/Vec.cuh"

#include <type_traits>

namespace nfrt::cuda {

/// out[n, :] = table[tokens[n], :] (ids are checked by the runtime). In
/// chunks of 16 bytes of out where they lie in one row (D % W == 0: then
/// every table row starts aligned like the table too) and the pointers
/// allow.
template <int64_t N, int64_t D, class O = float>
__global__ void __launch_bounds__(256)
    embeddingForward(const int32_t *tokens, const float *table, O *out) {
  constexpr int W = D % vecWidth<O>() == 0 ? vecWidth<O>() : 1;
  gridStrideChunks<N * D, W>(aligned16(table, out), [&](int64_t i, auto w) {
    constexpr int C = decltype(w)::value;
    float v[C];
    loadF32<C>(table + int64_t(tokens[i / D]) * D + i % D, v);
    storeF32<C>(out + i, v);
  });
}

/// The generated code's launcher of embeddingForward (LaunchShapes.h).
template <int64_t N, int64_t D, class O = float>
void launchEmbeddingForward(cudaStream_t stream, const int32_t *tokens,
                            const float *table, NoDeduce<O> *out) {
  NF_LAUNCH_STRIDE((embeddingForward<N, D, O>), N * D, stream, tokens, table,
                   out);
}

/// The sort key of the backward (EmbeddingScratch.h embeddingKeyBytes).
template <int64_t N, int64_t V>
using EmbeddingKey = std::conditional_t<embeddingKeyBytes(N, V) == 4, uint32_t,
                                        unsigned long long>;

/// Keys a block sorts in shared memory: a power of two, at most 2048.
template <int64_t N> __host__ __device__ constexpr int64_t embeddingSortTile() {
  int64_t t = 64;
  while (t < N && t < 2048)
    t *= 2;
  return t;
}

/// The number of keys of the sorted run[0, len) below `key` (UPPER: not
/// above it).
template <bool UPPER, class K>
__device__ __forceinline__ int64_t rankInRun(const K *run, int64_t len, K key) {
  int64_t lo = 0, hi = len;
  while (lo < hi) {
    int64_t mid = (lo + hi) / 2;
    if (UPPER ? run[mid] <= key : run[mid] < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/// Where key i of `in` (sorted runs of `run` keys, n in all) goes when its
/// run is merged with its neighbour: its index in its own run plus the
/// keys of the other run before it (the first run's first on ties).
template <class K>
__device__ __forceinline__ int64_t mergedIndex(const K *in, int64_t n,
                                               int64_t run, int64_t i) {
  int64_t start = i / (2 * run) * (2 * run);
  int64_t mid = start + run < n ? start + run : n;
  int64_t end = start + 2 * run < n ? start + 2 * run : n;
  if (i < mid)
    return i + rankInRun<false>(in + mid, end - mid, in[i]);
  return start + (i - mid) + rankInRun<true>(in + start, mid - start, in[i]);
}

/// keys[tile] = the tile's keys tokens[n] * N + n, sorted (a tile of T =
/// embeddingSortTile<N>() keys per block, T / 2 threads; padding keys of
/// all ones sort last and are not written).
template <int64_t N, int64_t V>
__global__ void __launch_bounds__(1024)
    embeddingSortTiles(const int32_t *tokens, EmbeddingKey<N, V> *keys) {
  using K = EmbeddingKey<N, V>;
  constexpr int64_t T = embeddingSortTile<N>();
  __shared__ K buf[2][T];
  int64_t base = int64_t(blockIdx.x) * T;
  for (int64_t i = threadIdx.x; i < T; i += blockDim.x) {
    int64_t n = base + i;
    K key = ~K(0);
    if (n < N) {
      // Negative ids wrap to large unsigned ones: both sides map to V.
      uint32_t t = uint32_t(tokens[n]);
      key = K(t < uint64_t(V) ? t : V) * K(N) + K(n);
    }
    buf[0][i] = key;
  }
  __syncthreads();
  int cur = 0;
  for (int64_t run = 1; run < T; run *= 2) {
    for (int64_t i = threadIdx.x; i < T; i += blockDim.x)
      buf[cur ^ 1][mergedIndex(buf[cur], T, run, i)] = buf[cur][i];
    cur ^= 1;
    __syncthreads();
  }
  for (int64_t i = threadIdx.x; i < T && base + i < N; i += blockDim.x)
    keys[base + i] = buf[cur][i];
}

/// out = in with each pair of neighbouring sorted runs of `run` keys
/// merged.
template <int64_t N, class K>
__global__ void __launch_bounds__(256)
    embeddingMergeRuns(const K *in, K *out, int64_t run) {
  NF_GRID_STRIDE(i, N) out[mergedIndex(in, N, run, i)] = in[i];
}

/// rowStart[v] = the index of the first sorted key of token >= v, for v in
/// [0, V]: row v's positions are keys[rowStart[v] .. rowStart[v + 1]).
template <int64_t N, int64_t V, class K>
__global__ void __launch_bounds__(256)
    embeddingRowStarts(const K *keys, int32_t *rowStart) {
  NF_GRID_STRIDE(v, V + 1)
  rowStart[v] = int32_t(rankInRun<false>(keys, N, K(v) * K(N)));
}

/// dtable[v, c .. c + W) (+)= sum over row v's sorted positions n, in
/// order, of dy[n, c .. c + W): one thread per W columns of a row (W * size
/// of DY is 16 bytes where D and the pointers allow, else 1).
template <int64_t N, int64_t V, int64_t D, class DY, int W, bool ACCUMULATE,
          class K>
__global__ void __launch_bounds__(256)
    embeddingBackwardRows(const K *keys, const int32_t *rowStart, const DY *dy,
                          float *dtable) {
  static_assert(D % W == 0, "a thread's columns lie in one row");
  constexpr int64_t G = D / W; // threads per row
  constexpr int U = 8;         // dy rows loaded before they are added
  using In = Pack<DY, W>;
  using Out = Pack<float, W>;
  NF_GRID_STRIDE(i, V * G) {
    int64_t v = i / G, col = i % G * W;
    int32_t k = rowStart[v], end = rowStart[v + 1];
    if (ACCUMULATE && k == end)
      continue;
    const K first = K(v) * K(N); // key - first = position
    float s[W];
    NF_UNROLL
    for (int j = 0; j < W; ++j)
      s[j] = 0.f;
    for (; k + U <= end; k += U) {
      In x[U];
      NF_UNROLL
      for (int u = 0; u < U; ++u)
        x[u] = *reinterpret_cast<const In *>(
            dy + int64_t(keys[k + u] - first) * D + col);
      NF_UNROLL
      for (int u = 0; u < U; ++u) {
        NF_UNROLL
        for (int j = 0; j < W; ++j)
          s[j] += toF32(x[u].v[j]);
      }
    }
    for (; k < end; ++k) {
      In x = *reinterpret_cast<const In *>(dy + int64_t(keys[k] - first) * D +
                                           col);
      NF_UNROLL
      for (int j = 0; j < W; ++j)
        s[j] += toF32(x.v[j]);
    }
    Out *out = reinterpret_cast<Out *>(dtable + v * D + col);
    Out o;
    if constexpr (ACCUMULATE) {
      o = *out; // head + embedding, the order nf.add adds them in
      NF_UNROLL
      for (int j = 0; j < W; ++j)
        o.v[j] += s[j];
    } else {
      NF_UNROLL
      for (int j = 0; j < W; ++j)
        o.v[j] = s[j];
    }
    *out = o;
  }
}

/// dtable (+)= the embedding gradient: the sort, the row starts and the
/// row sums above, on `stream`, in embeddingBackwardScratchBytes(N, V)
/// bytes of `scratch`. ACCUMULATE adds to dtable (which holds the tied head's
/// weight gradient) instead of overwriting it.
template <int64_t N, int64_t V, int64_t D, class DY = float,
          bool ACCUMULATE = false>
void launchEmbeddingBackward(cudaStream_t stream, const int32_t *tokens,
                             const DY *dy, float *dtable, float *scratch) {
  static_assert(N < (int64_t(1) << 31) && V < (int64_t(1) << 31),
                "positions and rows are int32");
  using K = EmbeddingKey<N, V>;
  constexpr int64_t T = embeddingSortTile<N>();
  auto *bytes = reinterpret_cast<char *>(scratch);
  K *keys = reinterpret_cast<K *>(bytes);
  K *other = reinterpret_cast<K *>(bytes + embeddingKeysBytes(N, V));
  auto *rowStart =
      reinterpret_cast<int32_t *>(bytes + 2 * embeddingKeysBytes(N, V));
  NF_LAUNCH((embeddingSortTiles<N, V>), dim3(unsigned((N + T - 1) / T)),
            dim3(unsigned(T / 2)), 0, stream, tokens, keys);
  for (int64_t run = T; run < N; run *= 2) {
    NF_LAUNCH((embeddingMergeRuns<N, K>), dim3(strideBlocks(N)), dim3(256), 0,
              stream, keys, other, run);
    std::swap(keys, other);
  }
  NF_LAUNCH((embeddingRowStarts<N, V, K>), dim3(strideBlocks(V + 1)), dim3(256),
            0, stream, keys, rowStart);
  // 16 bytes of dy per thread where D and both pointers allow it.
  constexpr int W = D % (16 / sizeof(DY)) == 0 ? int(16 / sizeof(DY)) : 1;
  bool aligned = reinterpret_cast<uintptr_t>(dy) % (W * sizeof(DY)) == 0 &&
                 reinterpret_cast<uintptr_t>(dtable) % (W * 4) == 0;
  if (W > 1 && aligned)
    NF_LAUNCH((embeddingBackwardRows<N, V, D, DY, W, ACCUMULATE, K>),
              dim3(strideBlocks(V * D / W)), dim3(256), 0, stream, keys,
              rowStart, dy, dtable);
  else
    NF_LAUNCH((embeddingBackwardRows<N, V, D, DY, 1, ACCUMULATE, K>),
              dim3(strideBlocks(V * D)), dim3(256), 0, stream, keys, rowStart,
              dy, dtable);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_EMBEDDINGKERNELS_CUH
