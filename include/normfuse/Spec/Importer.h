//===- Importer.h - checked spec -> nf IR ------------------------*- C++
//-*-===//
//
// Builds the forward graph and loss of a spec as nf IR:
//   module {
//     nf.param ...                       (every parameter and state tensor)
//     func.func @forward(%tokens, %targets) -> tensor<f32>   (the mean loss)
//   }
// Every norm layer becomes normalization + nf.scale (+ nf.bias_add),
// docs/math.md#norm-split. The importer builds IR and runs no rewrite.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SPEC_IMPORTER_H
#define NORMFUSE_SPEC_IMPORTER_H

#include "normfuse/Spec/SpecLoader.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace normfuse {

/// Imports `spec` into a new module in `context` (which must have the nf
/// and func dialects loaded). The module is verified; on failure the
/// diagnostics go to the context's handler and null is returned.
mlir::OwningOpRef<mlir::ModuleOp> importSpec(mlir::MLIRContext &context,
                                             const LoadedSpec &spec);

} // namespace normfuse

#endif // NORMFUSE_SPEC_IMPORTER_H
