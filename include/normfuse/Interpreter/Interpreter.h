//===- Interpreter.h - the reference interpreter of nf IR -------*- C++ -*-===//
//
// Naive, obviously correct loops in double precision: the oracle that
// compiled code is checked against (and that is itself checked against
// PyTorch, test/lit/Eval). It evaluates a function's loss for given
// parameters and tokens; it never differentiates.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_INTERPRETER_INTERPRETER_H
#define NORMFUSE_INTERPRETER_INTERPRETER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace normfuse {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

/// Every nf.param's value by name.
using ParamStore = llvm::StringMap<Tensor>;

enum class ParamInit {
  FromInit, // each parameter's init attribute
  Random,   // random values everywhere (scale-like ones around 1)
};

/// Fills `store` for every nf.param of `module`: from the init attributes
/// or at random, each from its own stream seeded by (seed, name), so a
/// parameter keeps its values when a rewrite adds or removes others.
void initializeParams(mlir::ModuleOp module, ParamInit mode, uint64_t seed,
                      ParamStore &store);

/// Reads a parameter file (format in Interpreter.cpp) into `store` for the
/// parameters of `module`: by name, else by `derived_from`, else kept as
/// initialised. Shapes must match. `unused` counts file tensors the module
/// does not declare.
llvm::Error loadParams(mlir::ModuleOp module, llvm::StringRef path,
                       ParamStore &store, unsigned &unused);
llvm::Error saveParams(mlir::ModuleOp module, llvm::StringRef path,
                       const ParamStore &store);

/// Evaluates `function` (tokens, targets) -> loss. State updates
/// (nf.assign_state) are written to `store`.
llvm::Expected<double> evaluate(mlir::ModuleOp module,
                                llvm::StringRef function,
                                const std::vector<int32_t> &tokens,
                                const std::vector<int32_t> &targets,
                                ParamStore &store);

} // namespace normfuse

#endif // NORMFUSE_INTERPRETER_INTERPRETER_H
