//===- ScalePlacement.cpp - scale vectors around linear maps
//----------------===//
//
// docs/math.md#scale-placement (arXiv 2605.26895, "better placement"):
// W_eff = diag(g_out) W diag(g_in) preconditions W's rows and columns.
// Output scale vectors start at ones, named after their weight
// (`<W>.out_scale`), which is also how a second run recognises them.
//
//===----------------------------------------------------------------------===//
#include "ParamUtils.h"
#include "normfuse/Transforms/Passes.h"

namespace normfuse {
#define GEN_PASS_DEF_NFSCALEPLACEMENT
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;

namespace {

/// Whether `linear` already has its output scale vector.
bool hasOutputScale(LinearOp linear, ParamOp weight) {
  if (!linear->hasOneUse())
    return false;
  auto scale = dyn_cast<ScaleOp>(*linear->user_begin());
  ParamOp gamma = scale ? paramOf(scale.getGamma()) : ParamOp();
  return gamma &&
         gamma.getSymName() == (weight.getSymName() + ".out_scale").str();
}

struct ScalePlacement : normfuse::impl::NFScalePlacementBase<ScalePlacement> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (mode == ScalePlacementMode::In)
      return; // the standard placement: nothing to do

    SmallVector<LinearOp> linears;
    module.walk([&](LinearOp op) { linears.push_back(op); });
    SmallVector<StringAttr> retired;
    for (LinearOp linear : linears) {
      auto inScale = linear.getInput().getDefiningOp<ScaleOp>();
      ParamOp gamma = inScale ? paramOf(inScale.getGamma()) : ParamOp();
      ParamOp weight = paramOf(linear.getWeight());
      if (!gamma || gamma.getGroup() != ParamGroup::Scale || !weight ||
          hasOutputScale(linear, weight))
        continue;

      auto outType = cast<RankedTensorType>(linear.getType());
      ParamOp gammaOut = createParamAfter(
          weight, (weight.getSymName() + ".out_scale").str(),
          RankedTensorType::get({outType.getShape().back()},
                                outType.getElementType()),
          InitAttr::get(&getContext(), InitKind::Ones, llvm::APFloat(1.0)),
          ParamGroup::Scale);
      OpBuilder b(linear->getContext());
      b.setInsertionPointAfter(linear);
      Location loc = linear.getLoc();
      auto out = b.create<ScaleOp>(loc, linear.getResult(),
                                   readParam(b, loc, gammaOut));
      linear.getResult().replaceAllUsesExcept(out.getResult(), out);

      if (mode == ScalePlacementMode::Out) {
        // The input-side vector moves to the output side.
        linear.getInputMutable().assign(inScale.getInput());
        retired.push_back(gamma.getSymNameAttr());
        if (inScale->use_empty()) {
          Value g = inScale.getGamma();
          inScale.erase();
          if (g.use_empty())
            g.getDefiningOp()->erase();
        }
      }
    }
    eraseUnreadParams(module, retired);
  }
};

} // namespace
