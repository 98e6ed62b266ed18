//===- OptimizerScratch.h - the optimizer kernels' batches and scratch -*- C++
//-*-===//
//
// Plain C++ shared by the CUDA kernels (OptimizerKernels.cuh) and the
// emitter that sizes their launches and scratch (lib/Codegen/CudaEmitter.cpp),
// so the two cannot disagree.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_OPTIMIZERSCRATCH_H
#define NFRT_CUDA_OPTIMIZERSCRATCH_H

#include "nfrt/cuda/LaunchShapes.h"

#include <cstdint>

namespace nfrt::cuda {

/// Tensors per multi-tensor AdamW launch: the batch travels as a kernel
/// parameter (48 x 48 bytes of tensors and 49 x 4 of block starts, under
/// the 4 KiB every architecture accepts).
constexpr int kAdamWBatch = 48;

/// Blocks of 256 threads for one tensor of n elements in a multi-tensor
/// AdamW launch: its own grid-stride grid (Platform.cuh strideBlocks, at
/// most 1024).
constexpr int64_t adamWBlocks(int64_t n) { return strideBlocks(n); }

/// Tensors per launch of the global norm's multi-tensor sum of squares
/// (launchGlobalNorm): 128 x 20 bytes of kernel parameter, under 4 KiB.
constexpr int kGlobalNormBatch = 128;
constexpr int kGlobalNormThreads = 256;

/// Blocks, hence partial sums, of one tensor of n elements in the global
/// norm: a grid-stride share of at most 1024 blocks of 256 threads (the
/// grid sumSquaresPartials had when it ran once per tensor, so the partials
/// are the same numbers).
constexpr int64_t globalNormBlocks(int64_t n) {
  return strideBlocks(n, kGlobalNormThreads);
}

/// Floats of scratch launchGlobalNorm needs for `count` tensors of n[k]
/// elements: their partials side by side.
constexpr int64_t globalNormScratchFloats(const int64_t *n, int64_t count) {
  int64_t total = 0;
  for (int64_t k = 0; k < count; ++k)
    total += globalNormBlocks(n[k]);
  return total;
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_OPTIMIZERSCRATCH_H
