//===- FuseResidualNorm.cpp - residual adds into the RMSNorm after them ---===//
//
// Pre-Norm's residual stream: x_{l+1} = x_l + f(rmsnorm(x_l)). Unfused, the
// add writes x_{l+1} and the next norm reads it straight back; backward, the
// norm's input gradient is written, then read again by the add that joins it
// to the stream's gradient. The fused ops (nf.add_rmsnorm,
// nf.add_rmsnorm_grad) do each in one pass over the rows, with the same
// arithmetic in the same order.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

namespace normfuse {
#define GEN_PASS_DEF_NFFUSERESIDUALNORM
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

/// The row length of `v`, or -1 for a 0-D value.
int64_t rowLength(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  return type.getRank() == 0 ? -1 : type.getShape().back();
}

/// The first nf.rmsnorm (in block order) that reads `sum`, or null.
RMSNormOp firstNormOf(Value sum) {
  RMSNormOp first;
  for (Operation *user : sum.getUsers())
    if (auto n = dyn_cast<RMSNormOp>(user))
      if (n.getInput() == sum && n->getBlock() == sum.getParentBlock() &&
          (!first || n->isBeforeInBlock(first)))
        first = n;
  return first;
}

/// `%s = add(a, b); %n = rmsnorm(%s)` => `%s, %n = add_rmsnorm(a, b)`, built
/// where the add was: the norm reads nothing but the sum, so every other
/// reader of either result still comes after its definition.
bool fuseForward(AddOp add, int64_t maxRow) {
  if (add.getLhs().getType() != add.getRhs().getType())
    return false; // a broadcast (position table, learnable scalar)
  int64_t row = rowLength(add.getResult());
  if (row < 1 || row > maxRow)
    return false;
  RMSNormOp norm = firstNormOf(add.getResult());
  if (!norm)
    return false;
  OpBuilder b(add);
  auto fused = b.create<AddRMSNormOp>(
      b.getFusedLoc({add.getLoc(), norm.getLoc()}), add.getLhs(), add.getRhs(),
      /*gamma=*/Value(), norm.getEpsAttr());
  add.getResult().replaceAllUsesWith(fused.getSum());
  norm.getResult().replaceAllUsesWith(fused.getResult());
  norm->erase();
  add->erase();
  return true;
}

/// `add(r, rmsnorm_grad(x, dy))` (either order), the add the norm
/// gradient's only reader => `add_rmsnorm_grad(x, dy) plus r`, built where
/// the add was (x, dy and r are all defined before it).
bool fuseBackward(AddOp add, int64_t maxRow) {
  if (add.getLhs().getType() != add.getRhs().getType())
    return false;
  int64_t row = rowLength(add.getResult());
  if (row < 1 || row > maxRow)
    return false;
  // Prefer the right operand: autodiff appends the newest cotangent there,
  // so its norm gradient is the op right before the add.
  for (unsigned i : {1u, 0u}) {
    Value operand = add->getOperand(i);
    auto grad = operand.getDefiningOp<RMSNormGradOp>();
    if (!grad || !operand.hasOneUse() || add.getLhs() == add.getRhs())
      continue;
    OpBuilder b(add);
    auto fused = b.create<AddRMSNormGradOp>(
        b.getFusedLoc({grad.getLoc(), add.getLoc()}), grad.getInput(),
        grad.getGrad(), add->getOperand(1 - i), grad.getEpsAttr());
    add.getResult().replaceAllUsesWith(fused.getResult());
    add->erase();
    grad->erase();
    return true;
  }
  return false;
}

struct FuseResidualNorm
    : normfuse::impl::NFFuseResidualNormBase<FuseResidualNorm> {
  using Base::Base;

  void runOnOperation() override {
    if (maxRow < 1) {
      emitError(getOperation().getLoc())
          << "nf-fuse-residual-norm: max-row must be at least 1, got "
          << int64_t(maxRow);
      return signalPassFailure();
    }
    SmallVector<AddOp> adds;
    getOperation().walk([&](AddOp add) { adds.push_back(add); });
    for (AddOp add : adds)
      if (!fuseForward(add, maxRow))
        fuseBackward(add, maxRow);
  }
};

} // namespace
