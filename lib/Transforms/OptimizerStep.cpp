//===- OptimizerStep.cpp - @optimizer_step from the optimizer plan
//----------===//
//
// AdamW as torch.optim.AdamW (docs/math.md#adamw), Muon as Keller Jordan's
// (docs/math.md#muon), global-norm clipping as
// torch.nn.utils.clip_grad_norm_, the learning rate as base * schedule.
//
//===----------------------------------------------------------------------===//
#include "ParamUtils.h"
#include "normfuse/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace normfuse {
#define GEN_PASS_DEF_NFOPTIMIZERSTEP
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;

namespace {

constexpr llvm::StringLiteral kStepFn = "optimizer_step";
constexpr llvm::StringLiteral kStepCounter = "optimizer.step";

/// The state parameter `name` (zeros, like `like`), created after `anchor`
/// unless it exists.
ParamOp stateParam(ModuleOp module, ParamOp anchor, StringRef name,
                   RankedTensorType type) {
  if (auto existing = module.lookupSymbol<ParamOp>(name))
    return existing;
  return createParamAfter(
      anchor, name, type,
      InitAttr::get(module.getContext(), InitKind::Zeros, llvm::APFloat(0.0)),
      ParamGroup::State);
}

struct OptimizerStep : normfuse::impl::NFOptimizerStepBase<OptimizerStep> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    ScheduleKind kind = schedule;
    MuonScale scale = muonScale;

    SmallVector<ParamOp> trained;
    for (ParamOp p : module.getOps<ParamOp>()) {
      if (p.getGroup() == ParamGroup::State)
        continue;
      if (!p.getOptimizer() || !p.getWeightDecay()) {
        p.emitOpError() << "@" << p.getSymName()
                        << " has no optimizer or weight_decay: run "
                           "nf-weight-decay-groups and nf-assign-optimizer "
                           "first";
        return signalPassFailure();
      }
      trained.push_back(p);
    }
    if (trained.empty()) {
      module.emitError() << "nf-optimizer-step: the module has no trained "
                            "parameters";
      return signalPassFailure();
    }
    if (auto old = module.lookupSymbol<func::FuncOp>(kStepFn))
      old.erase();

    MLIRContext *ctx = &getContext();
    auto f32 = RankedTensorType::get({}, Float32Type::get(ctx));
    ParamOp counter = stateParam(module, trained.back(), kStepCounter, f32);

    SmallVector<Type> gradTypes;
    for (ParamOp p : trained)
      gradTypes.push_back(p.getType());
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    Location loc = NameLoc::get(StringAttr::get(ctx, kStepFn));
    auto fn = b.create<func::FuncOp>(loc, kStepFn,
                                     b.getFunctionType(gradTypes, {f32, f32}));
    for (auto [i, p] : llvm::enumerate(trained))
      fn.setArgAttr(i, "nf.grad_of", p.getSymNameAttr());
    fn.setResultAttr(0, "nf.name", b.getStringAttr("grad_norm"));
    fn.setResultAttr(1, "nf.name", b.getStringAttr("lr"));
    b.setInsertionPointToStart(fn.addEntryBlock());
    auto constant = [&](double v) {
      return b.create<FillOp>(loc, f32, b.getF64FloatAttr(v)).getResult();
    };

    // t <- t + 1; the schedule is evaluated at the step being taken.
    Value t = b.create<AddOp>(loc, readParam(b, loc, counter), constant(1.0));
    b.create<AssignStateOp>(
        loc, FlatSymbolRefAttr::get(counter.getSymNameAttr()), t);
    Value factor = b.create<LRFactorOp>(
        loc, f32, t, ScheduleKindAttr::get(ctx, kind),
        b.getI64IntegerAttr(warmup), b.getI64IntegerAttr(total),
        b.getI64IntegerAttr(decay), b.getF64FloatAttr(minRatio));
    Value adamLr = b.create<MulOp>(loc, constant(lr), factor);
    Value muonLrValue = b.create<MulOp>(loc, constant(muonLr), factor);

    SmallVector<Value> grads(fn.getArguments());
    Value norm = b.create<GlobalNormOp>(loc, grads);
    // Clipping multiplies every gradient by the coefficient; the optimizer
    // ops take it as their grad_scale and apply it as they read the
    // gradient, instead of an nf.mul pass over every gradient first.
    Value coef;
    if (gradClip > 0.0)
      coef = b.create<ClipCoefOp>(loc, norm, b.getF64FloatAttr(gradClip));

    for (auto [p, g] : llvm::zip(trained, grads)) {
      Location ploc = p.getLoc();
      Value value = readParam(b, ploc, p);
      double wd = p.getWeightDecay()->convertToDouble();
      auto type = p.getTensorType();
      auto store = [&](ParamOp target, Value v) {
        if (target.getGroup() == ParamGroup::State)
          b.create<AssignStateOp>(
              ploc, FlatSymbolRefAttr::get(target.getSymNameAttr()), v);
        else
          b.create<UpdateParamOp>(
              ploc, FlatSymbolRefAttr::get(target.getSymNameAttr()), v);
      };
      if (*p.getOptimizer() == OptimizerKind::Muon) {
        ParamOp buf = stateParam(
            module, p, (p.getSymName() + ".muon_momentum").str(), type);
        auto step = b.create<MuonOp>(
            ploc, value, g, readParam(b, ploc, buf), muonLrValue, coef,
            b.getF64FloatAttr(muonMomentum), b.getBoolAttr(nesterov),
            b.getI64IntegerAttr(nsSteps), MuonScaleAttr::get(ctx, scale),
            b.getF64FloatAttr(wd));
        store(p, step.getNewParam());
        store(buf, step.getNewMomentumBuffer());
        continue;
      }
      ParamOp m =
          stateParam(module, p, (p.getSymName() + ".adamw_m").str(), type);
      ParamOp v =
          stateParam(module, m, (p.getSymName() + ".adamw_v").str(), type);
      // Read m before v: argument evaluation order is unspecified in C++.
      Value mValue = readParam(b, ploc, m);
      Value vValue = readParam(b, ploc, v);
      auto step =
          b.create<AdamWOp>(ploc, value, g, mValue, vValue, adamLr, t, coef,
                            b.getF64FloatAttr(beta1), b.getF64FloatAttr(beta2),
                            b.getF64FloatAttr(eps), b.getF64FloatAttr(wd));
      store(p, step.getNewParam());
      store(m, step.getNewM());
      store(v, step.getNewV());
    }
    b.create<func::ReturnOp>(loc, ValueRange{norm, adamLr});
  }
};

} // namespace
