//===- NFVJP.cpp - the reverse-mode rule of every nf op
//---------------------===//
//
// buildVJP receives the cotangent of each result (null where a result does
// not reach the loss) and appends one cotangent per operand (null where the
// operand gets none). The backward ops are in NFGradOps.td; their formulas
// are in docs/math.md#reverse-mode and #normalizations.
//
//===----------------------------------------------------------------------===//
#include "nf/NFOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::nf;

/// Sums `grad` down to `type` when that operand was broadcast over leading
/// dimensions (nf.add, nf.mul, nf.bias_add).
static Value unbroadcast(OpBuilder &b, Location loc, Value grad, Type type) {
  if (grad.getType() == type)
    return grad;
  return b.create<ReduceToOp>(loc, type, grad);
}

LogicalResult RMSNormOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                  SmallVectorImpl<Value> &dx) {
  dx.push_back(
      b.create<RMSNormGradOp>(getLoc(), getInput(), dy[0], getEpsAttr()));
  return success();
}

// Both operands of the add receive the sum's whole cotangent: the
// cotangent of the sum itself (its other readers) plus the norm's backward.
LogicalResult AddRMSNormOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                     SmallVectorImpl<Value> &dx) {
  Value dsum = dy[0];
  if (getGamma()) {
    Value dgamma;
    if (dy[1]) {
      auto g = b.create<NormScaleGradOp>(
          getLoc(), NormKindAttr::get(getContext(), NormKind::RMSNorm),
          getSum(), getGamma(), dy[1], dsum, getEpsAttr());
      dsum = g.getInputGrad();
      dgamma = g.getGammaGrad();
    }
    dx.append({dsum, dsum, dgamma});
    return success();
  }
  if (dy[1] && dsum)
    dsum = b.create<AddRMSNormGradOp>(getLoc(), getSum(), dy[1], dsum,
                                      getEpsAttr());
  else if (dy[1])
    dsum = b.create<RMSNormGradOp>(getLoc(), getSum(), dy[1], getEpsAttr());
  dx.append({dsum, dsum});
  return success();
}

LogicalResult LayerNormOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                    SmallVectorImpl<Value> &dx) {
  dx.push_back(
      b.create<LayerNormGradOp>(getLoc(), getInput(), dy[0], getEpsAttr()));
  return success();
}

LogicalResult DyTOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                              SmallVectorImpl<Value> &dx) {
  auto g = b.create<DyTGradOp>(getLoc(), getInput(), getAlpha(), dy[0]);
  dx.append({g.getInputGrad(), g.getAlphaGrad()});
  return success();
}

LogicalResult DerfOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                               SmallVectorImpl<Value> &dx) {
  auto g =
      b.create<DerfGradOp>(getLoc(), getInput(), getAlpha(), getShift(), dy[0]);
  dx.append({g.getInputGrad(), g.getAlphaGrad(), g.getShiftGrad()});
  return success();
}

// The running RMS is state: no gradient flows into it or through it
// (docs/math.md#derf-ema-blend).
LogicalResult DerfEMAOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                  SmallVectorImpl<Value> &dx) {
  if (!dy[0]) {
    dx.append(getNumOperands(), Value());
    return success();
  }
  auto g = b.create<DerfEMAGradOp>(getLoc(), getInput(), getAlpha(), getShift(),
                                   getNewRunning(), dy[0], getBlendAttr());
  dx.append({g.getInputGrad(), g.getAlphaGrad(), g.getShiftGrad(), Value()});
  return success();
}

LogicalResult ScaleOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                SmallVectorImpl<Value> &dx) {
  auto g = b.create<ScaleGradOp>(getLoc(), getInput(), getGamma(), dy[0]);
  dx.append({g.getInputGrad(), g.getGammaGrad()});
  return success();
}

LogicalResult NormScaleOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                    SmallVectorImpl<Value> &dx) {
  auto g =
      b.create<NormScaleGradOp>(getLoc(), getKindAttr(), getInput(), getGamma(),
                                dy[0], /*addend=*/Value(), getEpsAttr());
  dx.append({g.getInputGrad(), g.getGammaGrad()});
  return success();
}

LogicalResult BiasAddOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                  SmallVectorImpl<Value> &dx) {
  dx.append({dy[0], unbroadcast(b, getLoc(), dy[0], getBias().getType())});
  return success();
}

LogicalResult LinearOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                 SmallVectorImpl<Value> &dx) {
  auto g = b.create<LinearGradOp>(getLoc(), getInput(), getWeight(), dy[0],
                                  /*addend=*/Value());
  dx.append({g.getInputGrad(), g.getWeightGrad()});
  return success();
}

LogicalResult EmbeddingOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                    SmallVectorImpl<Value> &dx) {
  dx.push_back(Value()); // token ids
  dx.push_back(b.create<EmbeddingGradOp>(getLoc(), getTable().getType(),
                                         getTokens(), dy[0]));
  return success();
}

// Splitting and merging heads only reshape: each is the other's adjoint.
LogicalResult SplitHeadsOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                     SmallVectorImpl<Value> &dx) {
  dx.push_back(b.create<MergeHeadsOp>(getLoc(), getInput().getType(), dy[0]));
  return success();
}

LogicalResult MergeHeadsOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                     SmallVectorImpl<Value> &dx) {
  dx.push_back(b.create<SplitHeadsOp>(getLoc(), getInput().getType(), dy[0]));
  return success();
}

LogicalResult AttentionOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                    SmallVectorImpl<Value> &dx) {
  // The forward's output goes along: flash attention's backward takes
  // D = rowsum(dO * O) from it (NFGradOps.td).
  auto g = b.create<AttentionGradOp>(getLoc(), getQuery(), getKey(), getValue(),
                                     dy[0], getResult(), getRopeThetaAttr());
  dx.append({g.getQueryGrad(), g.getKeyGrad(), g.getValueGrad()});
  return success();
}

LogicalResult GeluOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                               SmallVectorImpl<Value> &dx) {
  dx.push_back(b.create<GeluGradOp>(getLoc(), getInput(), dy[0]));
  return success();
}

LogicalResult SiluOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                               SmallVectorImpl<Value> &dx) {
  dx.push_back(b.create<SiluGradOp>(getLoc(), getInput(), dy[0]));
  return success();
}

LogicalResult AddOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                              SmallVectorImpl<Value> &dx) {
  dx.append({dy[0], unbroadcast(b, getLoc(), dy[0], getRhs().getType())});
  return success();
}

// d(l * r) = dy * r (r broadcast as in the forward op) and dy * l summed
// back to r's shape.
LogicalResult MulOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                              SmallVectorImpl<Value> &dx) {
  Location loc = getLoc();
  Value dl = b.create<MulOp>(loc, dy[0], getRhs());
  Value dr = b.create<MulOp>(loc, dy[0], getLhs());
  dx.append({dl, unbroadcast(b, loc, dr, getRhs().getType())});
  return success();
}

LogicalResult CrossEntropyOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                       SmallVectorImpl<Value> &dx) {
  dx.push_back(
      b.create<CrossEntropyGradOp>(getLoc(), getLogits(), getTargets(), dy[0]));
  dx.push_back(Value()); // target ids
  return success();
}

/// Recomputes the normalization of a fused op (unfused) for its gradient.
static Value recomputeNorm(OpBuilder &b, FusedNormLinearOp op) {
  Location loc = op.getLoc();
  ValueRange s = op.getNormScalars();
  switch (op.getKind()) {
  case NormKind::RMSNorm:
    return b.create<RMSNormOp>(loc, op.getInput(), op.getEpsAttr());
  case NormKind::LayerNorm:
    return b.create<LayerNormOp>(loc, op.getInput(), op.getEpsAttr());
  case NormKind::DyT:
    return b.create<DyTOp>(loc, op.getInput(), s[0]);
  case NormKind::Derf:
    return b.create<DerfOp>(loc, op.getInput(), s[0], s[1]);
  }
  llvm_unreachable("unknown norm kind");
}

/// Adds `v` into `slot` (null means zero so far).
static void accumulate(OpBuilder &b, Location loc, Value &slot, Value v) {
  slot = slot ? b.create<AddOp>(loc, slot, v).getResult() : v;
}

// The gradient of the fused op is the gradient of its unfused expansion:
// each branch's linear map, scale and bias backward, summed into the
// normalized value, then the normalization backward. Operand order:
// input, norm scalars, gammas, biases, weights.
LogicalResult FusedNormLinearOp::buildVJP(OpBuilder &b, ArrayRef<Value> dy,
                                          SmallVectorImpl<Value> &dx) {
  Location loc = getLoc();
  Value y = recomputeNorm(b, *this);
  size_t nScalars = getNormScalars().size(), nGammas = getGammas().size(),
         nBiases = getBiases().size();
  SmallVector<Value> gammaGrads(nGammas), biasGrads(nBiases),
      weightGrads(getWeights().size());
  Value dNormalized;
  for (auto [i, w] : llvm::enumerate(getWeights())) {
    if (!dy[i])
      continue;
    Value gamma = getGammaOf(i), beta = getBiasOf(i);
    Value scaled = gamma ? b.create<ScaleOp>(loc, y, gamma).getResult() : y;
    Value in =
        beta ? b.create<BiasAddOp>(loc, scaled, beta).getResult() : scaled;
    auto lin = b.create<LinearGradOp>(loc, in, w, dy[i], /*addend=*/Value());
    weightGrads[i] = lin.getWeightGrad();
    Value d = lin.getInputGrad();
    if (beta)
      accumulate(b, loc, biasGrads[nBiases == 1 ? 0 : i],
                 b.create<ReduceToOp>(loc, beta.getType(), d));
    if (gamma) {
      auto sg = b.create<ScaleGradOp>(loc, y, gamma, d);
      accumulate(b, loc, gammaGrads[nGammas == 1 ? 0 : i], sg.getGammaGrad());
      d = sg.getInputGrad();
    }
    accumulate(b, loc, dNormalized, d);
  }
  SmallVector<Value> normGrads;
  if (dNormalized) {
    auto vjp = cast<VJPOpInterface>(y.getDefiningOp());
    if (failed(vjp.buildVJP(b, {dNormalized}, normGrads)))
      return failure();
  } else {
    normGrads.append(1 + nScalars, Value());
  }
  dx.append(normGrads.begin(), normGrads.end());
  dx.append(gammaGrads.begin(), gammaGrads.end());
  dx.append(biasGrads.begin(), biasGrads.end());
  dx.append(weightGrads.begin(), weightGrads.end());
  return success();
}
