//===- ParamUtils.h - creating and retiring nf.param symbols -----*- C++
//-*-===//
//
// Rewrites that add parameters (branch copies, output scales, magnitude and
// direction) or remove them (ablation) share these helpers.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_LIB_TRANSFORMS_PARAMUTILS_H
#define NORMFUSE_LIB_TRANSFORMS_PARAMUTILS_H

#include "nf/NFOps.h"

#include "mlir/IR/Builders.h"

namespace normfuse {

/// The nf.param that `v` reads, if `v` is the result of an nf.get_param.
mlir::nf::ParamOp paramOf(mlir::Value v);

/// Declares a parameter right after `anchor` (keeping related parameters
/// together in the printed module) and returns it. The name is made unique
/// within the module if taken.
mlir::nf::ParamOp
createParamAfter(mlir::nf::ParamOp anchor, llvm::StringRef name,
                 mlir::RankedTensorType type, mlir::nf::InitAttr init,
                 mlir::nf::ParamGroup group, llvm::StringRef derivedFrom = "");

/// Reads `param` at the builder's insertion point.
mlir::Value readParam(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::nf::ParamOp param);

/// Erases those of `candidates` (parameters a rewrite stopped reading) that
/// no op reads any more; returns how many. Parameters the user declared
/// without reading them are never candidates, so they stay.
unsigned eraseUnreadParams(mlir::ModuleOp module,
                           llvm::ArrayRef<mlir::StringAttr> candidates);

/// The last component of a parameter's name ("layers.0.attn.wq" -> "wq").
llvm::StringRef shortName(mlir::nf::ParamOp param);

} // namespace normfuse

#endif // NORMFUSE_LIB_TRANSFORMS_PARAMUTILS_H
