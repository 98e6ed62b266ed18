//===- ParamUtils.cpp - creating and retiring nf.param symbols
//--------------===//
#include "ParamUtils.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace mlir::nf;

ParamOp normfuse::paramOf(Value v) {
  auto get = v ? v.getDefiningOp<GetParamOp>() : GetParamOp();
  if (!get)
    return {};
  return SymbolTable::lookupNearestSymbolFrom<ParamOp>(get, get.getNameAttr());
}

ParamOp normfuse::createParamAfter(ParamOp anchor, StringRef name,
                                   RankedTensorType type, InitAttr init,
                                   ParamGroup group, StringRef derivedFrom) {
  MLIRContext *ctx = anchor.getContext();
  auto module = anchor->getParentOfType<ModuleOp>();
  std::string unique = name.str();
  for (unsigned i = 1; SymbolTable::lookupSymbolIn(module, unique); ++i)
    unique = (name + "." + Twine(i)).str();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(anchor);
  return b.create<ParamOp>(
      NameLoc::get(StringAttr::get(ctx, unique)), StringAttr::get(ctx, unique),
      TypeAttr::get(type), init, ParamGroupAttr::get(ctx, group),
      NormRoleAttr(), FloatAttr(), OptimizerKindAttr(),
      derivedFrom.empty() ? StringAttr() : StringAttr::get(ctx, derivedFrom));
}

Value normfuse::readParam(OpBuilder &b, Location loc, ParamOp param) {
  return b.create<GetParamOp>(loc, param.getType(),
                              FlatSymbolRefAttr::get(param.getSymNameAttr()));
}

unsigned normfuse::eraseUnreadParams(ModuleOp module,
                                     ArrayRef<StringAttr> candidates) {
  llvm::DenseSet<StringAttr> wanted(candidates.begin(), candidates.end());
  llvm::DenseSet<StringAttr> read;
  module.walk([&](Operation *op) {
    if (auto get = dyn_cast<GetParamOp>(op))
      read.insert(get.getNameAttr().getAttr());
    else if (auto assign = dyn_cast<AssignStateOp>(op))
      read.insert(assign.getNameAttr().getAttr());
  });
  unsigned erased = 0;
  for (ParamOp param : llvm::make_early_inc_range(module.getOps<ParamOp>())) {
    if (!wanted.contains(param.getSymNameAttr()) ||
        read.contains(param.getSymNameAttr()))
      continue;
    param.erase();
    ++erased;
  }
  return erased;
}

StringRef normfuse::shortName(ParamOp param) {
  return param.getSymName().rsplit('.').second.empty()
             ? param.getSymName()
             : param.getSymName().rsplit('.').second;
}
