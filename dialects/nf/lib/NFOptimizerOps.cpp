//===- NFOptimizerOps.cpp - verifiers of the optimizer ops
//------------------===//
#include "nf/NFOps.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nf;

static std::string fmtNum(double v) {
  return llvm::formatv("{0}", llvm::format("%g", v)).str();
}

/// An attribute that must lie in [lo, hi) (hiOpen) or [lo, hi].
static LogicalResult checkRange(Operation *op, StringRef name, double v,
                                double lo, double hi, bool hiOpen) {
  if (std::isfinite(v) && v >= lo && (hiOpen ? v < hi : v <= hi))
    return success();
  return op->emitOpError() << "attribute '" << name << "' must be in ["
                           << fmtNum(lo) << ", "
                           << (std::isinf(hi) ? "inf" : fmtNum(hi))
                           << (hiOpen ? ")" : "]") << ", but got " << fmtNum(v);
}

static LogicalResult checkMatrix(Operation *op, Value v, StringRef what) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() == 2)
    return success();
  return op->emitOpError() << what << " works on 2-D matrices, but got "
                           << type;
}

LogicalResult
UpdateParamOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto param =
      symbolTable.lookupNearestSymbolFrom<ParamOp>(*this, getNameAttr());
  if (!param)
    return emitOpError() << "'" << getNameAttr()
                         << "' does not name an nf.param in this module";
  if (param.getGroup() == ParamGroup::State)
    return emitOpError() << getNameAttr()
                         << " is a 'state' tensor: use nf.assign_state";
  if (param.getType() != getValue().getType())
    return emitOpError() << "value type " << getValue().getType()
                         << " does not match parameter " << getNameAttr()
                         << " of type " << param.getType();
  return success();
}

LogicalResult LRFactorOp::verify() {
  int64_t warmup = getWarmup(), total = getTotal(), decay = getDecay();
  if (total <= 0)
    return emitOpError() << "total must be > 0, but got " << total;
  if (warmup < 0 || decay < 0 || warmup + decay > total)
    return emitOpError() << "warmup (" << warmup << ") and decay (" << decay
                         << ") must be >= 0 and fit in total (" << total << ")";
  return checkRange(*this, "min_ratio", getMinRatio().convertToDouble(), 0.0,
                    1.0, false);
}

LogicalResult MuonOp::verify() {
  if (failed(checkMatrix(*this, getParam(), "muon")) ||
      failed(checkRange(*this, "momentum", getMomentum().convertToDouble(), 0.0,
                        1.0, true)) ||
      failed(checkRange(*this, "weight_decay",
                        getWeightDecay().convertToDouble(), 0.0, INFINITY,
                        true)))
    return failure();
  if (getNsSteps() < 1)
    return emitOpError() << "ns_steps must be >= 1, but got " << getNsSteps();
  return success();
}

LogicalResult NewtonSchulzOp::verify() {
  if (failed(checkMatrix(*this, getInput(), "newton_schulz")))
    return failure();
  if (getSteps() < 1)
    return emitOpError() << "steps must be >= 1, but got " << getSteps();
  return success();
}

LogicalResult AdamWMultiOp::verify() {
  size_t n = getGrads().size();
  if (n == 0)
    return emitOpError() << "updates no tensor";
  for (auto [what, size] :
       {std::pair<StringRef, size_t>{"params", getParams().size()},
        {"m", getM().size()},
        {"v", getV().size()},
        {"wd", getWeightDecays().size()}})
    if (size != n)
      return emitOpError() << "has " << n << " gradients but " << size
                           << " entries in '" << what << "'";
  if (failed(checkRange(*this, "beta1", getBeta1().convertToDouble(), 0, 1,
                        /*hiOpen=*/true)) ||
      failed(checkRange(*this, "beta2", getBeta2().convertToDouble(), 0, 1,
                        /*hiOpen=*/true)) ||
      failed(checkRange(*this, "eps", getEps().convertToDouble(), 0, INFINITY,
                        /*hiOpen=*/false)))
    return failure();
  for (auto [i, wd] : llvm::enumerate(getWeightDecays()))
    if (!std::isfinite(wd) || wd < 0)
      return emitOpError() << "weight decay #" << i << " (of " << getParams()[i]
                           << ") must be finite and >= 0, but got "
                           << fmtNum(wd);
  return success();
}

/// Every symbol names an nf.param of its gradient's type (`params` trained
/// ones, `m` and `v` state), and none appears twice: the update is in
/// place, so two entries on one tensor would race.
LogicalResult
AdamWMultiOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  llvm::SmallDenseMap<Attribute, StringRef> seen;
  for (auto [i, grad] : llvm::enumerate(getGrads())) {
    for (auto [list, what] :
         {std::pair<ArrayAttr, StringRef>{getParams(), "params"},
          {getM(), "m"},
          {getV(), "v"}}) {
      auto name = cast<FlatSymbolRefAttr>(list[i]);
      auto param = symbolTable.lookupNearestSymbolFrom<ParamOp>(*this, name);
      if (!param)
        return emitOpError() << "'" << name << "' (" << what << " #" << i
                             << ") does not name an nf.param in this module";
      bool state = param.getGroup() == ParamGroup::State;
      if (state != (what != "params"))
        return emitOpError()
               << name << " (" << what << " #" << i << ") "
               << (state ? "is a 'state' tensor, not a trained parameter"
                         : "is a trained parameter, not a 'state' tensor");
      if (param.getType() != grad.getType())
        return emitOpError()
               << "gradient #" << i << " of type " << grad.getType()
               << " does not match " << name << " of type " << param.getType();
      auto [it, fresh] = seen.try_emplace(name, what);
      if (!fresh)
        return emitOpError()
               << name << " appears twice (in '" << it->second << "' and '"
               << what << "'): the update is in place";
    }
  }
  return success();
}
