//===- EmbeddingScratch.h - the embedding backward's scratch layout -*- C++
//-*-===//
//
// Plain C++ shared by the CUDA kernels (EmbeddingKernels.cuh) and the
// emitter that sizes their scratch (lib/Codegen/CudaEmitter.cpp), so the
// two cannot disagree. The backward sorts the N keys token * N + position
// (two buffers, ping-pong) and keeps V + 1 row starts:
//   [keys | keys | rowStart]   each part 256-byte aligned.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_EMBEDDINGSCRATCH_H
#define NFRT_CUDA_EMBEDDINGSCRATCH_H

#include <cstdint>

// nvcc calls only __host__ __device__ constexpr functions from kernels.
#ifdef __CUDACC__
#define NF_EMBEDDING_HD __host__ __device__
#else
#define NF_EMBEDDING_HD
#endif

namespace nfrt::cuda {

/// Bytes of one sort key: 4 while every key (tokens clamped to [0, V],
/// V standing for the ids outside the vocabulary) and the padding key
/// 0xffffffff fit in 32 bits, else 8.
NF_EMBEDDING_HD constexpr int64_t embeddingKeyBytes(int64_t n, int64_t v) {
  return (v + 1) * n < (int64_t(1) << 32) ? 4 : 8;
}

NF_EMBEDDING_HD constexpr int64_t embeddingAlign(int64_t bytes) {
  return (bytes + 255) / 256 * 256;
}

/// Byte offsets of the second key buffer and of the row starts.
NF_EMBEDDING_HD constexpr int64_t embeddingKeysBytes(int64_t n, int64_t v) {
  return embeddingAlign(n * embeddingKeyBytes(n, v));
}

NF_EMBEDDING_HD constexpr int64_t embeddingBackwardScratchBytes(int64_t n,
                                                                int64_t v) {
  return 2 * embeddingKeysBytes(n, v) + embeddingAlign((v + 1) * 4);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_EMBEDDINGSCRATCH_H
