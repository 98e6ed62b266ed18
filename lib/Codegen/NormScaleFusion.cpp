//===- NormScaleFusion.cpp - norm + scale vector kernels, fused -----------===//
//
// A norm is fused when its result feeds exactly one nf.scale (the
// forward) and otherwise only nf.scale_grad ops (the backward's dgamma),
// each of whose input gradient goes only to the matching norm grad op on
// the same input. Anything else (branch scales sharing one norm, a
// normalized tensor read elsewhere) keeps the separate kernels.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Codegen/NormScaleFusion.h"

#include "nf/NFOps.h"

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;

namespace {

/// The norm grad op `sg`'s input gradient flows into, when it is the
/// matching grad of `norm` (same kind, input and eps) and its only user.
Operation *matchingNormGrad(Operation *norm, ScaleGradOp sg) {
  Value dxhat = sg.getInputGrad();
  if (!dxhat.hasOneUse())
    return nullptr;
  Operation *user = *dxhat.getUsers().begin();
  if (auto rms = dyn_cast<RMSNormOp>(norm)) {
    auto g = dyn_cast<RMSNormGradOp>(user);
    if (g && g.getInput() == rms.getInput() && g.getGrad() == dxhat &&
        g.getEps() == rms.getEps())
      return g;
    return nullptr;
  }
  auto ln = cast<LayerNormOp>(norm);
  auto g = dyn_cast<LayerNormGradOp>(user);
  if (g && g.getInput() == ln.getInput() && g.getGrad() == dxhat &&
      g.getEps() == ln.getEps())
    return g;
  return nullptr;
}

} // namespace

NormScaleFusion normfuse::planNormScaleFusion(func::FuncOp fn) {
  NormScaleFusion plan;
  Block &block = fn.getBody().front();
  DenseMap<Operation *, int64_t> index;
  int64_t n = 0;
  for (Operation &op : block)
    index[&op] = n++;

  for (Operation &norm : block) {
    if (!isa<RMSNormOp, LayerNormOp>(norm))
      continue;
    Value xhat = norm.getResult(0);
    Operation *scale = nullptr;
    SmallVector<std::pair<ScaleGradOp, Operation *>> grads;
    bool fusable = true;
    for (Operation *user : xhat.getUsers()) {
      if (auto s = dyn_cast<ScaleOp>(user); s && s.getInput() == xhat) {
        fusable &= scale == nullptr || scale == user;
        scale = user;
        continue;
      }
      auto sg = dyn_cast<ScaleGradOp>(user);
      Operation *normGrad =
          sg && sg.getInput() == xhat ? matchingNormGrad(&norm, sg) : nullptr;
      // dgamma is written when the fused backward runs (at the norm grad):
      // nothing may read it in between.
      if (normGrad)
        for (Operation *reader : sg.getGammaGrad().getUsers())
          fusable &= index[reader] > index[normGrad];
      fusable &= normGrad != nullptr;
      if (normGrad)
        grads.push_back({sg, normGrad});
    }
    if (!fusable || !scale)
      continue;
    plan.forwardAt[scale] = &norm;
    plan.folded.insert(&norm);
    plan.unmaterialized.insert(xhat);
    for (auto [sg, normGrad] : grads) {
      plan.backwardAt[normGrad] = sg;
      plan.folded.insert(sg);
      plan.unmaterialized.insert(sg.getInputGrad());
      // The fused backward reads the scale_grad's operands at the norm
      // grad's position.
      for (Value v : {sg.getGamma(), sg.getGrad()})
        plan.extendedUse[v] =
            std::max(plan.extendedUse.lookup(v), index[normGrad]);
    }
    if (!grads.empty())
      plan.withStatistics.push_back(&norm);
  }
  return plan;
}
