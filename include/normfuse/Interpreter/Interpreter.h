//===- Interpreter.h - the reference interpreter of nf IR -------*- C++ -*-===//
//
// Naive, obviously correct loops in double precision: the oracle that
// compiled code is checked against, itself checked against PyTorch
// (test/torch/reference_model.py). It evaluates a function, typically
// @forward(tokens, targets) -> loss, for given parameters and token ids; it
// never differentiates. `nfc eval` is its driver.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_INTERPRETER_INTERPRETER_H
#define NORMFUSE_INTERPRETER_INTERPRETER_H

#include "normfuse/Interpreter/Params.h"
#include "normfuse/Interpreter/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace normfuse::interp {

/// Every nf.param of `module`, in the order the module declares them.
std::vector<ParamDecl> paramDecls(mlir::ModuleOp module);

/// What a function needs as input: `numIdArgs` tensors of token ids
/// (@forward: tokens, targets) of `idsPerArg` ids each, drawn from
/// [0, vocab) (vocab is 0 when no nf.embedding or nf.cross_entropy says).
struct Signature {
  unsigned numIdArgs = 0;
  size_t idsPerArg = 0;
  int64_t vocab = 0;
};
llvm::Expected<Signature> signatureOf(mlir::ModuleOp module,
                                      llvm::StringRef function);

/// What evaluate() allocates for `function`, in bytes: every parameter,
/// the token ids, and the most that values alive at once take (each value
/// is dropped after its last use), plus the largest value again as an
/// op's scratch. Computed from the types alone, before anything is
/// allocated. 0 when there is no such function.
struct EvaluationBytes {
  uint64_t params = 0, values = 0;
  uint64_t total() const { return params + values; }
};
EvaluationBytes evaluationBytes(mlir::ModuleOp module,
                                llvm::StringRef function);

/// Evaluates `function` of `module` with `ids[i]` as its i-th argument and
/// returns its results (@forward: the loss, a 0-D tensor). Reads parameters
/// from `store`; nf.assign_state writes into it. An op without a rule is an
/// error naming the op and its location.
llvm::Expected<std::vector<Tensor>>
evaluate(mlir::ModuleOp module, llvm::StringRef function,
         llvm::ArrayRef<std::vector<int32_t>> ids, ParamStore &store);

} // namespace normfuse::interp

#endif // NORMFUSE_INTERPRETER_INTERPRETER_H
