//===- Passes.h - nf graph passes --------------------------------*- C++
//-*-===//
#ifndef NORMFUSE_TRANSFORMS_PASSES_H
#define NORMFUSE_TRANSFORMS_PASSES_H

#include "nf/NFOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace normfuse {

#define GEN_PASS_DECL
#include "normfuse/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "normfuse/Transforms/Passes.h.inc"

/// Registers nf-default-pipeline (lib/Transforms/Pipelines.cpp).
void registerNFPipelines();

} // namespace normfuse

#endif // NORMFUSE_TRANSFORMS_PASSES_H
