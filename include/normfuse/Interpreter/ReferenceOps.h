//===- ReferenceOps.h - nf ops as naive double-precision loops --*- C++ -*-===//
//
// One function per nf op, forward only, with the op's formula (docs/math.md) in
// a comment above its definition. Plain C++ without MLIR, so that unit tests
// and other tools can call the kernels directly. Shapes are trusted (the IR
// verifier checked them); the evaluator checks every result's shape against
// the op's type.
//
// "Rows" are every dimension but the last: norms reduce over the last
// dimension; scale vectors, biases and the rhs of add/mul broadcast over
// the leading ones.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_INTERPRETER_REFERENCEOPS_H
#define NORMFUSE_INTERPRETER_REFERENCEOPS_H

#include "normfuse/Interpreter/Tensor.h"

#include "llvm/Support/Error.h"

#include <optional>

namespace normfuse::interp {

// Normalizations without their scale vector (ReferenceNorms.cpp).
Tensor rmsnorm(const Tensor &x, double eps);
Tensor layernorm(const Tensor &x, double eps);
Tensor dyt(const Tensor &x, double alpha);
Tensor derf(const Tensor &x, double alpha, double shift);
struct DerfEMAResult {
  Tensor y;
  double newRunning;
};
DerfEMAResult derfEma(const Tensor &x, double alpha, double shift,
                      double running, double momentum, double blend);

// Elementwise (ReferenceElementwise.cpp). `rhs`, `gamma` and `beta` have a
// suffix of the lhs shape (a 0-D scalar included).
Tensor scale(const Tensor &x, const Tensor &gamma);
Tensor biasAdd(const Tensor &x, const Tensor &beta);
Tensor add(const Tensor &lhs, const Tensor &rhs);
Tensor mul(const Tensor &lhs, const Tensor &rhs);
Tensor gelu(const Tensor &x);
Tensor silu(const Tensor &x);

// Linear maps and lookups (ReferenceLinear.cpp).
Tensor linear(const Tensor &x, const Tensor &weight);
llvm::Expected<Tensor> embedding(llvm::ArrayRef<int32_t> ids,
                                 llvm::ArrayRef<int64_t> idShape,
                                 const Tensor &table);
Tensor splitHeads(const Tensor &x, int64_t heads);
Tensor mergeHeads(const Tensor &x);

// Attention (ReferenceAttention.cpp): q, k, v are [B, T, H, hd].
Tensor rope(const Tensor &x, double theta);
Tensor attention(const Tensor &q, const Tensor &k, const Tensor &v,
                 std::optional<double> ropeTheta);

// Loss (ReferenceLoss.cpp).
llvm::Expected<double> crossEntropy(const Tensor &logits,
                                    llvm::ArrayRef<int32_t> targets);

} // namespace normfuse::interp

#endif // NORMFUSE_INTERPRETER_REFERENCEOPS_H
