//===- AllReduceBuckets.h - when each gradient bucket is final -*- C++ -*-===//
//
// Data parallel on the CUDA target: the train step all-reduces its
// gradient buffer G in buckets, each started as soon as every gradient in
// it is final, so that communication overlaps the rest of the backward
// (PyTorch DDP's gradient bucketing, planned statically here). A bucket is
// a contiguous range of G (consecutive trained parameters in table order,
// with their alignment padding) whose gradients are all final: computed in
// place in G and read by no later op of the step. The backward finishes
// gradients roughly in reverse table order, so buckets grow from the end
// of G; a bucket is started once it holds at least `bucketBytes`, and
// whatever is left goes at the step's end.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_CODEGEN_ALLREDUCEBUCKETS_H
#define NORMFUSE_CODEGEN_ALLREDUCEBUCKETS_H

#include "normfuse/Codegen/EmitCommon.h"

#include "llvm/ADT/SmallVector.h"

#include <string>

namespace normfuse {

struct GradientBucket {
  int64_t begin = 0, floats = 0; // in G
  std::string first, last;       // the parameters at its two ends
  int64_t params = 0;
};

struct BucketPlan {
  /// Buckets to start right after an op of the train step.
  llvm::DenseMap<mlir::Operation *, llvm::SmallVector<GradientBucket, 1>> after;
  /// Buckets started at the return.
  llvm::SmallVector<GradientBucket> atEnd;
  int64_t count() const;
};

/// `inG`: the gradients computed in their G slot (emit::gradientsInPlace);
/// any other gradient is final only at the return, where it is copied.
BucketPlan planAllReduceBuckets(mlir::func::FuncOp trainStep,
                                const emit::ParamTable &table,
                                const llvm::DenseMap<mlir::Value, int64_t> &inG,
                                int64_t bucketBytes);

} // namespace normfuse

#endif // NORMFUSE_CODEGEN_ALLREDUCEBUCKETS_H
