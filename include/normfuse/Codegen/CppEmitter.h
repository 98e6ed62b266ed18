//===- CppEmitter.h - nf IR -> C++ for the CPU target ------------*- C++
//-*-===//
//
// Emits one translation unit that defines `nf_model` (runtime/include/
// nfrt/Model.h): the parameter table and @forward, @train_step and
// @optimizer_step as calls of the shape-specialized kernels in
// runtime/include/nfrt/cpu, with a static memory plan per function.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_CODEGEN_CPPEMITTER_H
#define NORMFUSE_CODEGEN_CPPEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace normfuse {

struct EmitReport {
  int64_t arenaBytes = 0, naiveArenaBytes = 0, paramFloats = 0;
};

/// The module must hold @forward, @train_step (nf-autodiff) and
/// @optimizer_step (nf-optimizer-step, lowered by nf-lower-optimizer),
/// planned by nf-prepare-emission{target=cpu} last.
/// Diagnostics name the op that cannot be emitted.
mlir::LogicalResult emitCpp(mlir::ModuleOp module, llvm::raw_ostream &os,
                            EmitReport *report = nullptr);

} // namespace normfuse

#endif // NORMFUSE_CODEGEN_CPPEMITTER_H
