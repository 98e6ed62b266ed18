//===- FuseNormScale.cpp - scale vectors folded into the norm before them -===//
//
// y = gamma * norm(x) needs the normalized rows only on the way to y: a
// kernel that reads a row, takes its statistics and writes the scaled row
// never stores xhat. Backward, dgamma = sum(dy * xhat) and the norm's input
// gradient of gamma * dy both rebuild xhat from x, so the scale's input
// gradient is never stored either (docs/math.md#rmsnorm, #layernorm). Both
// code generators print their norm + scale kernels from the ops this pass
// makes, so the fusion a binary runs is the one `--emit=mlir` shows.
//
// Local rewrites under the greedy driver: the backward pattern removes the
// nf.scale_grad that reads xhat, which leaves the forward nf.scale the
// norm's only reader, and the forward pattern then applies.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "LocalRewrites.h"

#include "mlir/IR/PatternMatch.h"

namespace normfuse {
#define GEN_PASS_DEF_NFFUSENORMSCALE
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

/// Which norms may fuse (the pass options).
struct Limits {
  bool layernorm;
  int64_t maxRow; // 0: no limit

  bool allows(NormKind kind, Value rows) const {
    if (kind == NormKind::LayerNorm && !layernorm)
      return false;
    int64_t d = cast<RankedTensorType>(rows.getType()).getShape().back();
    return maxRow == 0 || d <= maxRow;
  }
};

/// A row norm's forward: the rows it normalizes, the normalized value, its
/// kind and eps (nf.rmsnorm, nf.layernorm, or nf.add_rmsnorm's sum).
struct NormForward {
  Operation *op;
  NormKind kind;
  Value rows, normalized;
  FloatAttr eps;
  /// nf.add_rmsnorm already carrying a scale vector is no candidate.
  bool scaled;
};

std::optional<NormForward> normForward(Operation *op) {
  if (auto n = dyn_cast_or_null<RMSNormOp>(op))
    return NormForward{
        n,    NormKind::RMSNorm, n.getInput(), n.getResult(), n.getEpsAttr(),
        false};
  if (auto n = dyn_cast_or_null<LayerNormOp>(op))
    return NormForward{
        n,    NormKind::LayerNorm, n.getInput(), n.getResult(), n.getEpsAttr(),
        false};
  if (auto n = dyn_cast_or_null<AddRMSNormOp>(op))
    return NormForward{n,
                       NormKind::RMSNorm,
                       n.getSum(),
                       n.getResult(),
                       n.getEpsAttr(),
                       bool(n.getGamma())};
  return std::nullopt;
}

/// Moves the pure computation of `v` (an nf.get_param, typically) before
/// `point` when it comes later in the same block; false when it cannot.
bool hoistBefore(RewriterBase &rewriter, Value v, Operation *point) {
  Operation *def = v.getDefiningOp();
  if (!def || def->getBlock() != point->getBlock() ||
      def->isBeforeInBlock(point))
    return def != point;
  if (def == point || !isPure(def))
    return false;
  for (Value operand : def->getOperands())
    if (!hoistBefore(rewriter, operand, point))
      return false;
  rewriter.moveOpBefore(def, point);
  return true;
}

/// `norm_grad(x, scale_grad(norm(x), g, dy)#0) [plus r]`
///   => `norm_scale_grad <kind> x, g, dy [plus r]`, built where the norm
/// gradient was (x, g, dy and r are all defined before it).
template <class GradOp> struct FuseBackward : OpRewritePattern<GradOp> {
  FuseBackward(MLIRContext *ctx, Limits limits)
      : OpRewritePattern<GradOp>(ctx), limits(limits) {}

  LogicalResult matchAndRewrite(GradOp grad,
                                PatternRewriter &rewriter) const override {
    auto sg = grad.getGrad().template getDefiningOp<ScaleGradOp>();
    if (!sg || sg.getInputGrad() != grad.getGrad() ||
        !sg.getInputGrad().hasOneUse())
      return rewriter.notifyMatchFailure(grad, "not a scale's input gradient");
    std::optional<NormForward> norm =
        normForward(sg.getInput().getDefiningOp());
    if (!norm || norm->normalized != sg.getInput() ||
        norm->rows != grad.getInput() || norm->eps != grad.getEpsAttr() ||
        norm->kind != kindOf(grad) || !limits.allows(norm->kind, norm->rows))
      return rewriter.notifyMatchFailure(grad, "not the same norm's gradient");
    // dgamma now comes into being at the norm gradient: nothing may read
    // it in between.
    for (Operation *reader : sg.getGammaGrad().getUsers())
      if (reader->getBlock() != grad->getBlock() ||
          !grad->isBeforeInBlock(reader))
        return rewriter.notifyMatchFailure(grad, "dgamma is read before");
    auto fused = rewriter.create<NormScaleGradOp>(
        rewriter.getFusedLoc({sg.getLoc(), grad.getLoc()}),
        NormKindAttr::get(rewriter.getContext(), norm->kind), grad.getInput(),
        sg.getGamma(), sg.getGrad(), addendOf(grad), grad.getEpsAttr());
    rewriter.replaceAllUsesWith(sg.getGammaGrad(), fused.getGammaGrad());
    rewriter.replaceOp(grad, fused.getInputGrad());
    rewriter.eraseOp(sg);
    return success();
  }

private:
  static NormKind kindOf(LayerNormGradOp) { return NormKind::LayerNorm; }
  static NormKind kindOf(Operation *) { return NormKind::RMSNorm; }
  static Value addendOf(AddRMSNormGradOp g) { return g.getAddend(); }
  static Value addendOf(Operation *) { return Value(); }

  Limits limits;
};

/// `scale(norm(x), g)`, the scale the norm's only reader
///   => `norm_scale <kind> x, g` where the scale was, or
/// `scale(add_rmsnorm(a, b)#1, g)` => `add_rmsnorm a, b scale(g)` where the
/// add_rmsnorm was (its sum may have readers before the scale; g, a
/// parameter read, moves up).
struct FuseForward : OpRewritePattern<ScaleOp> {
  FuseForward(MLIRContext *ctx, Limits limits)
      : OpRewritePattern<ScaleOp>(ctx), limits(limits) {}

  LogicalResult matchAndRewrite(ScaleOp scale,
                                PatternRewriter &rewriter) const override {
    std::optional<NormForward> norm =
        normForward(scale.getInput().getDefiningOp());
    if (!norm || norm->scaled || norm->normalized != scale.getInput() ||
        !norm->normalized.hasOneUse() || !limits.allows(norm->kind, norm->rows))
      return rewriter.notifyMatchFailure(scale, "no norm read by it alone");
    Location loc = rewriter.getFusedLoc({norm->op->getLoc(), scale.getLoc()});
    auto add = dyn_cast<AddRMSNormOp>(norm->op);
    if (!add) {
      Value y = rewriter.create<NormScaleOp>(
          loc, NormKindAttr::get(rewriter.getContext(), norm->kind), norm->rows,
          scale.getGamma(), norm->eps);
      rewriter.replaceOp(scale, y);
      rewriter.eraseOp(norm->op);
      return success();
    }
    if (!hoistBefore(rewriter, scale.getGamma(), add))
      return rewriter.notifyMatchFailure(scale, "gamma comes after the sum");
    rewriter.setInsertionPoint(add);
    auto fused = rewriter.create<AddRMSNormOp>(
        loc, add.getLhs(), add.getRhs(), scale.getGamma(), add.getEpsAttr());
    rewriter.replaceAllUsesWith(add.getSum(), fused.getSum());
    rewriter.replaceOp(scale, fused.getResult());
    rewriter.eraseOp(add);
    return success();
  }

private:
  Limits limits;
};

struct FuseNormScale : normfuse::impl::NFFuseNormScaleBase<FuseNormScale> {
  using Base::Base;

  void runOnOperation() override {
    if (maxRow < 0) {
      emitError(getOperation().getLoc())
          << "nf-fuse-norm-scale: max-row must be 0 (no limit) or more, got "
          << int64_t(maxRow);
      return signalPassFailure();
    }
    Limits limits{layernorm, maxRow};
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FuseBackward<RMSNormGradOp>, FuseBackward<AddRMSNormGradOp>,
                 FuseBackward<LayerNormGradOp>, FuseForward>(ctx, limits);
    if (failed(
            normfuse::applyLocalRewrites(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
