//===- MDReparam.cpp - magnitude-direction reparameterization
//---------------===//
//
// docs/math.md#md-reparameterization: gamma = g * v / rms(v), WeightNorm style
// (Salimans & Kingma, arXiv 1602.07868). rms(v) is nf.rmsnorm with eps 0 on
// the 1-D direction. At the rewrite v = gamma0 (derived_from gamma) and
// g = rms(gamma0), so gamma is unchanged.
//
//===----------------------------------------------------------------------===//
#include "ParamUtils.h"
#include "normfuse/Transforms/Passes.h"

#include <cmath>

namespace normfuse {
#define GEN_PASS_DEF_NFMDREPARAM
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;

namespace {

struct MDReparam : normfuse::impl::NFMDReparamBase<MDReparam> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<ParamOp> gammas;
    for (ParamOp param : module.getOps<ParamOp>())
      if (param.getGroup() == ParamGroup::Scale)
        gammas.push_back(param);

    SmallVector<StringAttr> retired;
    for (ParamOp gamma : gammas) {
      InitAttr init = gamma.getInit();
      // A constant vector c has rms |c|; other inits have no known rms.
      if (init.getKind() != InitKind::Ones &&
          init.getKind() != InitKind::Constant) {
        gamma.emitOpError()
            << "cannot reparameterize @" << gamma.getSymName()
            << ": its init must be ones or constant(c != 0), so that "
               "rms(gamma0) is known";
        return signalPassFailure();
      }
      double rms = std::fabs(init.getValue().convertToDouble());
      if (rms == 0.0) {
        gamma.emitOpError() << "cannot reparameterize @" << gamma.getSymName()
                            << ": a zero vector has no direction";
        return signalPassFailure();
      }
      RankedTensorType type = gamma.getTensorType();
      ParamOp direction = createParamAfter(
          gamma, (gamma.getSymName() + ".direction").str(), type, init,
          ParamGroup::Direction, gamma.getSymName());
      RankedTensorType magType =
          per == MagnitudeShape::Vector
              ? RankedTensorType::get({}, type.getElementType())
              : type;
      ParamOp magnitude = createParamAfter(
          direction, (gamma.getSymName() + ".magnitude").str(), magType,
          InitAttr::get(&getContext(), InitKind::Constant, llvm::APFloat(rms)),
          ParamGroup::Magnitude);

      // Every read of gamma becomes g * v / rms(v).
      SmallVector<GetParamOp> reads;
      module.walk([&](GetParamOp get) {
        if (get.getName() == gamma.getSymName())
          reads.push_back(get);
      });
      for (GetParamOp get : reads) {
        OpBuilder b(get);
        Location loc = get.getLoc();
        Value v = readParam(b, loc, direction);
        Value unit = b.create<RMSNormOp>(loc, v, b.getF64FloatAttr(0.0));
        Value g = b.create<MulOp>(loc, unit, readParam(b, loc, magnitude));
        get.getResult().replaceAllUsesWith(g);
        get.erase();
      }
      retired.push_back(gamma.getSymNameAttr());
    }
    eraseUnreadParams(module, retired);
  }
};

} // namespace
