//===- DropScales.cpp - the ablation that removes scale vectors
//-------------===//
//
// arXiv 2605.26895, section 2.1 ("Necessity"): removing scale vectors
// clearly hurts pre-training. This changes the function on purpose; the
// count of removed vectors is reported as a remark.
//
//===----------------------------------------------------------------------===//
#include "ParamUtils.h"
#include "normfuse/Transforms/Passes.h"

namespace normfuse {
#define GEN_PASS_DEF_NFDROPSCALES
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;

namespace {

struct DropScales : normfuse::impl::NFDropScalesBase<DropScales> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<NormRole> only;
    if (which == ScaleSelection::Input)
      only = NormRole::Input;
    else if (which == ScaleSelection::Output)
      only = NormRole::Output;
    StringRef whichName = only ? stringifyNormRole(*only) : "all";

    SmallVector<ScaleOp> scales;
    module.walk([&](ScaleOp op) { scales.push_back(op); });
    llvm::SetVector<StringAttr> dropped;
    for (ScaleOp scale : scales) {
      ParamOp gamma = paramOf(scale.getGamma());
      if (!gamma || gamma.getGroup() != ParamGroup::Scale)
        continue;
      if (only) {
        std::optional<NormRole> role = gamma.getRole();
        if (!role) {
          gamma.emitOpError() << "scale vector @" << gamma.getSymName()
                              << " has no norm role: run nf-classify-norms "
                                 "before nf-drop-scales{which="
                              << whichName << "}";
          return signalPassFailure();
        }
        if (*role != *only)
          continue;
      }
      scale.getResult().replaceAllUsesWith(scale.getInput());
      Value g = scale.getGamma();
      scale.erase();
      if (g.use_empty())
        g.getDefiningOp()->erase();
      dropped.insert(gamma.getSymNameAttr());
    }
    eraseUnreadParams(module, dropped.getArrayRef());
    // Reported at the module's location, without dumping the module.
    emitRemark(module.getLoc()) << "nf-drop-scales: removed " << dropped.size()
                                << " scale vectors (which=" << whichName << ")";
  }
};

} // namespace
