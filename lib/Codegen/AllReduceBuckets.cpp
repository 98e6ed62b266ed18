//===- AllReduceBuckets.cpp - when each gradient bucket is final ----------===//
#include "normfuse/Codegen/AllReduceBuckets.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace normfuse;

int64_t BucketPlan::count() const {
  int64_t n = int64_t(atEnd.size());
  for (auto &entry : after)
    n += int64_t(entry.second.size());
  return n;
}

namespace {

struct Slot {
  std::string name;
  int64_t begin, floats;
  Operation *finalAfter = nullptr; // null: at the return
  bool ready = false, reduced = false;
};

/// The runs of consecutive ready, not yet reduced slots of at least
/// `minBytes` (every run when 0), marked reduced.
SmallVector<GradientBucket> takeRuns(std::vector<Slot> &slots,
                                     int64_t minBytes) {
  SmallVector<GradientBucket> out;
  for (size_t i = 0; i < slots.size();) {
    if (!slots[i].ready || slots[i].reduced) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < slots.size() && slots[j].ready && !slots[j].reduced)
      ++j;
    int64_t floats = slots[j - 1].begin + slots[j - 1].floats - slots[i].begin;
    if (floats * 4 >= minBytes) {
      out.push_back({slots[i].begin, floats, slots[i].name, slots[j - 1].name,
                     int64_t(j - i)});
      for (size_t k = i; k < j; ++k)
        slots[k].reduced = true;
    }
    i = j;
  }
  return out;
}

} // namespace

BucketPlan normfuse::planAllReduceBuckets(func::FuncOp fn,
                                          const emit::ParamTable &table,
                                          const DenseMap<Value, int64_t> &inG,
                                          int64_t bucketBytes) {
  Block &block = fn.getBody().front();
  auto ret = cast<func::ReturnOp>(block.getTerminator());
  // The trained parameters in G order, and where each gradient is final.
  std::vector<Slot> slots;
  llvm::StringMap<size_t> slotOf;
  for (nf::ParamOp p : table.params) {
    const emit::ParamLayout &l = table.layout.lookup(p.getSymName());
    if (l.gradOffset < 0)
      continue;
    slots.push_back({p.getSymName().str(), l.gradOffset,
                     cast<RankedTensorType>(p.getType()).getNumElements()});
  }
  llvm::sort(slots,
             [](const Slot &a, const Slot &b) { return a.begin < b.begin; });
  for (auto [i, s] : llvm::enumerate(slots))
    slotOf[s.name] = i;
  for (unsigned i = 1; i < ret.getNumOperands(); ++i) {
    Value v = ret.getOperand(i);
    auto of = fn.getResultAttrOfType<StringAttr>(i, "nf.grad_of");
    if (!of || !inG.count(v) || !slotOf.count(of.getValue()))
      continue;
    // The latest op that writes or reads the gradient, but the return.
    Operation *last = v.getDefiningOp();
    for (Operation *user : v.getUsers())
      if (user != ret && last->isBeforeInBlock(user))
        last = user;
    slots[slotOf.lookup(of.getValue())].finalAfter = last;
  }
  DenseMap<Operation *, SmallVector<size_t>> finalHere;
  for (auto [i, s] : llvm::enumerate(slots))
    if (s.finalAfter)
      finalHere[s.finalAfter].push_back(i);

  BucketPlan plan;
  for (Operation &op : block) {
    auto it = finalHere.find(&op);
    if (it == finalHere.end())
      continue;
    for (size_t i : it->second)
      slots[i].ready = true;
    SmallVector<GradientBucket> runs = takeRuns(slots, bucketBytes);
    if (!runs.empty())
      plan.after[&op] =
          SmallVector<GradientBucket, 1>(runs.begin(), runs.end());
  }
  for (Slot &s : slots)
    s.ready = true;
  plan.atEnd = takeRuns(slots, 0);
  return plan;
}
