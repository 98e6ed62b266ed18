//===- NFOps.cpp - nf op verifiers and symbol checks
//------------------------===//
//
// Every message names the operand (by index and name), the shape it expects
// and the shape it got, so that a hand-edited IR file can be fixed from the
// diagnostic alone.
//
//===----------------------------------------------------------------------===//
#include "nf/NFOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nf;

#include "nf/NFInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Formats a shape as [2, 8, 64] ([] for a scalar).
static std::string fmtShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

/// Formats a number as a user wrote it (1e-05, 0.5, -1), not as %e.
static std::string fmtNum(double v) {
  return llvm::formatv("{0}", llvm::format("%g", v)).str();
}

static RankedTensorType tensorOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

static std::string fmtShape(Value v) {
  return fmtShape(tensorOf(v).getShape());
}

/// Checks that `operand` has the element type of `reference` (named in
/// the message as `like`, "the input" by default).
static LogicalResult checkElementType(Operation *op, Value reference,
                                      Value operand, unsigned index,
                                      StringRef name,
                                      StringRef like = "the input") {
  Type want = tensorOf(reference).getElementType();
  Type got = tensorOf(operand).getElementType();
  if (want == got)
    return success();
  return op->emitOpError() << "operand #" << index << " (" << name
                           << ") must have element type " << want << " like "
                           << like << ", but got " << got;
}

/// Checks that result #`index` has the element type of `reference`.
static LogicalResult checkResultElementType(Operation *op, Value reference,
                                            StringRef like = "the input",
                                            unsigned index = 0) {
  Type want = tensorOf(reference).getElementType();
  Type got = tensorOf(op->getResult(index)).getElementType();
  if (want == got)
    return success();
  InFlightDiagnostic diag = op->emitOpError();
  if (op->getNumResults() > 1)
    diag << "result #" << index;
  else
    diag << "result";
  return diag << " must have element type " << want << " like " << like
              << ", but got " << got;
}

static LogicalResult checkRankAtLeast(Operation *op, Value v, unsigned index,
                                      StringRef name, int64_t rank) {
  if (tensorOf(v).getRank() >= rank)
    return success();
  return op->emitOpError() << "operand #" << index << " (" << name
                           << ") must have rank >= " << rank << ", but got "
                           << fmtShape(v);
}

static LogicalResult checkResultShape(Operation *op, ArrayRef<int64_t> want) {
  Value result = op->getResult(0);
  if (tensorOf(result).getShape() == want)
    return success();
  return op->emitOpError() << "result must have shape " << fmtShape(want)
                           << ", but got " << fmtShape(result);
}

/// A vector over the input's last dimension (scale vector, bias).
static LogicalResult checkLastDimVector(Operation *op, Value input,
                                        Value vector, StringRef name,
                                        unsigned index = 1) {
  if (failed(checkRankAtLeast(op, input, 0, "input", 1)))
    return failure();
  int64_t d = tensorOf(input).getShape().back();
  if (tensorOf(vector).getShape() != ArrayRef<int64_t>{d})
    return op->emitOpError()
           << "operand #" << index << " (" << name << ") must have shape [" << d
           << "] (the input's last dimension), but got " << fmtShape(vector);
  return checkElementType(op, input, vector, index, name);
}

static LogicalResult checkFiniteAttr(Operation *op, StringRef name,
                                     double value, double lo, bool loOpen,
                                     double hi, bool hiOpen) {
  bool ok = std::isfinite(value) && (loOpen ? value > lo : value >= lo) &&
            (hiOpen ? value < hi : value <= hi);
  if (ok)
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << "attribute '" << name << "' must be in "
                            << (loOpen ? "(" : "[") << fmtNum(lo) << ", ";
  if (std::isinf(hi))
    diag << "inf)";
  else
    diag << fmtNum(hi) << (hiOpen ? ")" : "]");
  return diag << ", but got " << fmtNum(value);
}

//===----------------------------------------------------------------------===//
// nf.param, nf.get_param, nf.assign_state
//===----------------------------------------------------------------------===//

/// The ranks each parameter group allows, as text and as a test.
static StringRef allowedRanks(ParamGroup group) {
  switch (group) {
  case ParamGroup::Matrix:
  case ParamGroup::Embedding:
  case ParamGroup::Head:
    return "2";
  case ParamGroup::Scale:
  case ParamGroup::Bias:
  case ParamGroup::Direction:
    return "1";
  case ParamGroup::Scalar:
    return "0";
  case ParamGroup::State: // running statistics, optimizer moments
    return "any";
  case ParamGroup::Magnitude: // per vector (0-D) or per channel (1-D)
    return "0 or 1";
  }
  llvm_unreachable("unknown parameter group");
}

static bool rankAllowed(ParamGroup group, int64_t rank) {
  StringRef ranks = allowedRanks(group);
  if (ranks == "any")
    return true;
  return rank == ranks.front() - '0' || (ranks.size() > 1 && rank == 1);
}

LogicalResult ParamOp::verify() {
  RankedTensorType type = getTensorType();
  if (!type.hasStaticShape())
    return emitOpError() << "parameter @" << getSymName()
                         << " must have a static shape, but got " << type;
  if (!isa<FloatType>(type.getElementType()))
    return emitOpError() << "parameter @" << getSymName()
                         << " must have a floating-point element type, but "
                            "got "
                         << type.getElementType();
  ParamGroup group = getGroup();
  if (!rankAllowed(group, type.getRank()))
    return emitOpError() << "a '" << stringifyParamGroup(group)
                         << "' parameter must have rank " << allowedRanks(group)
                         << ", but @" << getSymName() << " has shape "
                         << fmtShape(type.getShape());
  if (getRole() && group != ParamGroup::Scale)
    return emitOpError() << "a norm role belongs to 'scale' parameters, but @"
                         << getSymName() << " is in group '"
                         << stringifyParamGroup(group) << "'";
  if (std::optional<APFloat> wd = getWeightDecay())
    if (failed(checkFiniteAttr(*this, "weight_decay", wd->convertToDouble(),
                               0.0, false, INFINITY, true)))
      return failure();
  if (std::optional<StringRef> from = getDerivedFrom())
    if (*from == getSymName() || from->empty())
      return emitOpError() << "@" << getSymName()
                           << " cannot be derived from itself or from ''";
  if (group == ParamGroup::State && (getOptimizer() || getWeightDecay()))
    return emitOpError() << "@" << getSymName()
                         << " is a 'state' tensor, which is not trained: it "
                            "takes no optimizer and no weight_decay";
  if (getOptimizer() == OptimizerKind::Muon && type.getRank() != 2)
    return emitOpError() << "muon updates 2-D matrices only, but @"
                         << getSymName() << " has shape "
                         << fmtShape(type.getShape());
  return success();
}

/// Finds the nf.param that `op` refers to by `name`.
static FailureOr<ParamOp> lookupParam(Operation *op, FlatSymbolRefAttr name,
                                      SymbolTableCollection &symbolTable) {
  auto param = symbolTable.lookupNearestSymbolFrom<ParamOp>(op, name);
  if (!param)
    return op->emitOpError()
           << "'" << name << "' does not name an nf.param in this module";
  return param;
}

LogicalResult GetParamOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  FailureOr<ParamOp> param =
      lookupParam(getOperation(), getNameAttr(), symbolTable);
  if (failed(param))
    return failure();
  if (param->getType() != getType())
    return emitOpError() << "result type " << getType()
                         << " does not match parameter " << getNameAttr()
                         << " of type " << param->getType();
  return success();
}

LogicalResult
AssignStateOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  FailureOr<ParamOp> param =
      lookupParam(getOperation(), getNameAttr(), symbolTable);
  if (failed(param))
    return failure();
  if (param->getGroup() != ParamGroup::State)
    return emitOpError() << "only 'state' parameters can be assigned, but "
                         << getNameAttr() << " is in group '"
                         << stringifyParamGroup(param->getGroup()) << "'";
  if (param->getType() != getValue().getType())
    return emitOpError() << "value type " << getValue().getType()
                         << " does not match state " << getNameAttr()
                         << " of type " << param->getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

bool RMSNormOp::isPointwise() { return false; }
bool LayerNormOp::isPointwise() { return false; }
bool DyTOp::isPointwise() { return true; }
bool DerfOp::isPointwise() { return true; }
// The running RMS is a reduction over rows, but the map applied to x is
// pointwise given r.
bool DerfEMAOp::isPointwise() { return true; }

static LogicalResult verifyRowNorm(Operation *op, Value input, double eps) {
  if (failed(checkRankAtLeast(op, input, 0, "input", 1)))
    return failure();
  return checkFiniteAttr(op, "eps", eps, 0.0, false, INFINITY, true);
}

LogicalResult RMSNormOp::verify() {
  return verifyRowNorm(*this, getInput(), getEps().convertToDouble());
}

LogicalResult AddRMSNormOp::verify() {
  if (failed(checkRankAtLeast(*this, getLhs(), 0, "lhs", 1)))
    return failure();
  if (getGamma() &&
      failed(checkLastDimVector(*this, getLhs(), getGamma(), "gamma", 2)))
    return failure();
  return checkFiniteAttr(*this, "eps", getEps().convertToDouble(), 0.0, false,
                         INFINITY, true);
}

LogicalResult LayerNormOp::verify() {
  return verifyRowNorm(*this, getInput(), getEps().convertToDouble());
}

LogicalResult DyTOp::verify() {
  return checkElementType(*this, getInput(), getAlpha(), 1, "alpha");
}

LogicalResult DerfOp::verify() {
  return checkElementType(*this, getInput(), getAlpha(), 1, "alpha");
}

LogicalResult DerfEMAOp::verify() {
  if (failed(checkRankAtLeast(*this, getInput(), 0, "input", 1)) ||
      failed(checkElementType(*this, getInput(), getAlpha(), 1, "alpha")))
    return failure();
  if (failed(checkFiniteAttr(*this, "momentum", getMomentum().convertToDouble(),
                             0.0, false, 1.0, true)))
    return failure();
  return checkFiniteAttr(*this, "blend", getBlend().convertToDouble(), 0.0,
                         false, 1.0, false);
}

//===----------------------------------------------------------------------===//
// Scale vector and bias
//===----------------------------------------------------------------------===//

LogicalResult ScaleOp::verify() {
  return checkLastDimVector(*this, getInput(), getGamma(), "gamma");
}

/// The norms nf.norm_scale and nf.norm_scale_grad apply: those whose rows
/// have statistics (mean, rstd) a fused kernel computes once per row.
static LogicalResult checkStatisticsNorm(Operation *op, NormKind kind) {
  if (kind == NormKind::RMSNorm || kind == NormKind::LayerNorm)
    return success();
  return op->emitOpError() << "kind must be rmsnorm or layernorm, but got "
                           << stringifyNormKind(kind);
}

LogicalResult NormScaleOp::verify() {
  if (failed(checkStatisticsNorm(*this, getKind())) ||
      failed(checkLastDimVector(*this, getInput(), getGamma(), "gamma")))
    return failure();
  return verifyRowNorm(*this, getInput(), getEps().convertToDouble());
}

LogicalResult BiasAddOp::verify() {
  return checkLastDimVector(*this, getInput(), getBias(), "bias");
}

//===----------------------------------------------------------------------===//
// Linear maps, embedding, attention
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  if (failed(checkRankAtLeast(*this, getInput(), 0, "input", 1)))
    return failure();
  ArrayRef<int64_t> x = tensorOf(getInput()).getShape();
  ArrayRef<int64_t> w = tensorOf(getWeight()).getShape();
  if (w.size() != 2)
    return emitOpError() << "operand #1 (weight) must be 2-D [out, in], but "
                            "got "
                         << fmtShape(w);
  if (w[1] != x.back())
    return emitOpError() << "operand #1 (weight) must have shape [" << w[0]
                         << ", " << x.back()
                         << "] ([out, in], in = the input's last dimension), "
                            "but got "
                         << fmtShape(w);
  if (failed(checkElementType(*this, getInput(), getWeight(), 1, "weight")) ||
      failed(checkResultElementType(*this, getInput())))
    return failure();
  SmallVector<int64_t> want(x.drop_back());
  want.push_back(w[0]);
  return checkResultShape(*this, want);
}

LogicalResult EmbeddingOp::verify() {
  ArrayRef<int64_t> table = tensorOf(getTable()).getShape();
  if (table.size() != 2)
    return emitOpError() << "operand #1 (table) must be 2-D [vocab, d], but "
                            "got "
                         << fmtShape(table);
  if (failed(checkResultElementType(*this, getTable(), "the table")))
    return failure();
  SmallVector<int64_t> want(tensorOf(getTokens()).getShape());
  want.push_back(table[1]);
  return checkResultShape(*this, want);
}

LogicalResult SplitHeadsOp::verify() {
  ArrayRef<int64_t> x = tensorOf(getInput()).getShape();
  ArrayRef<int64_t> y = tensorOf(getResult()).getShape();
  if (x.size() != 3)
    return emitOpError() << "operand #0 (input) must be [B, T, D], but got "
                         << fmtShape(x);
  if (y.size() != 4 || y[0] != x[0] || y[1] != x[1] || y[2] * y[3] != x[2])
    return emitOpError() << "result must be [" << x[0] << ", " << x[1]
                         << ", H, hd] with H * hd = " << x[2] << ", but got "
                         << fmtShape(y);
  return checkResultElementType(*this, getInput());
}

LogicalResult MergeHeadsOp::verify() {
  ArrayRef<int64_t> x = tensorOf(getInput()).getShape();
  if (x.size() != 4)
    return emitOpError() << "operand #0 (input) must be [B, T, H, hd], but "
                            "got "
                         << fmtShape(x);
  if (failed(checkResultElementType(*this, getInput())))
    return failure();
  return checkResultShape(*this, {x[0], x[1], x[2] * x[3]});
}

/// Attention and its gradient: [B, T, H, hd] operands; RoPE needs a
/// positive theta and an even head dimension.
static LogicalResult verifyAttentionShape(Operation *op, Value query,
                                          std::optional<APFloat> theta) {
  ArrayRef<int64_t> q = tensorOf(query).getShape();
  if (q.size() != 4)
    return op->emitOpError()
           << "operands must be [B, T, H, hd], but query is " << fmtShape(q);
  if (theta) {
    if (failed(checkFiniteAttr(op, "rope_theta", theta->convertToDouble(), 0.0,
                               true, INFINITY, true)))
      return failure();
    if (q[3] % 2 != 0)
      return op->emitOpError() << "rope rotates pairs of channels: the head "
                                  "dimension must be even, but got "
                               << q[3];
  }
  return success();
}

LogicalResult AttentionOp::verify() {
  return verifyAttentionShape(*this, getQuery(), getRopeTheta());
}

/// How many scalar operands (alpha, shift) and whether eps each fused
/// normalization takes.
static std::pair<unsigned, bool> fusedNormOperands(NormKind kind) {
  switch (kind) {
  case NormKind::RMSNorm:
  case NormKind::LayerNorm:
    return {0, true};
  case NormKind::DyT:
    return {1, false};
  case NormKind::Derf:
    return {2, false};
  }
  llvm_unreachable("unknown norm kind");
}

LogicalResult FusedNormLinearOp::verify() {
  if (failed(checkRankAtLeast(*this, getInput(), 0, "input", 1)))
    return failure();
  ArrayRef<int64_t> x = tensorOf(getInput()).getShape();
  int64_t d = x.back();
  auto [scalars, hasEps] = fusedNormOperands(getKind());
  StringRef kind = stringifyNormKind(getKind());
  if (getNormScalars().size() != scalars)
    return emitOpError() << kind << " takes " << scalars
                         << " scalar operand(s) (alpha, shift), but got "
                         << getNormScalars().size();
  if (hasEps != getEps().has_value())
    return emitOpError() << kind << (hasEps ? " needs" : " takes no")
                         << " eps attribute";
  if (hasEps &&
      failed(checkFiniteAttr(*this, "eps", getEps()->convertToDouble(), 0.0,
                             false, INFINITY, true)))
    return failure();
  for (auto [i, v] : llvm::enumerate(getNormScalars()))
    if (failed(checkElementType(*this, getInput(), v, 1 + i,
                                i == 0 ? "alpha" : "shift")))
      return failure();
  size_t n = getWeights().size();
  if (n == 0)
    return emitOpError() << "needs at least one weight";
  for (auto [name, vs] :
       {std::pair<StringRef, OperandRange>{"gammas", getGammas()},
        {"biases", getBiases()}}) {
    if (vs.size() > 1 && vs.size() != n)
      return emitOpError() << "has " << vs.size() << " " << name
                           << "; expected 0, 1 (shared) or " << n
                           << " (one per weight)";
    for (Value v : vs) {
      if (tensorOf(v).getShape() != ArrayRef<int64_t>{d})
        return emitOpError()
               << name << " must have shape [" << d
               << "] (the input's last dimension), but got " << fmtShape(v);
      if (tensorOf(v).getElementType() != tensorOf(getInput()).getElementType())
        return emitOpError()
               << name << " must have element type "
               << tensorOf(getInput()).getElementType()
               << " like the input, but got " << tensorOf(v).getElementType();
    }
  }
  if (getWeights().size() != getResults().size())
    return emitOpError() << "has " << getWeights().size() << " weights but "
                         << getResults().size()
                         << " results; each weight gives one result";
  for (auto [i, w, r] : llvm::enumerate(getWeights(), getResults())) {
    ArrayRef<int64_t> ws = tensorOf(w).getShape();
    if (ws.size() != 2 || ws[1] != d)
      return emitOpError() << "weight #" << i << " must have shape [out, " << d
                           << "], but got " << fmtShape(ws);
    SmallVector<int64_t> want(x.drop_back());
    want.push_back(ws[0]);
    if (tensorOf(r).getShape() != ArrayRef<int64_t>(want))
      return emitOpError() << "result #" << i << " must have shape "
                           << fmtShape(want) << ", but got " << fmtShape(r);
    unsigned index = getOperation()->getNumOperands() - n + i;
    if (failed(checkElementType(*this, getInput(), w, index, "weight")) ||
        failed(checkResultElementType(*this, getInput(), "the input", i)))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise and loss
//===----------------------------------------------------------------------===//

static LogicalResult verifyBroadcastBinary(Operation *op, Value lhs,
                                           Value rhs) {
  ArrayRef<int64_t> l = tensorOf(lhs).getShape();
  ArrayRef<int64_t> r = tensorOf(rhs).getShape();
  if (r.size() > l.size() || l.take_back(r.size()) != r)
    return op->emitOpError()
           << "operand #1 (rhs) must have lhs's shape " << fmtShape(l)
           << " or a suffix of it (broadcast over leading dimensions), but "
              "got "
           << fmtShape(r);
  return checkElementType(op, lhs, rhs, 1, "rhs");
}

LogicalResult AddOp::verify() {
  return verifyBroadcastBinary(*this, getLhs(), getRhs());
}

LogicalResult MulOp::verify() {
  return verifyBroadcastBinary(*this, getLhs(), getRhs());
}

/// Cross-entropy and its gradient: logits [..., V], targets [...].
static LogicalResult verifyLossShapes(Operation *op, Value logitsValue,
                                      Value targetsValue) {
  if (failed(checkRankAtLeast(op, logitsValue, 0, "logits", 1)))
    return failure();
  ArrayRef<int64_t> logits = tensorOf(logitsValue).getShape();
  ArrayRef<int64_t> targets = tensorOf(targetsValue).getShape();
  if (targets != logits.drop_back())
    return op->emitOpError()
           << "operand #1 (targets) must have shape "
           << fmtShape(logits.drop_back())
           << " (the logits without the vocabulary dimension), but got "
           << fmtShape(targets);
  return success();
}

LogicalResult CrossEntropyOp::verify() {
  if (failed(verifyLossShapes(*this, getLogits(), getTargets())))
    return failure();
  return checkResultElementType(*this, getLogits());
}

//===----------------------------------------------------------------------===//
// Gradient ops
//===----------------------------------------------------------------------===//

LogicalResult ReduceToOp::verify() {
  ArrayRef<int64_t> x = tensorOf(getInput()).getShape();
  ArrayRef<int64_t> r = tensorOf(getResult()).getShape();
  if (r.size() > x.size() || x.take_back(r.size()) != r)
    return emitOpError() << "result shape " << fmtShape(r)
                         << " must be a suffix of the input shape "
                         << fmtShape(x);
  return checkResultElementType(*this, getInput());
}

LogicalResult LinearGradOp::verify() {
  if (failed(checkRankAtLeast(*this, getInput(), 0, "input", 1)))
    return failure();
  ArrayRef<int64_t> x = tensorOf(getInput()).getShape();
  ArrayRef<int64_t> w = tensorOf(getWeight()).getShape();
  if (w.size() != 2 || w[1] != x.back())
    return emitOpError() << "operand #1 (weight) must have shape [out, "
                         << x.back() << "], but got " << fmtShape(w);
  SmallVector<int64_t> want(x.drop_back());
  want.push_back(w[0]);
  if (tensorOf(getGrad()).getShape() != ArrayRef<int64_t>(want))
    return emitOpError() << "operand #2 (grad) must have the forward "
                            "result's shape "
                         << fmtShape(want) << ", but got "
                         << fmtShape(getGrad());
  if (failed(checkElementType(*this, getInput(), getWeight(), 1, "weight")) ||
      failed(checkElementType(*this, getInput(), getGrad(), 2, "grad")))
    return failure();
  if (getAddend() && getAddend().getType() != getInput().getType())
    return emitOpError() << "operand #3 (addend) must have the input's type "
                         << getInput().getType() << ", but got "
                         << getAddend().getType();
  return success();
}

LogicalResult EmbeddingGradOp::verify() {
  ArrayRef<int64_t> table = tensorOf(getResult()).getShape();
  if (table.size() != 2)
    return emitOpError() << "result must be 2-D [vocab, d], but got "
                         << fmtShape(table);
  SmallVector<int64_t> want(tensorOf(getTokens()).getShape());
  want.push_back(table[1]);
  if (tensorOf(getGrad()).getShape() != ArrayRef<int64_t>(want))
    return emitOpError() << "operand #1 (grad) must have shape "
                         << fmtShape(want) << ", but got "
                         << fmtShape(getGrad());
  return checkResultElementType(*this, getGrad(), "the grad");
}

LogicalResult RMSNormGradOp::verify() {
  return verifyRowNorm(*this, getInput(), getEps().convertToDouble());
}

LogicalResult AddRMSNormGradOp::verify() {
  return verifyRowNorm(*this, getInput(), getEps().convertToDouble());
}

LogicalResult LayerNormGradOp::verify() {
  return verifyRowNorm(*this, getInput(), getEps().convertToDouble());
}

LogicalResult DyTGradOp::verify() {
  return checkElementType(*this, getInput(), getAlpha(), 1, "alpha");
}

LogicalResult DerfGradOp::verify() {
  return checkElementType(*this, getInput(), getAlpha(), 1, "alpha");
}

LogicalResult DerfEMAGradOp::verify() {
  if (failed(checkRankAtLeast(*this, getInput(), 0, "input", 1)) ||
      failed(checkElementType(*this, getInput(), getAlpha(), 1, "alpha")))
    return failure();
  return checkFiniteAttr(*this, "blend", getBlend().convertToDouble(), 0.0,
                         false, 1.0, false);
}

LogicalResult ScaleGradOp::verify() {
  return checkLastDimVector(*this, getInput(), getGamma(), "gamma");
}

LogicalResult NormScaleGradOp::verify() {
  if (failed(checkStatisticsNorm(*this, getKind())) ||
      failed(checkLastDimVector(*this, getInput(), getGamma(), "gamma")))
    return failure();
  if (getAddend() && getAddend().getType() != getInput().getType())
    return emitOpError() << "operand #3 (addend) must have the input's type "
                         << getInput().getType() << ", but got "
                         << getAddend().getType();
  return verifyRowNorm(*this, getInput(), getEps().convertToDouble());
}

LogicalResult FusedCrossEntropyOp::verify() {
  if (failed(verifyLossShapes(*this, getLogits(), getTargets())) ||
      failed(checkResultElementType(*this, getLogits(), "the logits")))
    return failure();
  return checkFiniteAttr(*this, "seed", getSeed().convertToDouble(), -INFINITY,
                         true, INFINITY, true);
}

LogicalResult AttentionGradOp::verify() {
  return verifyAttentionShape(*this, getQuery(), getRopeTheta());
}

LogicalResult CrossEntropyGradOp::verify() {
  return verifyLossShapes(*this, getLogits(), getTargets());
}

#define GET_OP_CLASSES
#include "nf/NFOps.cpp.inc"
