//===- MemoryPlan.h - static arena offsets for a function's tensors -*- C++
//-*-===//
//
// Every tensor a function computes gets an offset in one arena; tensors
// whose lifetimes do not overlap share bytes. Reshapes (nf.split_heads,
// nf.merge_heads) alias their input; parameter reads alias the parameter
// buffer; function arguments live outside the arena.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_CODEGEN_MEMORYPLAN_H
#define NORMFUSE_CODEGEN_MEMORYPLAN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace normfuse {

struct MemoryPlan {
  /// Byte offset in the arena of every value that owns arena storage.
  llvm::DenseMap<mlir::Value, int64_t> offsets;
  /// Values that share another value's storage (reshapes, values written
  /// in place), mapped to it.
  llvm::DenseMap<mlir::Value, mlir::Value> aliases;
  int64_t arenaBytes = 0;
  /// Sum of the sizes of all arena values: the arena without reuse.
  int64_t naiveBytes = 0;

  /// The value whose storage `v` uses.
  mlir::Value root(mlir::Value v) const {
    auto it = aliases.find(v);
    return it == aliases.end() ? v : it->second;
  }
};

/// Plans `fn`'s single block. Alignment is 64 bytes (a cache line).
/// Values in `external` have storage outside the arena (the caller places
/// them, e.g. gradients written straight into the gradient buffer) and get
/// no offset. Values in `halfWidth`
/// are stored in 2 bytes per element (the CUDA target's bf16 activations)
/// whatever their element type. `inPlace` maps a value to one whose storage
/// it may overwrite (a kernel that writes its result over an operand, e.g.
/// the CUDA target's bf16 dlogits over the logits): the value becomes an
/// alias of that operand's storage when the operand's storage is of the
/// same size and read by nothing after the value's defining op (else the
/// value gets storage of its own). `storedElements` gives the elements a
/// value is stored in when that is more than its type's (a layout with a
/// row pitch: the CUDA target's pitched bf16 logits).
MemoryPlan planMemory(
    mlir::func::FuncOp fn,
    const llvm::DenseSet<mlir::Value> &external = llvm::DenseSet<mlir::Value>(),
    const llvm::DenseSet<mlir::Value> &halfWidth =
        llvm::DenseSet<mlir::Value>(),
    const llvm::DenseMap<mlir::Value, mlir::Value> &inPlace =
        llvm::DenseMap<mlir::Value, mlir::Value>(),
    const llvm::DenseMap<mlir::Value, int64_t> &storedElements =
        llvm::DenseMap<mlir::Value, int64_t>());

/// Bytes of a statically shaped tensor value.
int64_t tensorBytes(mlir::Type type);

} // namespace normfuse

#endif // NORMFUSE_CODEGEN_MEMORYPLAN_H
