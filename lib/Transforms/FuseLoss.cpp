//===- FuseLoss.cpp - the loss and its gradient as one op -----------------===//
//
// The train step computes the cross-entropy and, right after the constant
// seed d loss / d loss, its gradient over the logits: two passes over the
// largest tensor of the step ([B T, V]), each finding every row's max and
// softmax normalizer. nf.fused_cross_entropy does both in one pass per row
// (llm.c's fused classifier); the code generators print one kernel for it.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "LocalRewrites.h"

#include "mlir/IR/PatternMatch.h"

namespace normfuse {
#define GEN_PASS_DEF_NFFUSELOSS
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

/// `%l = cross_entropy(z, t)`, then only nf.fill ops, then
/// `cross_entropy_grad(z, t, fill(s))`
///   => `%l, %dz = fused_cross_entropy z, t seed(s)` where the forward was.
/// Only fills in between: the gradient then comes into being where it did
/// (no longer-lived [N, V] buffer), and nothing reads the logits between
/// the two.
struct FuseCrossEntropy : OpRewritePattern<CrossEntropyGradOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(CrossEntropyGradOp grad,
                                PatternRewriter &rewriter) const override {
    auto seed = grad.getGrad().getDefiningOp<FillOp>();
    if (!seed)
      return rewriter.notifyMatchFailure(grad, "the cotangent is no constant");
    Operation *op = grad->getPrevNode();
    while (op && isa<FillOp>(op))
      op = op->getPrevNode();
    auto loss = dyn_cast_or_null<CrossEntropyOp>(op);
    if (!loss || loss.getLogits() != grad.getLogits() ||
        loss.getTargets() != grad.getTargets())
      return rewriter.notifyMatchFailure(grad, "no loss of the same logits");
    rewriter.setInsertionPoint(loss);
    auto fused = rewriter.create<FusedCrossEntropyOp>(
        rewriter.getFusedLoc({loss.getLoc(), grad.getLoc()}), loss.getType(),
        grad.getType(), loss.getLogits(), loss.getTargets(),
        rewriter.getF64FloatAttr(seed.getValue().convertToDouble()));
    rewriter.replaceOp(grad, fused.getLogitsGrad());
    rewriter.replaceOp(loss, fused.getLoss());
    return success();
  }
};

struct FuseLoss : normfuse::impl::NFFuseLossBase<FuseLoss> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseCrossEntropy>(&getContext());
    if (failed(
            normfuse::applyLocalRewrites(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
