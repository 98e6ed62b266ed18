//===- FuseAdamW.cpp - in-place AdamW updates as multi-tensor ops ---------===//
//
// nf-optimizer-step writes one nf.adamw per parameter: read the parameter
// and both moments, compute, store the three results back. Run one at a
// time, a model's many small tensors (scale vectors, biases) each pay for
// a parallel region or a kernel launch of their own. nf.adamw_multi updates
// every parameter that shares lr, step, clip coefficient, betas and eps in
// place, in one multi-tensor call (PyTorch's fused/foreach AdamW, llm.c's
// one AdamW kernel over all parameters); the per-element math is the same.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

namespace normfuse {
#define GEN_PASS_DEF_NFFUSEADAMW
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

/// One nf.adamw that can run in place: its parameter and moments come
/// from nf.get_param ops that it alone reads, and its three results go
/// straight back into the same tensors.
struct InPlaceAdamW {
  AdamWOp op;
  SmallVector<Operation *, 6> reads, stores;
  FlatSymbolRefAttr param, m, v;
};

/// How many ops of `fn` read or write each symbol.
llvm::StringMap<int> symbolTouches(func::FuncOp fn) {
  llvm::StringMap<int> touches;
  fn.walk([&](Operation *op) {
    if (auto get = dyn_cast<GetParamOp>(op))
      ++touches[get.getName()];
    else if (auto update = dyn_cast<UpdateParamOp>(op))
      ++touches[update.getName()];
    else if (auto assign = dyn_cast<AssignStateOp>(op))
      ++touches[assign.getName()];
  });
  return touches;
}

/// `a` as an in-place update, or nothing. Each of its three tensors must be
/// read and written by `a`'s own get_param and store alone in the
/// function, so moving the update to a later point (the group's last
/// member) reads and writes the same values.
std::optional<InPlaceAdamW> asInPlace(AdamWOp a,
                                      const llvm::StringMap<int> &touches) {
  InPlaceAdamW u{a, {}, {}, {}, {}, {}};
  for (auto [in, out, sym] : {std::tuple<Value, Value, FlatSymbolRefAttr *>{
                                  a.getParam(), a.getNewParam(), &u.param},
                              {a.getM(), a.getNewM(), &u.m},
                              {a.getV(), a.getNewV(), &u.v}}) {
    auto get = in.getDefiningOp<GetParamOp>();
    if (!get || !in.hasOneUse() || !out.hasOneUse())
      return std::nullopt;
    Operation *store = *out.getUsers().begin();
    auto update = dyn_cast<UpdateParamOp>(store);
    auto assign = dyn_cast<AssignStateOp>(store);
    StringRef stored = update   ? update.getName()
                       : assign ? assign.getName()
                                : StringRef();
    // Parameters go back with update_param, moments with assign_state.
    bool rightStore = sym == &u.param ? bool(update) : bool(assign);
    if (!rightStore || stored != get.getName() ||
        touches.lookup(get.getName()) != 2)
      return std::nullopt;
    *sym = get.getNameAttr();
    u.reads.push_back(get);
    u.stores.push_back(store);
  }
  if (u.param == u.m || u.param == u.v || u.m == u.v)
    return std::nullopt;
  return u;
}

/// Members of one multi-tensor update share every operand but the tensors
/// and every attribute but the weight decay (and sit in one block, so the
/// last member's place follows every member's operands).
bool sameUpdate(AdamWOp a, AdamWOp b) {
  return a->getBlock() == b->getBlock() && a.getLr() == b.getLr() &&
         a.getStep() == b.getStep() && a.getGradScale() == b.getGradScale() &&
         a.getBeta1() == b.getBeta1() && a.getBeta2() == b.getBeta2() &&
         a.getEps() == b.getEps();
}

/// One nf.adamw_multi for `group` at the last member's place (every
/// member's gradient and scalars exist there), then the members, their
/// reads and their stores erased.
void fuseGroup(MutableArrayRef<InPlaceAdamW> group) {
  AdamWOp last = group.back().op, first = group.front().op;
  OpBuilder b(last);
  SmallVector<Attribute> params, m, v;
  SmallVector<Value> grads;
  SmallVector<double> wd;
  SmallVector<Location> locs;
  for (InPlaceAdamW &u : group) {
    params.push_back(u.param);
    m.push_back(u.m);
    v.push_back(u.v);
    grads.push_back(u.op.getGrad());
    wd.push_back(u.op.getWeightDecay().convertToDouble());
    locs.push_back(u.op.getLoc());
  }
  b.create<AdamWMultiOp>(b.getFusedLoc(locs), b.getArrayAttr(params), grads,
                         b.getArrayAttr(m), b.getArrayAttr(v), first.getLr(),
                         first.getStep(), first.getGradScale(),
                         first.getBeta1Attr(), first.getBeta2Attr(),
                         first.getEpsAttr(), b.getDenseF64ArrayAttr(wd));
  for (InPlaceAdamW &u : group) {
    for (Operation *store : u.stores)
      store->erase();
    u.op->erase();
    for (Operation *read : u.reads)
      read->erase();
  }
}

struct FuseAdamW : normfuse::impl::NFFuseAdamWBase<FuseAdamW> {
  void runOnOperation() override {
    getOperation().walk([](func::FuncOp fn) {
      llvm::StringMap<int> touches = symbolTouches(fn);
      SmallVector<SmallVector<InPlaceAdamW>> groups;
      fn.walk([&](AdamWOp a) {
        std::optional<InPlaceAdamW> u = asInPlace(a, touches);
        if (!u)
          return;
        for (auto &g : groups)
          if (sameUpdate(g.front().op, a)) {
            g.push_back(*u);
            return;
          }
        groups.push_back({*u});
      });
      for (auto &g : groups)
        fuseGroup(g);
    });
  }
};

} // namespace
