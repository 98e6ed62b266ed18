//===- Autodiff.cpp - reverse mode over nf ops
//------------------------------===//
//
// A single reverse sweep over the (straight-line) forward function: every
// value's cotangent is the sum of what its users' VJPs give it; parameters
// collect the cotangents of all their nf.get_param reads.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringMap.h"

namespace normfuse {
#define GEN_PASS_DEF_NFAUTODIFF
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

constexpr llvm::StringLiteral kTrainStep = "train_step";

/// Adds `v` into `slot` (null means zero so far).
void accumulate(OpBuilder &b, Location loc, Value &slot, Value v) {
  slot = slot ? b.create<AddOp>(loc, slot, v).getResult() : v;
}

struct Autodiff : normfuse::impl::NFAutodiffBase<Autodiff> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto forward = module.lookupSymbol<func::FuncOp>(function);
    if (!forward) {
      module.emitError() << "nf-autodiff: no function @" << function
                         << " to differentiate";
      return signalPassFailure();
    }
    if (!forward.getBody().hasOneBlock() ||
        forward.getFunctionType().getNumResults() != 1 ||
        !isa<RankedTensorType>(forward.getFunctionType().getResult(0)) ||
        cast<RankedTensorType>(forward.getFunctionType().getResult(0))
                .getRank() != 0) {
      forward.emitOpError() << "nf-autodiff differentiates a single-block "
                               "function returning one 0-D loss";
      return signalPassFailure();
    }
    if (auto old = module.lookupSymbol<func::FuncOp>(kTrainStep))
      old.erase();

    // The train step starts as a copy of the forward function.
    auto step = cast<func::FuncOp>(forward->clone());
    step.setSymName(kTrainStep);
    module.push_back(step);
    Block &body = step.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    Value loss = ret.getOperand(0);
    OpBuilder b(ret);
    Location loc = ret.getLoc();

    DenseMap<Value, Value> grads;
    grads[loss] = b.create<FillOp>(loc, loss.getType(), b.getF64FloatAttr(1.0));
    llvm::StringMap<Value> paramGrads;
    SmallVector<Operation *> ops;
    for (Operation &op : body.without_terminator())
      ops.push_back(&op);
    for (Operation *op : llvm::reverse(ops)) {
      if (auto get = dyn_cast<GetParamOp>(op)) {
        if (Value g = grads.lookup(get.getResult()))
          accumulate(b, loc, paramGrads[get.getName()], g);
        continue;
      }
      auto vjp = dyn_cast<VJPOpInterface>(op);
      if (!vjp)
        continue; // nf.assign_state, nf.fill: nothing flows back
      SmallVector<Value> resultGrads;
      for (Value r : op->getResults())
        resultGrads.push_back(grads.lookup(r));
      if (llvm::all_of(resultGrads, [](Value g) { return !g; }))
        continue;
      b.setInsertionPoint(ret);
      SmallVector<Value> operandGrads;
      if (failed(vjp.buildVJP(b, resultGrads, operandGrads)))
        return signalPassFailure();
      if (operandGrads.size() != op->getNumOperands()) {
        op->emitOpError() << "reverse-mode rule gave " << operandGrads.size()
                          << " cotangents for " << op->getNumOperands()
                          << " operands";
        return signalPassFailure();
      }
      for (auto [i, operand] : llvm::enumerate(op->getOperands()))
        if (operandGrads[i] && vjp.isDifferentiableOperand(i))
          accumulate(b, loc, grads[operand], operandGrads[i]);
    }

    // One gradient per trained parameter, in declaration order.
    SmallVector<Value> results{loss};
    SmallVector<StringRef> names;
    b.setInsertionPoint(ret);
    for (ParamOp param : module.getOps<ParamOp>()) {
      if (param.getGroup() == ParamGroup::State)
        continue;
      Value g = paramGrads.lookup(param.getSymName());
      if (!g)
        g = b.create<FillOp>(loc, param.getType(), b.getF64FloatAttr(0.0));
      results.push_back(g);
      names.push_back(param.getSymName());
    }
    ret->setOperands(results);
    step.setFunctionType(b.getFunctionType(step.getArgumentTypes(),
                                           ValueRange(results).getTypes()));
    step.setResultAttr(0, "nf.name", b.getStringAttr("loss"));
    for (auto [i, name] : llvm::enumerate(names))
      step.setResultAttr(i + 1, "nf.grad_of", b.getStringAttr(name));
  }
};

} // namespace
