//===- FuseNormLinear.cpp - norm + scale (+ bias) + linear maps as one op
//---===//
//
// The fused op lets a backend read x once per row for the normalization
// statistics and feed every consumer GEMM (QKV, gate + up, the LM head)
// from the same normalized row (docs/math.md#fusion). nf-unfuse is its inverse.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace normfuse {
#define GEN_PASS_DEF_NFFUSENORMLINEAR
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;

namespace {

/// Moves the (pure) computation of `v` before `point` if it comes later in
/// the same block, so that an op inserted at `point` may use it.
bool hoistBefore(Value v, Operation *point) {
  Operation *def = v.getDefiningOp();
  if (!def || def->getBlock() != point->getBlock() ||
      def->isBeforeInBlock(point) || def == point)
    return def != point;
  if (!isPure(def))
    return false;
  for (Value operand : def->getOperands())
    if (!hoistBefore(operand, point))
      return false;
  def->moveBefore(point);
  return true;
}

/// The kind, scalars and eps of a fusable normalization, or nullopt.
struct NormParts {
  NormKind kind;
  SmallVector<Value, 2> scalars;
  FloatAttr eps;
};

std::optional<NormParts> normParts(Operation *op) {
  if (auto n = dyn_cast<RMSNormOp>(op))
    return NormParts{NormKind::RMSNorm, {}, n.getEpsAttr()};
  if (auto n = dyn_cast<LayerNormOp>(op))
    return NormParts{NormKind::LayerNorm, {}, n.getEpsAttr()};
  if (auto n = dyn_cast<DyTOp>(op))
    return NormParts{NormKind::DyT, {n.getAlpha()}, {}};
  if (auto n = dyn_cast<DerfOp>(op))
    return NormParts{NormKind::Derf, {n.getAlpha(), n.getShift()}, {}};
  return std::nullopt; // derf_ema carries state: not fused
}

/// One consumer branch of a normalization: [scale] -> [bias add] -> linear.
struct Branch {
  ScaleOp scale;
  BiasAddOp bias;
  LinearOp linear;
};

/// The single user of `v` if it is an `OpTy` taking `v` as operand 0.
template <typename OpTy> OpTy soleUserAsInput(Value v) {
  if (!v.hasOneUse())
    return {};
  OpOperand &use = *v.use_begin();
  auto op = dyn_cast<OpTy>(use.getOwner());
  return op && use.getOperandNumber() == 0 ? op : OpTy();
}

/// Follows a use of the normalized value that is not a scale vector: either
/// a linear map, or a bias add read by exactly one linear map.
std::optional<Branch> followUnscaled(OpOperand &use) {
  Branch br;
  if (use.getOperandNumber() != 0)
    return std::nullopt;
  if ((br.linear = dyn_cast<LinearOp>(use.getOwner())))
    return br;
  if ((br.bias = dyn_cast<BiasAddOp>(use.getOwner())))
    if ((br.linear = soleUserAsInput<LinearOp>(br.bias.getResult())))
      return br;
  return std::nullopt;
}

/// Expands branches that share a scale/bias chain (a shared gamma feeding k
/// linear maps) into one branch per linear map.
std::optional<SmallVector<Branch>> collectBranches(Value normalized) {
  SmallVector<Branch> branches;
  for (OpOperand &use : normalized.getUses()) {
    Operation *user = use.getOwner();
    if (use.getOperandNumber() != 0)
      return std::nullopt;
    if (auto scale = dyn_cast<ScaleOp>(user)) {
      Value end = scale.getResult();
      BiasAddOp bias = soleUserAsInput<BiasAddOp>(end);
      if (bias)
        end = bias.getResult();
      for (OpOperand &next : end.getUses()) {
        auto linear = dyn_cast<LinearOp>(next.getOwner());
        if (!linear || next.getOperandNumber() != 0)
          return std::nullopt;
        branches.push_back({scale, bias, linear});
      }
      if (end.use_empty())
        return std::nullopt;
      continue;
    }
    std::optional<Branch> br = followUnscaled(use);
    if (!br)
      return std::nullopt; // the normalized value is needed elsewhere too
    branches.push_back(*br);
  }
  if (branches.empty())
    return std::nullopt;
  llvm::sort(branches, [](const Branch &a, const Branch &b) {
    return a.linear->isBeforeInBlock(b.linear);
  });
  return branches;
}

/// The per-branch values of a vector operand as the fused op stores them:
/// none, one shared, or one per branch. Nullopt when only some have one.
std::optional<SmallVector<Value>> packVectors(ArrayRef<Value> perBranch) {
  if (llvm::all_of(perBranch, [](Value v) { return !v; }))
    return SmallVector<Value>{};
  if (llvm::any_of(perBranch, [](Value v) { return !v; }))
    return std::nullopt;
  if (llvm::all_equal(perBranch))
    return SmallVector<Value>{perBranch.front()};
  return SmallVector<Value>(perBranch.begin(), perBranch.end());
}

void fuse(Operation *norm) {
  std::optional<NormParts> parts = normParts(norm);
  if (!parts)
    return;
  std::optional<SmallVector<Branch>> branches =
      collectBranches(norm->getResult(0));
  if (!branches)
    return;

  SmallVector<Value> gammas, biases, weights;
  SmallVector<Type> types;
  for (Branch &br : *branches) {
    gammas.push_back(br.scale ? br.scale.getGamma() : Value());
    biases.push_back(br.bias ? br.bias.getBias() : Value());
    weights.push_back(br.linear.getWeight());
    types.push_back(br.linear.getType());
  }
  std::optional<SmallVector<Value>> packedGammas = packVectors(gammas);
  std::optional<SmallVector<Value>> packedBiases = packVectors(biases);
  if (!packedGammas || !packedBiases)
    return; // some branches scaled and some not: leave it to the unfused path

  Operation *point = branches->front().linear;
  for (Value v : llvm::concat<Value>(*packedGammas, *packedBiases, weights))
    if (!hoistBefore(v, point))
      return;
  OpBuilder b(point);
  auto fused = b.create<FusedNormLinearOp>(
      norm->getLoc(), types, parts->kind, norm->getOperand(0), parts->scalars,
      *packedGammas, *packedBiases, weights, parts->eps);
  SetVector<Operation *> dead;
  for (auto [br, result] : llvm::zip(*branches, fused.getResults())) {
    br.linear.getResult().replaceAllUsesWith(result);
    br.linear.erase();
    if (br.bias)
      dead.insert(br.bias);
    if (br.scale)
      dead.insert(br.scale);
  }
  for (Operation *op : dead)
    if (op->use_empty())
      op->erase();
  norm->erase();
}

struct FuseNormLinear : normfuse::impl::NFFuseNormLinearBase<FuseNormLinear> {
  void runOnOperation() override {
    SmallVector<Operation *> norms;
    getOperation().walk(
        [&](NormalizationOpInterface op) { norms.push_back(op); });
    for (Operation *norm : norms)
      fuse(norm);
  }
};

} // namespace
