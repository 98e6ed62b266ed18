//===- Storage.cuh - fp32 or bf16 storage, fp32 arithmetic ------*- CUDA
//-*-===//
//
// bf16 mode stores activations and their gradients in bf16 (half the bytes
// of every read and write) while every kernel computes in fp32: each value
// is widened as it is read (toF32) and rounded to nearest even once, as it
// is written (fromF32). Kernels take the storage type of each activation
// operand as a template parameter (float by default, the fp32 mode).
// Reads never use __nv_bfloat16's own arithmetic operators: on sm_80+ they
// would compute in bf16, which the SIMT harness (and the CPU oracle) do
// not.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_STORAGE_CUH
#define NFRT_CUDA_STORAGE_CUH

#include "nfrt/cuda/Platform.cuh"

namespace nfrt::cuda {

using bf16 = __nv_bfloat16;

__host__ __device__ __forceinline__ float toF32(float v) { return v; }
__host__ __device__ __forceinline__ float toF32(bf16 v) {
  return __bfloat162float(v);
}

/// A parameter type that is never deduced: nvcc deduces a kernel's
/// remaining template parameters from the launch's arguments, and a null
/// pointer argument (an optional output) deduces none.
template <class T> struct NonDeduced { using type = T; };
template <class T> using NoDeduce = typename NonDeduced<T>::type;

template <class T> __host__ __device__ __forceinline__ T fromF32(float v);
template <> __host__ __device__ __forceinline__ float fromF32<float>(float v) {
  return v;
}
template <> __host__ __device__ __forceinline__ bf16 fromF32<bf16>(float v) {
  return __float2bfloat16_rn(v);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_STORAGE_CUH
