//===- ParamDecls.cpp - nf.param symbols as interpreter declarations ------===//
#include "normfuse/Interpreter/Interpreter.h"

#include "nf/NFOps.h"

using namespace normfuse::interp;
namespace nf = mlir::nf;

static InitKind initKindOf(nf::InitKind kind) {
  switch (kind) {
  case nf::InitKind::Normal:
    return InitKind::Normal;
  case nf::InitKind::Ones:
    return InitKind::Ones;
  case nf::InitKind::Zeros:
    return InitKind::Zeros;
  case nf::InitKind::Constant:
    return InitKind::Constant;
  }
  llvm_unreachable("unknown nf::InitKind");
}

static ParamGroup groupOf(nf::ParamGroup group) {
  switch (group) {
  case nf::ParamGroup::Matrix:
    return ParamGroup::Matrix;
  case nf::ParamGroup::Embedding:
    return ParamGroup::Embedding;
  case nf::ParamGroup::Head:
    return ParamGroup::Head;
  case nf::ParamGroup::Scale:
    return ParamGroup::Scale;
  case nf::ParamGroup::Bias:
    return ParamGroup::Bias;
  case nf::ParamGroup::Scalar:
    return ParamGroup::Scalar;
  case nf::ParamGroup::State:
    return ParamGroup::State;
  case nf::ParamGroup::Magnitude:
    return ParamGroup::Magnitude;
  case nf::ParamGroup::Direction:
    return ParamGroup::Direction;
  }
  llvm_unreachable("unknown nf::ParamGroup");
}

std::vector<ParamDecl> normfuse::interp::paramDecls(mlir::ModuleOp module) {
  std::vector<ParamDecl> decls;
  for (nf::ParamOp p : module.getOps<nf::ParamOp>()) {
    ParamDecl d;
    d.name = p.getSymName().str();
    llvm::ArrayRef<int64_t> shape = p.getTensorType().getShape();
    d.shape.assign(shape.begin(), shape.end());
    d.init = initKindOf(p.getInit().getKind());
    d.initValue = p.getInit().getValue().convertToDouble();
    d.group = groupOf(p.getGroup());
    if (std::optional<llvm::StringRef> from = p.getDerivedFrom())
      d.derivedFrom = from->str();
    decls.push_back(std::move(d));
  }
  return decls;
}
