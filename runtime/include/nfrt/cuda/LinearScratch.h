//===- LinearScratch.h - bf16 GEMM operand layout -------------*- C++ -*-===//
//
// Plain C++ shared by the bf16 linear launchers (LinearKernels.cuh) and the
// emitter that sizes their scratch and the step's weight copies
// (lib/Codegen/CudaEmitter.cpp), so the two cannot disagree.
//
// A bf16 GEMM's OUT side is padded when OUT is no multiple of 8: cuBLAS
// takes its aligned (vectorized) kernels only when every leading dimension
// is a multiple of 16 bytes, and a vocabulary such as GPT-2's 50257 ran as
// `align1` kernels (Nsight Compute on an H200). Such an OUT is padded to a
// multiple of 64 (50257 -> 50304); the pad rows of W's bf16 copy and the
// pad columns of dy's are zero and nothing outside the launchers sees them
// (never sampled, never in the loss), except in the train step's bf16
// classifier, whose logits and dlogits are stored with that pitch (the
// launchers' PITCHED flag; the cross-entropy writes the pad columns of
// dlogits as zeros). IN, the model width, is assumed aligned.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_LINEARSCRATCH_H
#define NFRT_CUDA_LINEARSCRATCH_H

#include "nfrt/cuda/LaunchShapes.h"

#include <cstdint>

// nvcc calls only __host__ __device__ constexpr functions from kernels.
#ifdef __CUDACC__
#define NF_LINEAR_HD __host__ __device__
#else
#define NF_LINEAR_HD
#endif

namespace nfrt::cuda {

/// The row pitch of a bf16 GEMM's OUT side (see above).
NF_LINEAR_HD constexpr int64_t linearPitch(int64_t out) {
  return out % 8 == 0 ? out : (out + 63) / 64 * 64;
}

/// `n` bf16 values rounded up to a whole 128-byte line: each bf16 buffer
/// in scratch starts aligned.
NF_LINEAR_HD constexpr int64_t bf16Span(int64_t n) {
  return (n + 63) / 64 * 64;
}

/// Floats holding W [OUT, IN]'s bf16 copy, its rows padded to the pitch.
NF_LINEAR_HD constexpr int64_t weightBf16Floats(int64_t in, int64_t out) {
  return bf16Span(linearPitch(out) * in) / 2;
}

/// Floats of scratch one bf16 linear launcher (forward or backward) needs,
/// as bf16 buffers one after the other, each a whole number of 128-byte
/// lines from the scratch's start:
///   [x's copy | W's copy | dy's copy, or the forward's padded output]
/// W's copy only when the caller has none (`weightReady`: the step's
/// weight copies, made once per step); the padded output (OUT no multiple
/// of 8) as fp32, the wider of its storage types. An operand stored in
/// bf16 already is not copied, but its room is kept: the layout does not
/// depend on storage types. `pitched`: y (forward) or dy (backward) is
/// stored with row pitch linearPitch(out) already (the train step's bf16
/// logits and dlogits, docs/cuda.md, The classifier), so the GEMM writes
/// or reads it in place and the tail is not needed.
NF_LINEAR_HD constexpr int64_t linearBf16ScratchFloats(int64_t n, int64_t in,
                                                       int64_t out,
                                                       bool weightReady,
                                                       bool pitched = false) {
  int64_t p = linearPitch(out);
  int64_t tail = pitched ? 0 : p == out ? bf16Span(n * p) : bf16Span(2 * n * p);
  return (bf16Span(n * in) + (weightReady ? 0 : bf16Span(p * in)) + tail) / 2;
}

/// Floats of newtonSchulz's scratch for G [rows, cols] (LinearKernels.cuh):
/// X, X', A, B in fp32, the norm's partials and sum, then (bf16 mode) bf16
/// copies of X, A and B and a line of slack for their alignment.
NF_LINEAR_HD constexpr int64_t newtonSchulzScratchFloats(int64_t rows,
                                                         int64_t cols) {
  int64_t r = rows > cols ? cols : rows, c = rows > cols ? rows : cols;
  return 2 * r * c + 2 * r * r + strideBlocks(rows * cols) + 1 +
         (r * c + 2 * r * r) / 2 + 64;
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_LINEARSCRATCH_H
