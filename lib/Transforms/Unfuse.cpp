//===- Unfuse.cpp - the fused ops back into their parts -------------------===//
//
// The inverse of the fusion rewrites (nf-fuse-norm-linear,
// nf-fuse-norm-scale): a user comparing a fused build against the plain ops,
// or a pass that wants to see the parts, gets the same function with every
// fused op spelled as the ops it was made of.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "llvm/ADT/TypeSwitch.h"

namespace normfuse {
#define GEN_PASS_DEF_NFUNFUSE
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

/// nf.rmsnorm or nf.layernorm of `x`.
Value rowNorm(OpBuilder &b, Location loc, NormKind kind, Value x,
              FloatAttr eps) {
  if (kind == NormKind::LayerNorm)
    return b.create<LayerNormOp>(loc, x, eps);
  return b.create<RMSNormOp>(loc, x, eps);
}

/// `fused_norm_linear norm x scale g [bias b] weights(W_1..W_n)`
///   => `linear(scale(norm(x), g) [+ b], W_i)` for i = 1..n.
void unfuse(FusedNormLinearOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value x = op.getInput();
  ValueRange s = op.getNormScalars();
  Value y;
  switch (op.getKind()) {
  case NormKind::RMSNorm:
  case NormKind::LayerNorm:
    y = rowNorm(b, loc, op.getKind(), x, op.getEpsAttr());
    break;
  case NormKind::DyT:
    y = b.create<DyTOp>(loc, x, s[0]);
    break;
  case NormKind::Derf:
    y = b.create<DerfOp>(loc, x, s[0], s[1]);
    break;
  }
  // One scale / bias chain per distinct (gamma, beta) pair, so a shared
  // gamma comes back as one shared nf.scale.
  llvm::DenseMap<std::pair<Value, Value>, Value> chains;
  for (auto [i, w, r] : llvm::enumerate(op.getWeights(), op.getResults())) {
    Value gamma = op.getGammaOf(i), beta = op.getBiasOf(i);
    Value &chain = chains[{gamma, beta}];
    if (!chain) {
      chain = y;
      if (gamma)
        chain = b.create<ScaleOp>(loc, chain, gamma);
      if (beta)
        chain = b.create<BiasAddOp>(loc, chain, beta);
    }
    r.replaceAllUsesWith(b.create<LinearOp>(loc, r.getType(), chain, w));
  }
  op.erase();
}

/// `norm_scale <kind> x, g` => `scale(norm(x), g)`.
void unfuse(NormScaleOp op) {
  OpBuilder b(op);
  Value xhat =
      rowNorm(b, op.getLoc(), op.getKind(), op.getInput(), op.getEpsAttr());
  op.getResult().replaceAllUsesWith(
      b.create<ScaleOp>(op.getLoc(), xhat, op.getGamma()));
  op.erase();
}

/// `add_rmsnorm a, b scale(g)` => `add_rmsnorm a, b` and `scale(#1, g)`.
void unfuse(AddRMSNormOp op) {
  OpBuilder b(op);
  auto plain = b.create<AddRMSNormOp>(op.getLoc(), op.getLhs(), op.getRhs(),
                                      Value(), op.getEpsAttr());
  op.getSum().replaceAllUsesWith(plain.getSum());
  op.getResult().replaceAllUsesWith(
      b.create<ScaleOp>(op.getLoc(), plain.getResult(), op.getGamma()));
  op.erase();
}

/// `norm_scale_grad <kind> x, g, dy [plus r]` => the normalized rows
/// recomputed, `scale_grad(xhat, g, dy)`, and the norm's gradient of its
/// input gradient (`add_rmsnorm_grad ... plus r` with an addend).
void unfuse(NormScaleGradOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value x = op.getInput();
  Value xhat = rowNorm(b, loc, op.getKind(), x, op.getEpsAttr());
  auto sg = b.create<ScaleGradOp>(loc, xhat, op.getGamma(), op.getGrad());
  Value dx;
  if (op.getAddend())
    dx = b.create<AddRMSNormGradOp>(loc, x, sg.getInputGrad(), op.getAddend(),
                                    op.getEpsAttr());
  else if (op.getKind() == NormKind::LayerNorm)
    dx = b.create<LayerNormGradOp>(loc, x, sg.getInputGrad(), op.getEpsAttr());
  else
    dx = b.create<RMSNormGradOp>(loc, x, sg.getInputGrad(), op.getEpsAttr());
  op.getInputGrad().replaceAllUsesWith(dx);
  op.getGammaGrad().replaceAllUsesWith(sg.getGammaGrad());
  op.erase();
}

/// `fused_cross_entropy z, t seed(s)` => `cross_entropy(z, t)`, `fill s`,
/// `cross_entropy_grad(z, t, %s)`.
void unfuse(FusedCrossEntropyOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value loss = b.create<CrossEntropyOp>(loc, op.getLoss().getType(),
                                        op.getLogits(), op.getTargets());
  Value seed = b.create<FillOp>(loc, op.getLoss().getType(), op.getSeedAttr());
  Value grad =
      b.create<CrossEntropyGradOp>(loc, op.getLogits(), op.getTargets(), seed);
  op.getLoss().replaceAllUsesWith(loss);
  op.getLogitsGrad().replaceAllUsesWith(grad);
  op.erase();
}

/// `adamw_multi [@w_i] grads(g_i) m [@m_i] v [@v_i] ... wd [wd_i]` => for
/// each i: get_param @w_i, @m_i, @v_i; adamw; update_param @w_i;
/// assign_state @m_i, @v_i (in the list's order, where the multi-tensor
/// update was).
void unfuse(AdamWMultiOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  for (auto [i, grad] : llvm::enumerate(op.getGrads())) {
    auto get = [&](Attribute sym) {
      return b.create<GetParamOp>(loc, grad.getType(),
                                  cast<FlatSymbolRefAttr>(sym));
    };
    Value p = get(op.getParams()[i]), m = get(op.getM()[i]),
          v = get(op.getV()[i]);
    auto a = b.create<AdamWOp>(loc, p, grad, m, v, op.getLr(), op.getStep(),
                               op.getGradScale(), op.getBeta1Attr(),
                               op.getBeta2Attr(), op.getEpsAttr(),
                               b.getF64FloatAttr(op.getWeightDecays()[i]));
    b.create<UpdateParamOp>(loc, cast<FlatSymbolRefAttr>(op.getParams()[i]),
                            a.getNewParam());
    b.create<AssignStateOp>(loc, cast<FlatSymbolRefAttr>(op.getM()[i]),
                            a.getNewM());
    b.create<AssignStateOp>(loc, cast<FlatSymbolRefAttr>(op.getV()[i]),
                            a.getNewV());
  }
  op.erase();
}

struct Unfuse : normfuse::impl::NFUnfuseBase<Unfuse> {
  void runOnOperation() override {
    SmallVector<Operation *> fused;
    getOperation().walk([&](Operation *op) {
      auto add = dyn_cast<AddRMSNormOp>(op);
      if (isa<FusedNormLinearOp, NormScaleOp, NormScaleGradOp,
              FusedCrossEntropyOp, AdamWMultiOp>(op) ||
          (add && add.getGamma()))
        fused.push_back(op);
    });
    for (Operation *op : fused)
      llvm::TypeSwitch<Operation *>(op)
          .Case<FusedNormLinearOp, NormScaleOp, AddRMSNormOp, NormScaleGradOp,
                FusedCrossEntropyOp, AdamWMultiOp>([](auto f) { unfuse(f); });
  }
};

} // namespace
