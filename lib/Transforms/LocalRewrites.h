//===- LocalRewrites.h - the rewrites' greedy driver ----------*- C++ -*-===//
//
// The fusion and lowering passes are local OpRewritePatterns; they all run
// them the same way, through this one helper.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_LIB_TRANSFORMS_LOCALREWRITES_H
#define NORMFUSE_LIB_TRANSFORMS_LOCALREWRITES_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace normfuse {

/// Applies `patterns` to everything under `root` until none matches; ops
/// left without a use go away as the driver goes. Region simplification is
/// off: the step functions are single blocks, and merging or erasing
/// blocks is no rewrite a user asked for.
inline mlir::LogicalResult
applyLocalRewrites(mlir::Operation *root, mlir::RewritePatternSet &&patterns) {
  mlir::GreedyRewriteConfig config;
  config.enableRegionSimplification = mlir::GreedySimplifyRegionLevel::Disabled;
  return mlir::applyPatternsAndFoldGreedily(root, std::move(patterns), config);
}

} // namespace normfuse

#endif // NORMFUSE_LIB_TRANSFORMS_LOCALREWRITES_H
