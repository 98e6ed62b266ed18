//===- AssignOptimizer.cpp - the optimizer plan on every parameter
//----------===//
//
// docs/math.md#optimizer-assignment: Muon orthogonalizes updates
// of 2-D hidden matrices; embeddings, the LM head and all 0-D/1-D tensors
// (scale vectors, biases, DyT/Derf alpha and shift) stay on AdamW.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "llvm/ADT/SmallSet.h"

namespace normfuse {
#define GEN_PASS_DEF_NFASSIGNOPTIMIZER
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

struct AssignOptimizer
    : normfuse::impl::NFAssignOptimizerBase<AssignOptimizer> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    OptimizerKind kind = optimizer;
    llvm::SmallSet<ParamGroup, 3> muonTakes;
    if (muonGroups.empty())
      muonTakes.insert(ParamGroup::Matrix);
    for (const std::string &name : muonGroups) {
      std::optional<ParamGroup> group = symbolizeParamGroup(name);
      if (!group) {
        module.emitError() << "nf-assign-optimizer: unknown group '" << name
                           << "' in muon-groups";
        return signalPassFailure();
      }
      if (*group != ParamGroup::Matrix && *group != ParamGroup::Embedding &&
          *group != ParamGroup::Head) {
        module.emitError() << "nf-assign-optimizer: muon updates 2-D "
                              "matrices only, but group '"
                           << name << "' is not 2-D";
        return signalPassFailure();
      }
      muonTakes.insert(*group);
    }

    for (ParamOp param : module.getOps<ParamOp>()) {
      if (param.getGroup() == ParamGroup::State) {
        param.removeOptimizerAttr(); // not trained
        continue;
      }
      bool muon =
          kind == OptimizerKind::Muon && muonTakes.contains(param.getGroup());
      param.setOptimizerAttr(OptimizerKindAttr::get(
          &getContext(), muon ? OptimizerKind::Muon : OptimizerKind::AdamW));
    }
  }
};

} // namespace
