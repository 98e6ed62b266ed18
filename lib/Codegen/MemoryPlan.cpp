//===- MemoryPlan.cpp - static arena offsets for a function's tensors
//-------===//
//
// Linear scan over the straight-line block: a value is live from the op
// that defines it to its last use (through aliases); when it dies its
// range returns to the free list, and each new value takes the lowest
// free range that fits (first fit).
//
//===----------------------------------------------------------------------===//
#include "normfuse/Codegen/MemoryPlan.h"

#include "nf/NFOps.h"

#include <map>

using namespace mlir;
using namespace normfuse;

static constexpr int64_t kAlign = 64;

int64_t normfuse::tensorBytes(Type type) {
  auto t = cast<RankedTensorType>(type);
  int64_t bits = t.getElementTypeBitWidth();
  return (t.getNumElements() * bits + 7) / 8;
}

static int64_t alignUp(int64_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

MemoryPlan
normfuse::planMemory(func::FuncOp fn, const DenseSet<Value> &external,
                     const DenseSet<Value> &halfWidth,
                     const DenseMap<Value, Value> &inPlace,
                     const DenseMap<Value, int64_t> &storedElements) {
  MemoryPlan plan;
  Block &block = fn.getBody().front();
  DenseMap<Operation *, int64_t> index;
  int64_t i = 0;
  for (Operation &op : block)
    index[&op] = i++;

  // Aliases first, so that last uses are counted on the storage owner.
  for (Operation &op : block)
    if (isa<nf::SplitHeadsOp, nf::MergeHeadsOp>(op))
      plan.aliases[op.getResult(0)] = plan.root(op.getOperand(0));

  auto storageBytes = [&](Value v) {
    auto t = cast<RankedTensorType>(v.getType());
    auto stored = storedElements.find(v);
    int64_t elements =
        stored != storedElements.end() ? stored->second : t.getNumElements();
    int64_t bits = halfWidth.count(v) ? 16 : t.getElementTypeBitWidth();
    return (elements * bits + 7) / 8;
  };

  // Last uses, counted on the storage owner.
  DenseMap<Value, int64_t> lastUse;
  for (Operation &op : block)
    for (Value operand : op.getOperands())
      lastUse[plan.root(operand)] =
          std::max(lastUse.lookup(plan.root(operand)), index[&op]);

  // Values written in place over a source whose storage nothing reads
  // after the value's defining op (that op's own read is the last): the
  // value takes the source's storage, which then lives to the value's last
  // use. The source must own arena storage of the same size (not a
  // parameter, an argument or external), and the value must not be
  // external or a reshape.
  DenseSet<Value> inPlaceValues;
  for (auto [v, source] : inPlace) {
    Value root = plan.root(source);
    Operation *def = v.getDefiningOp(), *srcDef = root.getDefiningOp();
    if (!def || !srcDef || plan.aliases.count(v) || external.contains(v) ||
        external.contains(root) ||
        isa<nf::GetParamOp, nf::SplitHeadsOp, nf::MergeHeadsOp>(srcDef) ||
        storageBytes(v) != storageBytes(root) ||
        lastUse.lookup(root) > index[def])
      continue;
    plan.aliases[v] = root;
    // v's uses (and those of reshapes of v) now keep the root alive.
    for (auto &[alias, to] : plan.aliases)
      if (to == v)
        to = root;
    lastUse[root] = std::max(lastUse.lookup(root), lastUse.lookup(v));
    inPlaceValues.insert(v);
  }

  // Owners: results of ops other than parameter reads and reshapes, and
  // not written in place.
  SmallVector<Value> owners;
  for (Operation &op : block) {
    if (isa<nf::GetParamOp, nf::SplitHeadsOp, nf::MergeHeadsOp>(op))
      continue;
    for (Value r : op.getResults())
      if (!external.contains(r) && !inPlaceValues.contains(r))
        owners.push_back(r);
  }

  // Free ranges by offset -> size; the arena grows at the end.
  std::map<int64_t, int64_t> freeRanges;
  std::multimap<int64_t, std::pair<int64_t, int64_t>> dying; // when -> range
  int64_t end = 0;
  auto release = [&](int64_t offset, int64_t size) {
    auto next = freeRanges.lower_bound(offset);
    if (next != freeRanges.end() && offset + size == next->first) {
      size += next->second;
      next = freeRanges.erase(next);
    }
    if (next != freeRanges.begin()) {
      auto prev = std::prev(next);
      if (prev->first + prev->second == offset) {
        prev->second += size;
        return;
      }
    }
    freeRanges[offset] = size;
  };

  for (Value v : owners) {
    int64_t at = index[v.getDefiningOp()];
    // Ranges whose values died before this op are free again.
    while (!dying.empty() && dying.begin()->first < at) {
      release(dying.begin()->second.first, dying.begin()->second.second);
      dying.erase(dying.begin());
    }
    int64_t size = alignUp(std::max<int64_t>(storageBytes(v), 1));
    plan.naiveBytes += size;
    int64_t offset = -1;
    for (auto it = freeRanges.begin(); it != freeRanges.end(); ++it)
      if (it->second >= size) {
        offset = it->first;
        int64_t rest = it->second - size;
        freeRanges.erase(it);
        if (rest)
          freeRanges[offset + size] = rest;
        break;
      }
    if (offset < 0) {
      offset = end;
      end += size;
    }
    plan.offsets[v] = offset;
    // Returned values and values with no use stay until the end.
    int64_t last = lastUse.count(v) ? lastUse[v] : at;
    bool returned = llvm::any_of(
        v.getUsers(), [](Operation *u) { return isa<func::ReturnOp>(u); });
    dying.insert({returned ? INT64_MAX : last, {offset, size}});
  }
  plan.arenaBytes = end;
  return plan;
}
