//===- WeightDecayGroups.cpp - weight decay per parameter group
//-------------===//
//
// Defaults: arXiv 2605.26895 (decay helps Input-Norm scale vectors and hurts
// Output-Norm ones) and nanoGPT's convention (2-D tensors decay, 0-D/1-D
// gains, biases and scalars do not). docs/math.md#weight-decay-groups.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include <cmath>

namespace normfuse {
#define GEN_PASS_DEF_NFWEIGHTDECAYGROUPS
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

struct WeightDecayGroups
    : normfuse::impl::NFWeightDecayGroupsBase<WeightDecayGroups> {
  using Base::Base;

  /// Whether the options make parameters of this group (and role) decay.
  bool decays(ParamGroup group, NormRole role) const {
    switch (group) {
    case ParamGroup::Matrix:
      return decayMatrix;
    case ParamGroup::Embedding:
      return decayEmbedding;
    case ParamGroup::Head:
      return decayHead;
    case ParamGroup::Scale:
      return role == NormRole::Input ? decayInputNorm : decayOutputNorm;
    case ParamGroup::Bias:
      return decayBias;
    case ParamGroup::Scalar:
      return decayScalar;
    case ParamGroup::Magnitude:
      return decayMagnitude;
    case ParamGroup::Direction:
      return decayDirection;
    case ParamGroup::State:
      return false;
    }
    llvm_unreachable("unknown parameter group");
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!std::isfinite(weightDecay) || weightDecay < 0.0) {
      module.emitError() << "nf-weight-decay-groups: option weight-decay must "
                            "be finite and >= 0, got "
                         << weightDecay;
      return signalPassFailure();
    }
    for (ParamOp param : module.getOps<ParamOp>()) {
      ParamGroup group = param.getGroup();
      if (group == ParamGroup::State) {
        param.removeWeightDecayAttr(); // not trained
        continue;
      }
      std::optional<NormRole> role = param.getRole();
      if (group == ParamGroup::Scale && !role) {
        param.emitOpError() << "scale vector @" << param.getSymName()
                            << " has no norm role: run nf-classify-norms "
                               "first";
        return signalPassFailure();
      }
      double wd =
          decays(group, role.value_or(NormRole::Input)) ? weightDecay : 0.0;
      param.setWeightDecayAttr(
          FloatAttr::get(Float64Type::get(&getContext()), wd));
    }
  }
};

} // namespace
