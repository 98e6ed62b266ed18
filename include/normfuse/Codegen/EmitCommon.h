//===- EmitCommon.h - helpers shared by the C++ and CUDA emitters -*- C++
//-*-===//
//
// Shapes of values, float literals that round-trip, and the parameter
// table (offsets of every parameter and gradient in the runtime's flat
// buffers, printed as nfrt::ParamInfo entries; runtime/include/nfrt/
// Model.h). Both targets must agree on the table so that checkpoints and
// the step checks carry over between them.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_CODEGEN_EMITCOMMON_H
#define NORMFUSE_CODEGEN_EMITCOMMON_H

#include "normfuse/Codegen/CppLiteral.h"

#include "nf/NFOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace normfuse::emit {

int64_t numel(mlir::Value v);
/// The last dimension (1 for a scalar).
int64_t lastDim(mlir::Value v);
/// Every dimension but the last.
int64_t rows(mlir::Value v);

/// A float literal with %.9g digits and an 'f' suffix ("1.f", "1e-06f").
std::string f32(double v);
std::string f32(const llvm::APFloat &v);
/// A double literal with %.17g digits.
std::string f64(double v);

struct ParamLayout {
  int64_t offset = 0, gradOffset = -1;
};

/// Every nf.param in module order, each 64-byte aligned in the parameter
/// buffer; trained parameters (not state) also get a gradient slot.
struct ParamTable {
  llvm::StringMap<ParamLayout> layout;
  llvm::SmallVector<mlir::nf::ParamOp> params;
  int64_t paramFloats = 0, gradFloats = 0;
};
ParamTable layoutParams(mlir::ModuleOp module);

/// `P + <offset>`: the pointer to a parameter's (or state tensor's) floats
/// in the runtime's parameter buffer P.
std::string paramPointer(const ParamTable &table, llvm::StringRef sym);

/// The members of an nf.adamw_multi as the array both targets' multi-tensor
/// AdamW reads (runtime/include/nfrt/AdamWTensor.h), one
/// `{p, g, m, v, n, wd}` line each:
///   `const AdamWTensor tensors[] = {...};`
/// `name` spells a gradient's pointer.
std::string adamwTensorTable(mlir::nf::AdamWMultiOp op, const ParamTable &table,
                             llvm::function_ref<std::string(mlir::Value)> name);

/// `constexpr nfrt::ParamInfo kParams[] = {...};`
void printParamTable(const ParamTable &table, llvm::raw_ostream &os);

/// The gradients a train step can compute straight into their slot of G
/// (value -> float offset into G): every returned gradient but a parameter
/// read, an argument, a head reshape (or a value a reshape reads), or a
/// value returned twice.
llvm::DenseMap<mlir::Value, int64_t>
gradientsInPlace(mlir::func::FuncOp trainStep, const ParamTable &table);

/// The layer an op belongs to (its NameLoc), for diagnostics names.
std::string layerName(mlir::Operation *op, llvm::StringRef fallback);

} // namespace normfuse::emit

#endif // NORMFUSE_CODEGEN_EMITCOMMON_H
