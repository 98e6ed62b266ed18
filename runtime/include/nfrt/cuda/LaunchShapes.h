//===- LaunchShapes.h - launch geometry and scratch of the kernels -*- C++
//-*-===//
//
// Plain C++ shared by the launchers in the kernel headers, which size their
// grids, blocks and shared memory with these, and by the code generator
// (lib/Codegen/CudaEmitter.cpp), which prints a launcher call and gives it
// the scratch these functions size. One definition each, so the two cannot
// disagree: the generator copies no kernel constant.
//
// Every launcher takes its kernels' scratch as one float pointer (64-byte
// aligned, from the arena) and lays it out itself.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_LAUNCHSHAPES_H
#define NFRT_CUDA_LAUNCHSHAPES_H

#include <cstdint>

// nvcc calls only __host__ __device__ constexpr functions from kernels.
#ifdef __CUDACC__
#define NF_SHAPE_HD __host__ __device__
#else
#define NF_SHAPE_HD
#endif

namespace nfrt::cuda {

/// Threads of a grid-stride or warp-per-row block.
inline constexpr int64_t kBlockThreads = 256;
/// Rows of a warp-per-row block: one warp per row.
inline constexpr int64_t kRowsPerBlock = kBlockThreads / 32;
/// The static shared memory a block may use without opting in.
inline constexpr int64_t kMaxSharedBytes = 48 * 1024;

NF_SHAPE_HD constexpr int64_t ceilDiv(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

/// Blocks for a grid-stride loop over n items: enough to fill an H100
/// (132 SMs x 2048 threads) at 256 threads a block, no more.
NF_SHAPE_HD constexpr unsigned strideBlocks(int64_t n,
                                            int64_t threads = kBlockThreads) {
  int64_t b = (n + threads - 1) / threads;
  return unsigned(b < 1 ? 1 : b > 1024 ? 1024 : b);
}

/// Blocks for a warp-per-row kernel over `rows` rows.
NF_SHAPE_HD constexpr unsigned rowBlocks(int64_t rows) {
  return unsigned(ceilDiv(rows, kRowsPerBlock));
}

/// Floats rounded up to a 64-byte line: each buffer a launcher carves out
/// of its scratch starts aligned.
NF_SHAPE_HD constexpr int64_t alignedFloats(int64_t n) {
  return ceilDiv(n, 16) * 16;
}

// Column sums of an [N, M] tensor (nf.reduce_to, a scale's dgamma): blocks
// of RPB rows write partial sums, one pass adds them.

/// Rows per block of the column sums: at least 64, at most 128 blocks.
NF_SHAPE_HD constexpr int64_t columnSumRowsPerBlock(int64_t n) {
  return ceilDiv(n, 128) > 64 ? ceilDiv(n, 128) : 64;
}
NF_SHAPE_HD constexpr int64_t columnSumBlocks(int64_t n) {
  return ceilDiv(n, columnSumRowsPerBlock(n));
}
NF_SHAPE_HD constexpr int64_t columnSumScratchFloats(int64_t n, int64_t m) {
  return columnSumBlocks(n) * m;
}

// The fused RMSNorm + scale backward: blocks of RPB rows, each with its
// partial dgamma, at most 512 blocks.
NF_SHAPE_HD constexpr int64_t normScaleBackwardRowsPerBlock(int64_t n) {
  return ceilDiv(n, ceilDiv(n, kRowsPerBlock) < 512 ? ceilDiv(n, kRowsPerBlock)
                                                    : 512);
}
NF_SHAPE_HD constexpr int64_t normScaleBackwardBlocks(int64_t n) {
  return ceilDiv(n, normScaleBackwardRowsPerBlock(n));
}
NF_SHAPE_HD constexpr int64_t normScaleBackwardScratchFloats(int64_t n,
                                                             int64_t d) {
  return normScaleBackwardBlocks(n) * d;
}
/// Its dynamic shared memory: a row of d floats per warp.
NF_SHAPE_HD constexpr int64_t normScaleBackwardSharedBytes(int64_t d) {
  return kRowsPerBlock * d * 4;
}

/// DyT's backward: one partial dalpha per block.
NF_SHAPE_HD constexpr int64_t dytBackwardScratchFloats(int64_t s) {
  return strideBlocks(s);
}
/// Derf's backward: partial dalpha and dshift per block, side by side.
NF_SHAPE_HD constexpr int64_t derfBackwardScratchFloats(int64_t s) {
  return 2 * int64_t(strideBlocks(s));
}
/// The saturation count of a DyT/Derf input: one partial per block.
NF_SHAPE_HD constexpr int64_t saturationScratchFloats(int64_t s) {
  return strideBlocks(s);
}
/// Scale blindness: two doubles (log RMS of x and y) per row.
NF_SHAPE_HD constexpr int64_t scaleBlindScratchFloats(int64_t rows) {
  return 4 * rows;
}
/// The cross-entropy's mean: one loss per row.
NF_SHAPE_HD constexpr int64_t crossEntropyScratchFloats(int64_t rows) {
  return rows;
}
/// Derf with a running RMS (nf.derf_ema): each row's RMS.
NF_SHAPE_HD constexpr int64_t derfEmaScratchFloats(int64_t rows) {
  return rows;
}

// The exact fp32 attention kernels: a warp per query row, 4 warps a block,
// each with a row of probabilities (and, backward, their gradients) in
// shared memory.
inline constexpr int64_t kAttentionThreads = 128;
NF_SHAPE_HD constexpr int64_t attentionBlocks(int64_t b, int64_t t, int64_t h) {
  return ceilDiv(b * h * t, kAttentionThreads / 32);
}
NF_SHAPE_HD constexpr int64_t attentionSharedBytes(int64_t t) {
  return kAttentionThreads / 32 * 2 * t * 4;
}
/// The head dims flash attention's tensor-core tiles take (bf16 mode;
/// FlashAttentionKernels.cuh): 16 to 128 in steps of 16.
NF_SHAPE_HD constexpr bool flashAttentionHeadDim(int64_t hd) {
  return hd % 16 == 0 && hd >= 16 && hd <= 128;
}
/// Flash attention's forward statistics (m, 1/l) per query row.
NF_SHAPE_HD constexpr int64_t flashAttentionStatsFloats(int64_t b, int64_t t,
                                                        int64_t h) {
  return 2 * b * h * t;
}
/// Scratch of either attention backward: per-row statistics (max, 1/sum,
/// D) and, for a flash backward given no forward output and statistics
/// (`recompute`), room for the forward to make them again (O in fp32, then
/// its statistics).
NF_SHAPE_HD constexpr int64_t
attentionBackwardScratchFloats(int64_t b, int64_t t, int64_t h, int64_t hd,
                               bool recompute) {
  return 3 * b * h * t +
         (recompute ? b * t * h * hd + flashAttentionStatsFloats(b, t, h) : 0);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_LAUNCHSHAPES_H
