//===- SpecPipeline.h - the pass pipeline a spec selects ---------*- C++
//-*-===//
#ifndef NORMFUSE_TOOLS_NFC_SPECPIPELINE_H
#define NORMFUSE_TOOLS_NFC_SPECPIPELINE_H

#include "normfuse/Spec/SpecLoader.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace normfuse {

/// nf-default-pipeline with the options the spec's scale_vectors and
/// optimizer tables select, in nf-opt's textual syntax.
std::string specPipeline(const LoadedSpec &spec);

/// Everything after import for a training build: the spec's default
/// pipeline, nf-autodiff, nf-optimizer-step with the spec's optimizer and
/// schedule, nf-lower-optimizer.
std::string trainingPipeline(const LoadedSpec &spec);

/// Runs `passes` on `module`, where "default" means specPipeline(spec).
/// Errors (a bad pipeline, a failing pass) are printed; returns failure.
mlir::LogicalResult runPipeline(mlir::ModuleOp module, llvm::StringRef passes,
                                const LoadedSpec *spec);

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_SPECPIPELINE_H
