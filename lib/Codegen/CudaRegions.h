//===- CudaRegions.h - the CUDA cache and scratch layout ------*- C++ -*-===//
//
// nf-prepare-emission's last CUDA step (CudaRegions.cpp): records where
// each op's cache and scratch pieces lie (nf.cache, nf.scratch) and the
// regions' sizes on the function (normfuse/Codegen/EmissionPlan.h).
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_LIB_CODEGEN_CUDAREGIONS_H
#define NORMFUSE_LIB_CODEGEN_CUDAREGIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace normfuse {

/// Lays out `fn`'s cache and scratch, given its placements and caches
/// (run after the rest of the CUDA plan); `train`: the train step, which
/// has the diagnostics' scratch.
void planCudaRegions(mlir::func::FuncOp fn, bool bf16, bool train);

} // namespace normfuse

#endif // NORMFUSE_LIB_CODEGEN_CUDAREGIONS_H
