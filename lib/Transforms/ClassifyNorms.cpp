//===- ClassifyNorms.cpp - Input-Norm / Output-Norm scale vectors
//-----------===//
//
// docs/math.md#input-norm-and-output-norm: a scale vector is Input-Norm when
// every consumer of gamma * x is a linear map (possibly through the norm's own
// bias add), because then gamma folds into the weights (FlashNorm,
// arXiv 2407.09577): W (gamma * x + beta) = (W diag gamma) x + W beta.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "llvm/ADT/StringMap.h"

namespace normfuse {
#define GEN_PASS_DEF_NFCLASSIFYNORMS
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

/// True when every user of `v` is a linear map taking it as its input,
/// looking through bias adds (whose beta folds into a bias of the map).
bool feedsOnlyLinearMaps(Value v) {
  if (v.use_empty())
    return false;
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    if (isa<LinearOp>(user) && use.getOperandNumber() == 0)
      continue;
    if (auto bias = dyn_cast<BiasAddOp>(user))
      if (use.getOperandNumber() == 0 && feedsOnlyLinearMaps(bias.getResult()))
        continue;
    return false;
  }
  return true;
}

struct ClassifyNorms : normfuse::impl::NFClassifyNormsBase<ClassifyNorms> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // Scale parameter -> whether every use so far could be folded.
    llvm::StringMap<bool> foldable;
    module.walk([&](GetParamOp get) {
      auto param = symbols.lookup<ParamOp>(get.getName());
      if (!param || param.getGroup() != ParamGroup::Scale)
        return;
      bool &all = foldable.try_emplace(param.getSymName(), true).first->second;
      for (OpOperand &use : get->getUses()) {
        auto scale = dyn_cast<ScaleOp>(use.getOwner());
        // gamma used as anything but nf.scale's gamma cannot be folded.
        if (!scale || use.getOperandNumber() != 1 ||
            !feedsOnlyLinearMaps(scale.getResult()))
          all = false;
      }
    });

    for (ParamOp param : module.getOps<ParamOp>()) {
      if (param.getGroup() != ParamGroup::Scale)
        continue;
      auto it = foldable.find(param.getSymName());
      if (it == foldable.end()) {
        // Nothing reads it: nothing could fold it either. Output-Norm is the
        // conservative role (no weight decay by default).
        param.emitWarning() << "scale vector @" << param.getSymName()
                            << " is never read; classified as output";
      }
      bool input = it != foldable.end() && it->second;
      param.setRoleAttr(NormRoleAttr::get(
          &getContext(), input ? NormRole::Input : NormRole::Output));
    }
  }
};

} // namespace
