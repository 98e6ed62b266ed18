//===- RopeTable.h - RoPE's angle table and rotated copies ------*- C++ -*-===//
//
// Plain C++ shared by the CUDA kernels (AttentionKernels.cuh: ropeTable,
// launchRope) and the emitter that places their memory
// (lib/Codegen/CudaEmitter.cpp), so the two cannot disagree, as
// EmbeddingScratch.h. The table holds (cos, sin) as floats for every
// position t < T and channel pair i < HD/2, first of the angles
// t * theta^(-2i/HD), then of their negatives (the backward's
// un-rotation):  [2][T][HD/2][2] floats.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_ROPETABLE_H
#define NFRT_CUDA_ROPETABLE_H

#include <cstdint>

// nvcc calls only __host__ __device__ constexpr functions from kernels.
#ifdef __CUDACC__
#define NF_ROPE_HD __host__ __device__
#else
#define NF_ROPE_HD
#endif

namespace nfrt::cuda {

/// Floats of one direction's (cos, sin) pairs: T x HD/2 pairs.
NF_ROPE_HD constexpr int64_t ropeTableDirectionFloats(int64_t t, int64_t hd) {
  return t * (hd / 2) * 2;
}

/// Floats of the whole table (both directions).
NF_ROPE_HD constexpr int64_t ropeTableFloats(int64_t t, int64_t hd) {
  return 2 * ropeTableDirectionFloats(t, hd);
}

/// Floats of a rotated copy of n values stored as bf16 (2 bytes) or fp32.
NF_ROPE_HD constexpr int64_t ropeCopyFloats(int64_t n, bool bf16) {
  return bf16 ? (n + 1) / 2 : n;
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_ROPETABLE_H
