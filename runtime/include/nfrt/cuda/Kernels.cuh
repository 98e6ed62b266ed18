//===- Kernels.cuh - every CUDA kernel the generated code calls -*- CUDA
//-*-===//
#ifndef NFRT_CUDA_KERNELS_CUH
#define NFRT_CUDA_KERNELS_CUH

#include "nfrt/cuda/AttentionKernels.cuh"
#include "nfrt/cuda/DeviceApi.cuh"
#include "nfrt/cuda/ElementwiseKernels.cuh"
#include "nfrt/cuda/EmbeddingKernels.cuh"
#include "nfrt/cuda/FlashAttentionKernels.cuh"
#include "nfrt/cuda/LinearKernels.cuh"
#include "nfrt/cuda/LossKernels.cuh"
#include "nfrt/cuda/NormKernels.cuh"
#include "nfrt/cuda/NormScaleKernels.cuh"
#include "nfrt/cuda/OptimizerKernels.cuh"
#include "nfrt/cuda/Platform.cuh"
#include "nfrt/cuda/Reduce.cuh"

#endif // NFRT_CUDA_KERNELS_CUH
