//===- ReferenceLoss.cpp - cross-entropy, naive double loops --------------===//
#include "normfuse/Interpreter/ReferenceOps.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace normfuse::interp;

// cross_entropy (mean, as torch.nn.functional.cross_entropy), logits of
// shape [..., V], one target per row r of N rows:
//   loss = (1/N) sum_r [ log sum_j exp(z_rj) - z_r,target(r) ]
// with log sum exp computed as max + log sum exp(z - max). The sum over rows
// is compensated (Neumaier), so N equal row losses average to that loss
// exactly when N is a power of two (every B x T here): zero weights give
// ln V, not ln V off by the rounding of N - 1 additions.
llvm::Expected<double>
normfuse::interp::crossEntropy(const Tensor &logits,
                               llvm::ArrayRef<int32_t> targets) {
  int64_t vocab = logits.lastDim(), rows = logits.rows();
  double total = 0, compensation = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int32_t target = targets[r];
    if (target < 0 || target >= vocab)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          llvm::formatv("target {0} at position {1} is outside the "
                        "vocabulary [0, {2})",
                        target, r, vocab));
    const double *z = &logits.data[r * vocab];
    double max = z[0];
    for (int64_t j = 1; j < vocab; ++j)
      max = std::max(max, z[j]);
    double sum = 0;
    for (int64_t j = 0; j < vocab; ++j)
      sum += std::exp(z[j] - max);
    // (max - z_t) first: it is exact for equal logits, where adding
    // log(sum) to a large max first would round.
    double row = (max - z[target]) + std::log(sum);
    double next = total + row;
    compensation += std::fabs(total) >= std::fabs(row) ? (total - next) + row
                                                       : (row - next) + total;
    total = next;
  }
  return (total + compensation) / double(rows);
}
