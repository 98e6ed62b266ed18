//===- Tensor.cpp - the reference interpreter's value type ----------------===//
#include "normfuse/Interpreter/Tensor.h"

#include "llvm/Support/MathExtras.h"

using namespace normfuse::interp;

Tensor Tensor::zeros(llvm::ArrayRef<int64_t> shape) {
  Tensor t;
  t.shape.assign(shape.begin(), shape.end());
  t.data.assign(t.numel(), 0.0);
  return t;
}

int64_t Tensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string normfuse::interp::formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

int64_t normfuse::interp::checkedNumel(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || llvm::MulOverflow(n, d, n))
      return -1;
  }
  return n;
}
