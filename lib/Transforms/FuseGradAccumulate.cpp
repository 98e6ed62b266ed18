//===- FuseGradAccumulate.cpp - input gradients summed by their GEMMs -----===//
//
// An input read by several linear maps (Q, K and V read the same normalized
// rows; gate and up in a gated MLP) gets the sum of their input gradients:
// nf-autodiff writes each dy W and adds them with nf.add. A GEMM can add
// into its output instead (C = dy W + C, beta = 1), so each sum becomes an
// addend of the linear_grad that produced its last term: no [N, IN] buffer
// per term and no pass over three of them per add.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

namespace normfuse {
#define GEN_PASS_DEF_NFFUSEGRADACCUMULATE
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

/// Whether `v` is defined before `op` in op's block (or is an argument of
/// it), so that an op built at `op` may read it.
bool availableAt(Value v, Operation *op) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return arg.getOwner() == op->getBlock();
  Operation *def = v.getDefiningOp();
  return def->getBlock() == op->getBlock() && def->isBeforeInBlock(op);
}

/// `add(acc, linear_grad(x, W, dy)#0)` (either order), the add the input
/// gradient's only reader and acc available at the linear_grad =>
/// `linear_grad x, W, dy plus acc`, built where the linear_grad was.
bool fuse(AddOp add) {
  if (add.getLhs().getType() != add.getRhs().getType() ||
      add.getLhs() == add.getRhs())
    return false;
  // Prefer the right operand: autodiff appends the newest term there.
  for (unsigned i : {1u, 0u}) {
    Value term = add->getOperand(i), acc = add->getOperand(1 - i);
    auto grad = term.getDefiningOp<LinearGradOp>();
    if (!grad || grad.getAddend() || term != grad.getInputGrad() ||
        !term.hasOneUse() || !availableAt(acc, grad))
      continue;
    OpBuilder b(grad);
    auto fused = b.create<LinearGradOp>(
        b.getFusedLoc({grad.getLoc(), add.getLoc()}), grad.getInput(),
        grad.getWeight(), grad.getGrad(), acc);
    grad.getWeightGrad().replaceAllUsesWith(fused.getWeightGrad());
    add.getResult().replaceAllUsesWith(fused.getInputGrad());
    add->erase();
    grad->erase();
    return true;
  }
  return false;
}

struct FuseGradAccumulate
    : normfuse::impl::NFFuseGradAccumulateBase<FuseGradAccumulate> {
  void runOnOperation() override {
    SmallVector<AddOp> adds;
    getOperation().walk([&](AddOp add) { adds.push_back(add); });
    for (AddOp add : adds)
      fuse(add);
  }
};

} // namespace
