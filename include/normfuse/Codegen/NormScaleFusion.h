//===- NormScaleFusion.h - norm + scale vector kernels, fused ---*- C++ -*-===//
//
// Finds the pairs the CPU emitter runs as one kernel each way:
//   scale(rmsnorm|layernorm(x), g)               -> normScaleForward
//   rmsnorm|layernorm_grad(x, scale_grad(...)#0) -> normScaleBackward
// The forward caches the per-row statistics for the backward; the
// normalized rows (the norm's result) and the gradient flowing between the
// two backward ops are never materialized.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_CODEGEN_NORMSCALEFUSION_H
#define NORMFUSE_CODEGEN_NORMSCALEFUSION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace normfuse {

struct NormScaleFusion {
  /// Scale op -> the norm op it is fused with (emitted at the scale).
  llvm::DenseMap<mlir::Operation *, mlir::Operation *> forwardAt;
  /// Norm grad op -> the scale_grad op it is fused with (emitted at the
  /// norm grad, so every input of both is ready).
  llvm::DenseMap<mlir::Operation *, mlir::Operation *> backwardAt;
  /// Norm ops and scale_grad ops emitted as part of another op's kernel.
  llvm::DenseSet<mlir::Operation *> folded;
  /// Values no kernel writes or reads.
  llvm::DenseSet<mlir::Value> unmaterialized;
  /// Values read later than their last use in the IR (by a fused kernel
  /// emitted at a later op): the index of that op in the block.
  llvm::DenseMap<mlir::Value, int64_t> extendedUse;
  /// Norm ops whose backward is fused: they cache their row statistics.
  llvm::SmallVector<mlir::Operation *> withStatistics;
};

/// Plans the fusions of `fn`'s single block.
NormScaleFusion planNormScaleFusion(mlir::func::FuncOp fn);

} // namespace normfuse

#endif // NORMFUSE_CODEGEN_NORMSCALEFUSION_H
