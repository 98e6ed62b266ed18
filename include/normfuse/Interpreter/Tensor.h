//===- Tensor.h - the reference interpreter's value type --------*- C++ -*-===//
//
// A dense row-major tensor of doubles. nf IR computes in f32; the reference
// interpreter evaluates every op in double so that it can judge f32 code.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_INTERPRETER_TENSOR_H
#define NORMFUSE_INTERPRETER_TENSOR_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace normfuse::interp {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  /// A tensor of `shape` filled with zeros.
  static Tensor zeros(llvm::ArrayRef<int64_t> shape);

  /// The product of the dimensions (1 for a 0-D tensor).
  int64_t numel() const;
  /// The size of the last dimension (1 for a 0-D tensor): ops that reduce
  /// or broadcast "over the last dimension" see numel() / lastDim() rows.
  int64_t lastDim() const { return shape.empty() ? 1 : shape.back(); }
  int64_t rows() const { return numel() / lastDim(); }
};

/// "[64, 128]"; "[]" for a 0-D shape.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// The number of elements of `shape`, or -1 when a dimension is negative
/// or the product overflows int64 (a corrupt file, not a real tensor).
int64_t checkedNumel(llvm::ArrayRef<int64_t> shape);

} // namespace normfuse::interp

#endif // NORMFUSE_INTERPRETER_TENSOR_H
