//===- CudaEmitter.h - nf IR -> CUDA C++ for NVIDIA GPUs ---------*- C++
//-*-===//
//
// Emits one .cu translation unit that defines `nf_model` (runtime/include/
// nfrt/Model.h, with deviceBuffers = true): the parameter table and
// @forward, @train_step and @optimizer_step as launches of the
// shape-specialized kernels in runtime/include/nfrt/cuda and cuBLAS GEMMs,
// with a static device memory plan per function. The same source compiles
// with nvcc and with the host compiler (the SIMT harness, runtime/simt).
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_CODEGEN_CUDAEMITTER_H
#define NORMFUSE_CODEGEN_CUDAEMITTER_H

#include "normfuse/Codegen/CppEmitter.h"

namespace normfuse {

struct CudaEmitOptions {
  /// Data-parallel ranks (the module holds one rank's share of the batch):
  /// the train step averages the gradients and the loss over the ranks
  /// with NCCL before it returns.
  int ranks = 1;
  /// bf16 mode: the activations the backward reads again stored in bf16,
  /// GEMMs on bf16 inputs with fp32 accumulation (linear maps,
  /// Newton-Schulz); the residual stream, every gradient, parameters and
  /// optimizer state stay fp32.
  bool bf16 = false;
  /// Data parallel: the gradient all-reduce starts a bucket as soon as this
  /// many bytes of consecutive gradients are final (AllReduceBuckets.h).
  int64_t bucketBytes = int64_t(8) << 20;
};

/// The module must be what emitCpp takes; diagnostics name the op that
/// cannot be emitted.
mlir::LogicalResult emitCuda(mlir::ModuleOp module, llvm::raw_ostream &os,
                             EmitReport *report = nullptr,
                             CudaEmitOptions options = {});

} // namespace normfuse

#endif // NORMFUSE_CODEGEN_CUDAEMITTER_H
