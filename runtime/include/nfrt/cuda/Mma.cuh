//===- Mma.cuh - the bf16 tensor-core mma, on sm_80+ or emulated -*- CUDA
//-*-===//
//
// D = A B + D for one 16x16 (A, row major) by 16x8 (B, column major) tile
// of bf16 with fp32 accumulation: PTX's mma.sync.aligned.m16n8k16.row.col
// .f32.bf16.bf16.f32, a warp-wide instruction. Each lane holds a fragment;
// with g = lane / 4 and t = lane % 4 (PTX ISA, "Matrix Fragments for
// mma.m16n8k16 with floating point type"):
//   A (4 registers of two bf16, the lower index in the low half):
//     a0 = A[g][2t, 2t+1]    a1 = A[g+8][2t, 2t+1]
//     a2 = A[g][2t+8, +9]    a3 = A[g+8][2t+8, +9]
//   B (2 registers): b0 = B[2t, 2t+1][g]   b1 = B[2t+8, 2t+9][g]
//   C, D (4 floats):  d0, d1 = D[g][2t, 2t+1]   d2, d3 = D[g+8][2t, 2t+1]
// Under the SIMT harness the instruction is emulated with exactly this
// layout: one warp barrier gathers every lane's A and B registers
// (nfrt::simt::warpGather), and each lane computes its four outputs. The
// products of two bf16 are exact in fp32; the emulation sums them in double
// and rounds once, where the tensor core's internal order may differ in
// the last bits of fp32 (the tests' tolerances are bf16's, far above).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_MMA_CUH
#define NFRT_CUDA_MMA_CUH

#include "nfrt/cuda/Storage.cuh"

#include <stdint.h>

namespace nfrt::cuda {

/// The bits of `f` rounded to bf16 (nearest even).
__device__ __forceinline__ uint16_t bf16Bits(float f) {
#ifdef __CUDACC__
  return __bfloat16_as_ushort(__float2bfloat16_rn(f));
#else
  return nfFloatToBf16Bits(f);
#endif
}

__device__ __forceinline__ float bf16BitsToF32(uint16_t b) {
#ifdef __CUDACC__
  return __bfloat162float(__ushort_as_bfloat16(b));
#else
  return nfBf16BitsToFloat(b);
#endif
}

/// Two values rounded to bf16 in one mma register (lo in the low half).
__device__ __forceinline__ uint32_t packBf16(float lo, float hi) {
  return uint32_t(bf16Bits(lo)) | uint32_t(bf16Bits(hi)) << 16;
}

/// d += a b for the warp's 16x16 by 16x8 tile (fragments as above).
__device__ __forceinline__ void mmaBf16(float (&d)[4], const uint32_t (&a)[4],
                                        const uint32_t (&b)[2]) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
  __trap(); // bf16 mma.sync needs sm_80: the flash kernels are not built for
            // older GPUs (nfc's --cuda-arch starts at 80)
#elif defined(__CUDACC__)
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
               "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
               "{%0, %1, %2, %3};\n"
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]),
                 "r"(b[1]));
#else
  constexpr int kWords = 6; // a0..a3, b0, b1
  uint32_t mine[kWords] = {a[0], a[1], a[2], a[3], b[0], b[1]};
  uint32_t all[32 * kWords];
  ::nfrt::simt::warpGather(0xffffffffu, mine, kWords, all);
  // The bf16 at (row, k) of A and (k, n) of B, from the lane that holds it.
  auto half = [](uint32_t w, int k) {
    return nfBf16BitsToFloat(uint16_t(k % 2 ? w >> 16 : w & 0xffffu));
  };
  auto aAt = [&](int row, int k) {
    int lane = 4 * (row % 8) + (k % 8) / 2;
    int reg = (row >= 8 ? 1 : 0) + (k >= 8 ? 2 : 0);
    return half(all[lane * kWords + reg], k);
  };
  auto bAt = [&](int k, int n) {
    int lane = 4 * n + (k % 8) / 2;
    return half(all[lane * kWords + 4 + (k >= 8 ? 1 : 0)], k);
  };
  int lane = ::nfrt::simt::laneId(), g = lane / 4, t = lane % 4;
  for (int i = 0; i < 4; ++i) {
    int row = g + (i >= 2 ? 8 : 0), col = 2 * t + (i & 1);
    double sum = 0;
    for (int k = 0; k < 16; ++k)
      sum += double(aAt(row, k)) * double(bAt(k, col));
    d[i] = float(double(d[i]) + sum);
  }
#endif
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_MMA_CUH
