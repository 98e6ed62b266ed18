//===- LowerOptimizer.cpp - nf.muon as momentum + Newton-Schulz + update
//----===//
//
// docs/math.md#newton-schulz and #muon-update-scale: quintic coefficients
// (3.4445, -4.7750, 2.0315); the update scale sqrt(max(1, rows/cols)) (Keller)
// or 0.2 sqrt(max(rows, cols)) (Moonshot's match_adamw).
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "LocalRewrites.h"

#include "mlir/IR/PatternMatch.h"

#include <algorithm>
#include <cmath>

namespace normfuse {
#define GEN_PASS_DEF_NFLOWEROPTIMIZER
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

struct ExpandMuon : OpRewritePattern<MuonOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MuonOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto shape = cast<RankedTensorType>(op.getParam().getType()).getShape();
    double rows = shape[0], cols = shape[1];
    double factor = op.getScale() == MuonScale::Keller
                        ? std::sqrt(std::max(1.0, rows / cols))
                        : 0.2 * std::sqrt(std::max(rows, cols));
    auto momentum = rewriter.create<MomentumOp>(
        loc, op.getGrad(), op.getMomentumBuffer(), op.getGradScale(),
        op.getMomentumAttr(), op.getNesterovAttr());
    Value ortho = rewriter.create<NewtonSchulzOp>(
        loc, momentum.getUpdate(), op.getNsStepsAttr(),
        rewriter.getF64FloatAttr(3.4445), rewriter.getF64FloatAttr(-4.7750),
        rewriter.getF64FloatAttr(2.0315));
    Value param = rewriter.create<MuonApplyOp>(
        loc, op.getParam(), ortho, op.getLr(), rewriter.getF64FloatAttr(factor),
        op.getWeightDecayAttr());
    rewriter.replaceOp(op, {param, momentum.getNewBuffer()});
    return success();
  }
};

struct LowerOptimizer : normfuse::impl::NFLowerOptimizerBase<LowerOptimizer> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandMuon>(&getContext());
    if (failed(
            normfuse::applyLocalRewrites(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
