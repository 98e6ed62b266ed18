//===- FoldScales.cpp - fold Input-Norm scale vectors into weights
//----------===//
//
// FlashNorm (arXiv 2407.09577, docs/math.md#fold-scales): for torch.nn.Linear's
// W of shape [out, in], W (g * x) = (W diag g) x, and W diag g is nf.scale of W
// by g over its last (in) dimension. A bias b after g folds into a bias W b
// of the map. Only Input-Norm vectors qualify: an Output-Norm vector's
// output reaches something that is not a linear map, so folding it into the
// weights would change what that consumer sees.
//
//===----------------------------------------------------------------------===//
#include "ParamUtils.h"
#include "normfuse/Transforms/Passes.h"

namespace normfuse {
#define GEN_PASS_DEF_NFFOLDSCALES
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;

namespace {

/// The first consumer of `v` that is not a linear map's input, looking
/// through a bias add; null if there is none.
Operation *firstNonLinearConsumer(Value v) {
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    if (isa<LinearOp>(user) && use.getOperandNumber() == 0)
      continue;
    if (auto bias = dyn_cast<BiasAddOp>(user))
      if (use.getOperandNumber() == 0) {
        if (Operation *op = firstNonLinearConsumer(bias.getResult()))
          return op;
        continue;
      }
    return user;
  }
  return nullptr;
}

/// A scale whose every use is a linear map's weight: W diag g, folded.
bool isFoldedWeight(ScaleOp scale) {
  return !scale->use_empty() &&
         llvm::all_of(scale->getUses(), [](OpOperand &use) {
           return isa<LinearOp>(use.getOwner()) && use.getOperandNumber() == 1;
         });
}

/// linear(scale(x, g), W) => linear(x, scale(W, g)), and through a bias:
/// linear(bias_add(scale(x, g), b), W) => bias_add(linear(x, W'), linear(b,
/// W)).
void foldInto(LinearOp linear, ScaleOp scale, BiasAddOp bias) {
  OpBuilder b(linear);
  Location loc = linear.getLoc();
  Value w = linear.getWeight();
  Value folded = b.create<ScaleOp>(loc, w, scale.getGamma());
  Value y = b.create<LinearOp>(loc, linear.getType(), scale.getInput(), folded);
  if (bias) {
    auto wType = cast<RankedTensorType>(w.getType());
    auto biasType =
        RankedTensorType::get({wType.getShape()[0]}, wType.getElementType());
    Value wb = b.create<LinearOp>(loc, biasType, bias.getBias(), w);
    y = b.create<BiasAddOp>(loc, y, wb);
  }
  linear.getResult().replaceAllUsesWith(y);
  linear.erase();
}

struct FoldScales : normfuse::impl::NFFoldScalesBase<FoldScales> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<ScaleOp> scales;
    module.walk([&](ScaleOp op) { scales.push_back(op); });
    for (ScaleOp scale : scales) {
      ParamOp gamma = paramOf(scale.getGamma());
      if (!gamma || gamma.getGroup() != ParamGroup::Scale ||
          isFoldedWeight(scale))
        continue; // a computed vector, or a weight folded before
      std::optional<NormRole> role = gamma.getRole();
      if (!role) {
        gamma.emitOpError() << "scale vector @" << gamma.getSymName()
                            << " has no norm role: run nf-classify-norms "
                               "before nf-fold-scales";
        return signalPassFailure();
      }
      Operation *blocker = firstNonLinearConsumer(scale.getResult());
      if ((*role == NormRole::Input) == (blocker != nullptr)) {
        gamma.emitOpError() << "role <" << stringifyNormRole(*role) << "> of @"
                            << gamma.getSymName()
                            << " does not match the graph; rerun "
                               "nf-classify-norms";
        return signalPassFailure();
      }
      if (*role == NormRole::Output) {
        auto diag = strict ? scale.emitOpError() : scale.emitWarning();
        diag << "cannot fold Output-Norm scale vector @" << gamma.getSymName()
             << " into the weights: its output reaches '"
             << blocker->getName().getStringRef()
             << "', which is not a linear map, so folding would change "
                "the function";
        if (strict)
          return signalPassFailure();
        continue;
      }
      SmallVector<std::pair<LinearOp, BiasAddOp>> targets;
      for (Operation *user : scale->getUsers()) {
        if (auto linear = dyn_cast<LinearOp>(user)) {
          targets.push_back({linear, BiasAddOp()});
          continue;
        }
        auto bias = cast<BiasAddOp>(user); // checked: no other consumer
        for (Operation *next : bias->getUsers())
          targets.push_back({cast<LinearOp>(next), bias});
      }
      for (auto [linear, bias] : targets)
        foldInto(linear, scale, bias);
      for (Operation *user : llvm::make_early_inc_range(scale->getUsers()))
        if (user->use_empty())
          user->erase();
      if (scale->use_empty())
        scale.erase();
    }
  }
};

} // namespace
