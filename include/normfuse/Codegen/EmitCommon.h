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
#include "normfuse/Codegen/EmissionPlan.h"

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

/// One of the three functions of a step module, with the C++ signature
/// both targets give it (runtime/include/nfrt/Model.h's function types).
struct StepFunction {
  mlir::func::FuncOp op;
  const char *name;   ///< "forward", "train_step", "optimizer_step"
  const char *params; ///< "(float *P, char *A, ...)"
  const char *args;   ///< the parameter names in order: "P, A, ..."
};

/// What both emitters read off a module before printing it.
struct StepModule {
  /// @forward, @train_step, @optimizer_step, in that order.
  StepFunction fns[3];
  /// The model's name (nf.model, else "model") as an escaped C++ literal:
  /// the name is user input (docs/spec.md), and a newline or a trailing
  /// backslash must not end the comment it also appears in.
  std::string modelLiteral;
  int64_t batch = 0, seqLen = 0, vocab = 0;
  /// DyT / Derf ops of the train step: each logs kDiagnosticsPerNorm
  /// values when diagnostics are on.
  int64_t saturatingNorms = 0;

  mlir::func::FuncOp forward() const { return fns[0].op; }
  mlir::func::FuncOp trainStep() const { return fns[1].op; }
  mlir::func::FuncOp optimizerStep() const { return fns[2].op; }
};

/// sat_frac, sat_frac_1.5 and scale_blind of each DyT/Derf layer
/// (docs/math.md#diagnostics).
constexpr int64_t kDiagnosticsPerNorm = 3;

/// The module's step functions, or an error naming the missing ones and
/// the `target` ("CPU", "CUDA") that needs them.
mlir::FailureOr<StepModule> readStepModule(mlir::ModuleOp module,
                                           llvm::StringRef target);

/// The C++ name of argument `i` of a step function: the optimizer step's
/// are gradient slots in G ("(G + offset)"), the others the token and
/// target batches.
std::string argumentName(mlir::func::FuncOp fn, unsigned i,
                         const ParamTable &table);

/// The pointer a step function declares for one op result: its name
/// (`v<N>`), the expression it starts as (where nf-prepare-emission
/// placed the value: `P + offset`, `G + offset`, the name of the value
/// whose storage it shares, or the arena pointer the target spells), and
/// the value whose storage it names (itself, or that of the operand it
/// shares, followed to its owner).
struct ValuePointer {
  mlir::Value value, owner;
  normfuse::Placement placement;
  std::string name, init;
};

/// Names every argument (argumentName) and op result of `fn` in `names`
/// and returns the results' pointers in order. `arenaPointer` spells a
/// value the plan put in the arena (the target casts `A + offset` to its
/// storage type). Fails, after an error on the op, where a result has no
/// plan.
mlir::FailureOr<llvm::SmallVector<ValuePointer>> valuePointers(
    mlir::func::FuncOp fn, const ParamTable &table,
    llvm::DenseMap<mlir::Value, std::string> &names,
    llvm::function_ref<std::string(const normfuse::Placement &)> arenaPointer);

/// The host array the train step writes its diagnostics to:
/// `float nf_diagnostics[N];`.
void printDiagnosticsBuffer(const StepModule &m, llvm::raw_ostream &os);

/// The end of a generated file: the diagnostics' names, the close of the
/// anonymous namespace and `extern "C" const nfrt::ModelInfo nf_model`.
/// `targetFields` are the fields after numDiagnostics (the diagnostics
/// request and, for CUDA, the device buffers and API). Fails (an internal
/// error) when more diagnostics were named than the buffer holds.
mlir::LogicalResult printModelInfo(const StepModule &m, const ParamTable &t,
                                   int64_t arenaBytes, int64_t naiveBytes,
                                   llvm::ArrayRef<std::string> diagnosticNames,
                                   llvm::StringRef targetFields,
                                   llvm::raw_ostream &os);

/// The layer an op belongs to (its NameLoc), for diagnostics names.
std::string layerName(mlir::Operation *op, llvm::StringRef fallback);

} // namespace normfuse::emit

#endif // NORMFUSE_CODEGEN_EMITCOMMON_H
