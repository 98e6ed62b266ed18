//===- Evaluate.cpp - walks a function, one reference op per nf op --------===//
//
// The function's ops run in order (nf functions are one block of pure ops,
// nf.assign_state aside). Each nf op maps to its kernel in ReferenceOps.h;
// an op without a rule stops the evaluation with an error naming it, never
// a silent skip. Every result's shape is checked against its type, and a
// value is dropped after its last use so that a whole batch fits in memory.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Interpreter/Interpreter.h"
#include "normfuse/Interpreter/ReferenceOps.h"

#include "nf/NFOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::nf;
using normfuse::interp::ParamStore;
using normfuse::interp::Signature;
using normfuse::interp::Tensor;
namespace ref = normfuse::interp;

static llvm::Error error(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// "layers.0.attn" for the importer's NameLoc, "f.mlir:3:8" for a parsed
/// file: where an op came from, in an error message.
static std::string describe(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", file.getFilename().getValue(),
                         file.getLine(), file.getColumn())
        .str();
  std::string text;
  llvm::raw_string_ostream os(text);
  os << loc;
  return text;
}

static bool isIdTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getElementType().isInteger(32);
}

/// The last op of `body` that reads each value: after it, the evaluator
/// drops the value (Evaluator::run), and evaluationBytes counts it freed.
static llvm::DenseMap<Value, Operation *> lastUsers(Block &body) {
  llvm::DenseMap<Value, Operation *> last;
  for (Operation &op : body)
    for (Value operand : op.getOperands())
      last[operand] = &op;
  return last;
}

namespace {

class Evaluator {
public:
  explicit Evaluator(ParamStore &store) : store(store) {}

  llvm::Expected<std::vector<Tensor>>
  run(func::FuncOp fn, llvm::ArrayRef<std::vector<int32_t>> args);

private:
  llvm::Error step(Operation *op);
  llvm::Error fusedNormLinear(FusedNormLinearOp op);

  const Tensor &get(Value v) { return values.find(v)->second; }
  double scalar(Value v) { return get(v).data[0]; }
  llvm::ArrayRef<int32_t> idsOf(Value v) { return ids.lookup(v); }
  llvm::Error set(Value v, Tensor t);

  ParamStore &store;
  llvm::DenseMap<Value, Tensor> values;
  llvm::DenseMap<Value, llvm::ArrayRef<int32_t>> ids;
};

} // namespace

llvm::Error Evaluator::set(Value v, Tensor t) {
  // The kernels trust the verifier; this check catches a kernel (or a
  // parameter value) whose shape disagrees with the IR.
  ArrayRef<int64_t> expected = cast<RankedTensorType>(v.getType()).getShape();
  if (ArrayRef<int64_t>(t.shape) != expected)
    return error("computed a tensor of shape " + ref::formatShape(t.shape) +
                 " where the IR says " + ref::formatShape(expected) +
                 " (a bug in the interpreter or in the parameter values)");
  values[v] = std::move(t);
  return llvm::Error::success();
}

// fused_norm_linear (NFOps.td), for every weight W_i:
//   result_i = linear(scale(norm(x), gamma_i) [+ beta_i], W_i)
// with gamma_i / beta_i absent, shared by every branch or one per branch.
llvm::Error Evaluator::fusedNormLinear(FusedNormLinearOp op) {
  const Tensor &x = get(op.getInput());
  ValueRange s = op.getNormScalars();
  Tensor y;
  switch (op.getKind()) {
  case NormKind::RMSNorm:
    y = ref::rmsnorm(x, op.getEps()->convertToDouble());
    break;
  case NormKind::LayerNorm:
    y = ref::layernorm(x, op.getEps()->convertToDouble());
    break;
  case NormKind::DyT:
    y = ref::dyt(x, scalar(s[0]));
    break;
  case NormKind::Derf:
    y = ref::derf(x, scalar(s[0]), scalar(s[1]));
    break;
  }
  for (auto [i, w] : llvm::enumerate(op.getWeights())) {
    Tensor in = y;
    if (Value gamma = op.getGammaOf(i))
      in = ref::scale(in, get(gamma));
    if (Value beta = op.getBiasOf(i))
      in = ref::biasAdd(in, get(beta));
    if (llvm::Error e = set(op.getResult(i), ref::linear(in, get(w))))
      return e;
  }
  return llvm::Error::success();
}

llvm::Error Evaluator::step(Operation *op) {
  using llvm::Error;
  return llvm::TypeSwitch<Operation *, Error>(op)
      .Case([&](GetParamOp p) -> Error {
        auto it = store.find(p.getName());
        if (it == store.end())
          return error("no value for parameter @" + p.getName());
        return set(p, it->second);
      })
      .Case([&](AssignStateOp a) -> Error {
        store[a.getName()] = get(a.getValue());
        return Error::success();
      })
      .Case([&](FillOp f) {
        Tensor t =
            Tensor::zeros(cast<RankedTensorType>(f.getType()).getShape());
        std::fill(t.data.begin(), t.data.end(), f.getValue().convertToDouble());
        return set(f, std::move(t));
      })
      .Case([&](RMSNormOp n) {
        return set(
            n, ref::rmsnorm(get(n.getInput()), n.getEps().convertToDouble()));
      })
      .Case([&](AddRMSNormOp n) -> Error {
        Tensor sum = ref::add(get(n.getLhs()), get(n.getRhs()));
        Tensor normed = ref::rmsnorm(sum, n.getEps().convertToDouble());
        if (Value gamma = n.getGamma())
          normed = ref::scale(normed, get(gamma));
        if (Error e = set(n.getSum(), std::move(sum)))
          return e;
        return set(n.getResult(), std::move(normed));
      })
      .Case([&](LayerNormOp n) {
        return set(
            n, ref::layernorm(get(n.getInput()), n.getEps().convertToDouble()));
      })
      .Case([&](DyTOp n) {
        return set(n, ref::dyt(get(n.getInput()), scalar(n.getAlpha())));
      })
      .Case([&](DerfOp n) {
        return set(n, ref::derf(get(n.getInput()), scalar(n.getAlpha()),
                                scalar(n.getShift())));
      })
      .Case([&](DerfEMAOp n) -> Error {
        ref::DerfEMAResult r = ref::derfEma(
            get(n.getInput()), scalar(n.getAlpha()), scalar(n.getShift()),
            scalar(n.getRunning()), n.getMomentum().convertToDouble(),
            n.getBlend().convertToDouble());
        Tensor running = Tensor::zeros({});
        running.data[0] = r.newRunning;
        if (Error e = set(n.getResult(), std::move(r.y)))
          return e;
        return set(n.getNewRunning(), std::move(running));
      })
      .Case([&](ScaleOp s) {
        return set(s, ref::scale(get(s.getInput()), get(s.getGamma())));
      })
      .Case([&](NormScaleOp n) {
        double eps = n.getEps().convertToDouble();
        const Tensor &x = get(n.getInput());
        Tensor y = n.getKind() == NormKind::LayerNorm ? ref::layernorm(x, eps)
                                                      : ref::rmsnorm(x, eps);
        return set(n, ref::scale(y, get(n.getGamma())));
      })
      .Case([&](BiasAddOp b) {
        return set(b, ref::biasAdd(get(b.getInput()), get(b.getBias())));
      })
      .Case([&](AddOp a) {
        return set(a, ref::add(get(a.getLhs()), get(a.getRhs())));
      })
      .Case([&](MulOp m) {
        return set(m, ref::mul(get(m.getLhs()), get(m.getRhs())));
      })
      .Case([&](GeluOp g) { return set(g, ref::gelu(get(g.getInput()))); })
      .Case([&](SiluOp s) { return set(s, ref::silu(get(s.getInput()))); })
      .Case([&](LinearOp l) {
        return set(l, ref::linear(get(l.getInput()), get(l.getWeight())));
      })
      .Case([&](EmbeddingOp e) -> Error {
        llvm::Expected<Tensor> y = ref::embedding(
            idsOf(e.getTokens()), e.getTokens().getType().getShape(),
            get(e.getTable()));
        if (!y)
          return y.takeError();
        return set(e, std::move(*y));
      })
      .Case([&](SplitHeadsOp s) {
        int64_t heads = s.getType().getShape()[2];
        return set(s, ref::splitHeads(get(s.getInput()), heads));
      })
      .Case([&](MergeHeadsOp m) {
        return set(m, ref::mergeHeads(get(m.getInput())));
      })
      .Case([&](AttentionOp a) {
        std::optional<double> theta;
        if (std::optional<llvm::APFloat> t = a.getRopeTheta())
          theta = t->convertToDouble();
        return set(a, ref::attention(get(a.getQuery()), get(a.getKey()),
                                     get(a.getValue()), theta));
      })
      .Case([&](FusedNormLinearOp f) { return fusedNormLinear(f); })
      .Case([&](CrossEntropyOp c) -> Error {
        llvm::Expected<double> loss =
            ref::crossEntropy(get(c.getLogits()), idsOf(c.getTargets()));
        if (!loss)
          return loss.takeError();
        Tensor t = Tensor::zeros({});
        t.data[0] = *loss;
        return set(c, std::move(t));
      })
      .Default([&](Operation *other) {
        return error("the interpreter has no rule for '" +
                     other->getName().getStringRef() + "'");
      });
}

llvm::Expected<std::vector<Tensor>>
Evaluator::run(func::FuncOp fn, llvm::ArrayRef<std::vector<int32_t>> args) {
  for (auto [i, arg] : llvm::enumerate(fn.getArguments())) {
    auto type = cast<RankedTensorType>(arg.getType());
    if (args[i].size() != size_t(type.getNumElements()))
      return error(llvm::formatv("argument #{0} of @{1} holds {2} ids, got "
                                 "{3}",
                                 i, fn.getName(), type.getNumElements(),
                                 args[i].size()));
    ids[arg] = args[i];
  }
  // The last op that reads each value: after it, the value is dropped.
  Block &body = fn.getBody().front();
  llvm::DenseMap<Value, Operation *> lastUser = lastUsers(body);

  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (Value v : ret.getOperands()) {
        auto it = values.find(v);
        if (it == values.end())
          return error("@" + fn.getName() +
                       " returns a value that no op "
                       "computed (an argument?)");
        results.push_back(it->second);
      }
      return results;
    }
    if (llvm::Error e = step(&op))
      return error("at " + describe(op.getLoc()) + ": " +
                   llvm::toString(std::move(e)));
    for (Value operand : op.getOperands())
      if (lastUser.lookup(operand) == &op)
        values.erase(operand);
  }
  return error("@" + fn.getName() + " has no return");
}

normfuse::interp::EvaluationBytes
normfuse::interp::evaluationBytes(ModuleOp module, llvm::StringRef function) {
  EvaluationBytes bytes;
  auto fn = module.lookupSymbol<func::FuncOp>(function);
  if (!fn || fn.isExternal())
    return bytes;
  auto size = [](Type type) -> uint64_t {
    auto t = dyn_cast<RankedTensorType>(type);
    if (!t || !t.hasStaticShape())
      return 0;
    // Token ids are int32; everything else is a double.
    return uint64_t(t.getNumElements()) *
           (isIdTensor(t) ? sizeof(int32_t) : sizeof(double));
  };
  for (ParamOp p : module.getOps<ParamOp>())
    bytes.params += size(p.getTensorType());
  // The same liveness as Evaluator::run.
  Block &body = fn.getBody().front();
  llvm::DenseMap<Value, Operation *> lastUser = lastUsers(body);
  uint64_t live = 0, peak = 0, largest = 0;
  for (BlockArgument arg : body.getArguments())
    live += size(arg.getType());
  for (Operation &op : body) {
    for (Value result : op.getResults()) {
      live += size(result.getType());
      largest = std::max(largest, size(result.getType()));
    }
    peak = std::max(peak, live);
    llvm::SmallDenseSet<Value, 8> dropped; // an operand read twice drops once
    for (Value operand : op.getOperands())
      if (lastUser.lookup(operand) == &op && operand.getDefiningOp() &&
          dropped.insert(operand).second)
        live -= size(operand.getType());
  }
  bytes.values = peak + largest;
  return bytes;
}

llvm::Expected<Signature>
normfuse::interp::signatureOf(ModuleOp module, llvm::StringRef function) {
  auto fn = module.lookupSymbol<func::FuncOp>(function);
  if (!fn || fn.isExternal())
    return error("the module has no function @" + function + " to evaluate");
  if (fn.getNumResults() == 0)
    return error("@" + function + " returns nothing to print");
  Signature sig;
  for (auto [i, type] : llvm::enumerate(fn.getArgumentTypes())) {
    if (!isIdTensor(type))
      return error(llvm::formatv("argument #{0} of @{1} is not a tensor of "
                                 "i32 token ids; the interpreter feeds "
                                 "only token ids (tokens, targets)",
                                 i, function));
    size_t n = cast<RankedTensorType>(type).getNumElements();
    if (i > 0 && n != sig.idsPerArg)
      return error("the arguments of @" + function +
                   " differ in size; a token file holds equal numbers of "
                   "tokens and targets");
    sig.idsPerArg = n;
    ++sig.numIdArgs;
  }
  // The vocabulary: the rows of the embedding table, else the logits'
  // width; random ids are drawn from it.
  fn.walk([&](Operation *op) {
    if (sig.vocab)
      return;
    if (auto e = dyn_cast<EmbeddingOp>(op))
      sig.vocab = cast<RankedTensorType>(e.getTable().getType()).getShape()[0];
    else if (auto c = dyn_cast<CrossEntropyOp>(op))
      sig.vocab =
          cast<RankedTensorType>(c.getLogits().getType()).getShape().back();
  });
  return sig;
}

llvm::Expected<std::vector<Tensor>>
normfuse::interp::evaluate(ModuleOp module, llvm::StringRef function,
                           llvm::ArrayRef<std::vector<int32_t>> ids,
                           ParamStore &store) {
  llvm::Expected<Signature> sig = signatureOf(module, function);
  if (!sig)
    return sig.takeError();
  if (ids.size() != sig->numIdArgs)
    return error(llvm::formatv("@{0} takes {1} id tensors, got {2}", function,
                               sig->numIdArgs, ids.size()));
  return Evaluator(store).run(module.lookupSymbol<func::FuncOp>(function), ids);
}
