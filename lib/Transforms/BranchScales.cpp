//===- BranchScales.cpp - one scale vector per consuming linear map
//---------===//
//
// Branch-specific heterogeneity, docs/math.md#branch-heterogeneity. Each
// branch's copy is `derived_from` the shared vector: loading parameters saved
// before the rewrite gives every copy the shared value, so the function is
// exactly the same at the point of rewriting.
//
//===----------------------------------------------------------------------===//
#include "ParamUtils.h"
#include "normfuse/Transforms/Passes.h"

namespace normfuse {
#define GEN_PASS_DEF_NFBRANCHSCALES
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;

namespace {

/// A norm's affine tail: gamma * x, and optionally + beta right after it.
struct ScaleChain {
  ScaleOp scale;
  ParamOp gamma;
  BiasAddOp bias; // null when the norm has no bias
  ParamOp beta;   // null when the norm has no bias
  Value end() { return bias ? bias.getResult() : scale.getResult(); }
};

std::optional<ScaleChain> matchChain(ScaleOp scale) {
  ScaleChain c{scale, paramOf(scale.getGamma()), {}, {}};
  if (!c.gamma || c.gamma.getGroup() != ParamGroup::Scale)
    return std::nullopt;
  if (scale->hasOneUse())
    if (auto bias = dyn_cast<BiasAddOp>(*scale->user_begin())) {
      c.beta = paramOf(bias.getBias());
      if (!c.beta)
        return std::nullopt;
      c.bias = bias;
    }
  return c;
}

/// The linear maps that take `v` as their input, in program order.
SmallVector<LinearOp> linearConsumers(Value v) {
  SmallVector<LinearOp> linears;
  for (OpOperand &use : v.getUses())
    if (auto linear = dyn_cast<LinearOp>(use.getOwner()))
      if (use.getOperandNumber() == 0)
        linears.push_back(linear);
  llvm::sort(linears,
             [](LinearOp a, LinearOp b) { return a->isBeforeInBlock(b); });
  return linears;
}

struct BranchScales : normfuse::impl::NFBranchScalesBase<BranchScales> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<ScaleOp> scales;
    module.walk([&](ScaleOp op) { scales.push_back(op); });
    SmallVector<StringAttr> retired;

    for (ScaleOp scale : scales) {
      std::optional<ScaleChain> chain = matchChain(scale);
      if (!chain)
        continue;
      SmallVector<LinearOp> linears = linearConsumers(chain->end());
      if (linears.size() < 2)
        continue; // already one vector per branch
      ParamOp gammaAnchor = chain->gamma, betaAnchor = chain->beta;
      for (auto [i, linear] : llvm::enumerate(linears)) {
        ParamOp weight = paramOf(linear.getWeight());
        std::string branch =
            weight ? shortName(weight).str() : "branch" + std::to_string(i);
        OpBuilder b(linear);
        Location loc = scale.getLoc();
        gammaAnchor = createParamAfter(
            gammaAnchor, (chain->gamma.getSymName() + "." + branch).str(),
            chain->gamma.getTensorType(), chain->gamma.getInit(),
            ParamGroup::Scale, chain->gamma.getSymName());
        Value v = b.create<ScaleOp>(loc, scale.getInput(),
                                    readParam(b, loc, gammaAnchor));
        if (chain->bias) {
          betaAnchor = createParamAfter(
              betaAnchor, (chain->beta.getSymName() + "." + branch).str(),
              chain->beta.getTensorType(), chain->beta.getInit(),
              ParamGroup::Bias, chain->beta.getSymName());
          v = b.create<BiasAddOp>(loc, v, readParam(b, loc, betaAnchor));
        }
        linear.getInputMutable().assign(v);
      }
      retired.push_back(chain->gamma.getSymNameAttr());
      if (chain->beta)
        retired.push_back(chain->beta.getSymNameAttr());
      // The shared chain may still feed non-linear consumers; else it dies.
      if (chain->bias && chain->bias->use_empty()) {
        Value beta = chain->bias.getBias();
        chain->bias.erase();
        if (beta.use_empty())
          beta.getDefiningOp()->erase();
      }
      if (scale->use_empty()) {
        Value gamma = scale.getGamma();
        scale.erase();
        if (gamma.use_empty())
          gamma.getDefiningOp()->erase();
      }
    }
    eraseUnreadParams(module, retired);
  }
};

} // namespace
