//===- ReferenceLinear.cpp - linear maps and lookups, naive loops ---------===//
#include "normfuse/Interpreter/ReferenceOps.h"

#include "llvm/Support/FormatVariadic.h"

using namespace normfuse::interp;

// linear, W of shape [out, in] (torch.nn.Linear's layout), per row r:
//   y[r, o] = sum_i x[r, i] * W[o, i]
Tensor normfuse::interp::linear(const Tensor &x, const Tensor &weight) {
  int64_t out = weight.shape[0], in = weight.shape[1];
  std::vector<int64_t> shape = x.shape;
  shape.back() = out;
  Tensor y = Tensor::zeros(shape);
  for (int64_t r = 0; r < x.rows(); ++r)
    for (int64_t o = 0; o < out; ++o) {
      double sum = 0;
      for (int64_t i = 0; i < in; ++i)
        sum += x.data[r * in + i] * weight.data[o * in + i];
      y.data[r * out + o] = sum;
    }
  return y;
}

// embedding, table of shape [V, d]:  y[n, :] = table[ids[n], :]
// An id outside [0, V) is an error, not a read out of bounds.
llvm::Expected<Tensor>
normfuse::interp::embedding(llvm::ArrayRef<int32_t> ids,
                            llvm::ArrayRef<int64_t> idShape,
                            const Tensor &table) {
  int64_t vocab = table.shape[0], d = table.shape[1];
  std::vector<int64_t> shape(idShape.begin(), idShape.end());
  shape.push_back(d);
  Tensor y = Tensor::zeros(shape);
  for (size_t n = 0; n < ids.size(); ++n) {
    if (ids[n] < 0 || ids[n] >= vocab)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          llvm::formatv("token {0} at position {1} is outside the "
                        "vocabulary [0, {2})",
                        ids[n], n, vocab));
    for (int64_t j = 0; j < d; ++j)
      y.data[n * d + j] = table.data[ids[n] * d + j];
  }
  return y;
}

// split_heads:  [B, T, H*hd] -> [B, T, H, hd]; channel h*hd + i is head h's
// i-th (the row-major data is unchanged).
Tensor normfuse::interp::splitHeads(const Tensor &x, int64_t heads) {
  Tensor y = x;
  int64_t width = x.shape.back();
  y.shape.back() = heads;
  y.shape.push_back(width / heads);
  return y;
}

// merge_heads:  [B, T, H, hd] -> [B, T, H*hd], the inverse of split_heads.
Tensor normfuse::interp::mergeHeads(const Tensor &x) {
  Tensor y = x;
  int64_t hd = y.shape.back();
  y.shape.pop_back();
  y.shape.back() *= hd;
  return y;
}
