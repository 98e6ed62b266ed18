//===- CppEmitter.cpp - nf IR -> C++ for the CPU target
//---------------------===//
//
// One kernel call per op, with every shape a template argument, so the
// host compiler specializes each loop. Values are pointers where
// nf-prepare-emission placed them (nf.buffers: the arena, the parameter
// buffer P, the gradient buffer G, an operand's storage) or the caller's
// buffers (function arguments); this file decides no placement.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Codegen/CppEmitter.h"
#include "normfuse/Codegen/EmissionPlan.h"
#include "normfuse/Codegen/EmitCommon.h"

#include "nf/NFOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;
using namespace normfuse::emit;

namespace {

class Emitter {
public:
  Emitter(ModuleOp module, raw_ostream &os) : module(module), os(os) {}

  LogicalResult run(EmitReport *report);

private:
  LogicalResult emitFunction(func::FuncOp fn, StringRef signature);
  LogicalResult emitOp(Operation *op);

  /// The C++ name of a value (declared at the top of its function).
  std::string name(Value v) { return names.lookup(v); }
  std::string call(StringRef kernel, ArrayRef<int64_t> dims,
                   ArrayRef<std::string> args) {
    std::string s = ("    " + kernel + "<").str();
    for (auto [i, d] : llvm::enumerate(dims))
      s += (i ? ", " : "") + std::to_string(d);
    s += ">(";
    for (auto [i, a] : llvm::enumerate(args))
      s += (i ? ", " : "") + a;
    return s + ");\n";
  }
  std::string deref(Value v) { return "*" + name(v); }
  /// An optimizer op's optional grad_scale as a float (1 when absent).
  std::string gradScale(Value v) { return v ? deref(v) : "1.f"; }
  std::string paramPtr(StringRef sym) { return paramPointer(table, sym); }

  ModuleOp module;
  raw_ostream &os;
  /// Offsets of every parameter and gradient (shared with the CUDA target).
  ParamTable table;
  const llvm::StringMap<ParamLayout> &layout = table.layout;
  DenseMap<Value, std::string> names;
  std::string body;
  /// Saturation diagnostics of @train_step: one name per slot.
  SmallVector<std::string> diagnosticNames;
  bool inTrainStep = false;
  /// The row statistics cache of each nf.norm_scale whose rows an
  /// nf.norm_scale_grad of the same function reads again (keyed by both;
  /// nf-prepare-emission's nf.row_stats).
  DenseMap<Operation *, std::string> statsNames;

  /// Declares the row statistics caches of `fn` (nf.row_stats on its
  /// nf.norm_scale ops) and maps each nf.norm_scale(_grad) to its cache.
  void declareNormStatistics(func::FuncOp fn) {
    std::map<int64_t, int64_t> floats; // by cache number, in that order
    for (Operation &op : fn.getBody().front()) {
      auto k = op.getAttrOfType<IntegerAttr>(kRowStatsAttr);
      if (!k)
        continue;
      statsNames[&op] = "nf_norm_stats_" + std::to_string(k.getInt());
      if (auto f = dyn_cast<NormScaleOp>(op))
        floats[k.getInt()] =
            rows(f.getInput()) * (f.getKind() == NormKind::LayerNorm ? 2 : 1);
    }
    for (auto [k, n] : floats)
      os << "float nf_norm_stats_" << k << "[" << n << "];\n";
  }

  /// Whether `v` is computed straight into `sym`'s storage in P (an
  /// update in place).
  bool inParam(Value v, StringRef sym) {
    std::optional<Placement> p = placementOf(v);
    return p && p->kind == Placement::Kind::Param && p->param == sym;
  }

  /// Emits the diagnostics of a DyT/Derf layer (train step only, while
  /// the runtime requests them): two saturation fractions and the scale
  /// blindness.
  void emitSaturation(Operation *op, Value x, Value alpha, Value shift,
                      std::string invScale) {
    if (!inTrainStep)
      return;
    std::string layer = layerName(op, "norm");
    std::string shiftArg = shift ? name(shift) : std::string("nullptr");
    body += "    if (nf_diagnostics_request) {\n";
    for (const char *threshold : {"2.f", "1.5f"}) {
      std::string slot = std::to_string(diagnosticNames.size());
      diagnosticNames.push_back(
          (threshold[0] == '2' ? "sat_frac." : "sat_frac_1.5.") + layer);
      body += "      nf_diagnostics[" + slot + "] = saturationFraction<" +
              std::to_string(numel(x)) + ">(" + name(x) + ", " + name(alpha) +
              ", " + shiftArg + ", " + invScale + ", " + threshold + ");\n";
    }
    std::string slot = std::to_string(diagnosticNames.size());
    diagnosticNames.push_back("scale_blind." + layer);
    body += "      nf_diagnostics[" + slot + "] = scaleBlindness<" +
            std::to_string(rows(x)) + ", " + std::to_string(lastDim(x)) + ", " +
            (isa<DyTOp>(op) ? "0" : "1") + ">(" + name(x) + ", " + name(alpha) +
            ", " + shiftArg + ", " + invScale + ");\n";
    body += "    }\n";
  }
};

LogicalResult Emitter::run(EmitReport *report) {
  table = layoutParams(module);
  FailureOr<StepModule> m = readStepModule(module, "CPU");
  if (failed(m) || failed(checkPreparedFor(module, "cpu", "fp32")))
    return failure();
  os << "// Generated by nfc (NormFuse) for model " << m->modelLiteral
     << ". Do not edit: regenerate with `nfc build`.\n"
     << "#include \"nfrt/Model.h\"\n#include \"nfrt/cpu/Kernels.h\"\n\n"
     << "#include <cmath>\n#include <vector>\n\nnamespace {\nusing namespace "
        "nfrt::cpu;\n\n";
  printParamTable(table, os);
  printDiagnosticsBuffer(*m, os);
  os << "int nf_diagnostics_request = 1;\n\n";

  int64_t arena = 0, naive = 0;
  for (StepFunction &fn : m->fns) {
    names.clear();
    // Where each value lives: nf-prepare-emission's plan (gradients in G,
    // updates in P, the memory plan's arena offsets).
    std::optional<ArenaSize> size = arenaOf(fn.op);
    if (!size)
      return failure();
    statsNames.clear();
    declareNormStatistics(fn.op);
    arena = std::max(arena, size->bytes);
    naive = std::max(naive, size->withoutReuse);
    os << "// @" << fn.op.getSymName() << ": arena " << size->bytes
       << " bytes (" << size->withoutReuse << " without reuse)\n";
    inTrainStep = fn.op == m->trainStep();
    body.clear();
    // Every value's pointer, where the plan put it.
    auto pointers = valuePointers(fn.op, table, names, [](const Placement &p) {
      return "reinterpret_cast<float *>(A + " + std::to_string(p.offset) + ")";
    });
    if (failed(pointers))
      return failure();
    std::string decls;
    for (const ValuePointer &v : *pointers)
      decls += "  float *" + v.name + " = " + v.init + ";\n";
    for (Operation &op : fn.op.getBody().front())
      if (failed(emitOp(&op)))
        return failure();
    os << "void " << fn.name << fn.params << " {\n" << decls << body << "}\n\n";
  }

  if (failed(printModelInfo(*m, table, arena, naive, diagnosticNames,
                            "&nf_diagnostics_request", os)))
    return failure();
  if (report) {
    report->arenaBytes = arena;
    report->naiveArenaBytes = naive;
    report->paramFloats = table.paramFloats;
  }
  return success();
}

LogicalResult Emitter::emitOp(Operation *op) {
  std::string &b = body;
  auto ops = [&](auto... vals) {
    return SmallVector<std::string>{name(vals)...};
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<GetParamOp, SplitHeadsOp, MergeHeadsOp>(
          [&](auto) { return success(); }) // pointers only
      .Case([&](FillOp f) {
        b += call("fill", {numel(f)}, {name(f), f32(f.getValue())});
        return success();
      })
      .Case([&](AdamWMultiOp a) {
        // nf-fuse-adamw's in-place update: one parallel loop over every
        // member's elements (OptimizerKernels.h adamwMulti).
        int64_t total = 0;
        for (Value grad : a.getGrads())
          total += numel(grad);
        b += "    {\n" +
             adamwTensorTable(a, table, [&](Value v) { return name(v); });
        b += "  " +
             call("adamwMulti", {int64_t(a.getGrads().size()), total},
                  {"tensors", deref(a.getLr()), deref(a.getStep()),
                   gradScale(a.getGradScale()), f32(a.getBeta1()),
                   f32(a.getBeta2()), f32(a.getEps())}) +
             "    }\n";
        return success();
      })
      .Case([&](AddOp a) {
        b += call("addBroadcast",
                  {numel(a.getLhs()) / numel(a.getRhs()), numel(a.getRhs())},
                  ops(a.getLhs(), a.getRhs(), a.getResult()));
        return success();
      })
      .Case([&](MulOp m) {
        b += call("mulBroadcast",
                  {numel(m.getLhs()) / numel(m.getRhs()), numel(m.getRhs())},
                  ops(m.getLhs(), m.getRhs(), m.getResult()));
        return success();
      })
      .Case([&](ReduceToOp r) {
        b += call("reduceRows", {numel(r.getInput()) / numel(r), numel(r)},
                  ops(r.getInput(), r.getResult()));
        return success();
      })
      .Case([&](ScaleOp s) {
        b += call("mulBroadcast", {rows(s.getInput()), lastDim(s.getInput())},
                  ops(s.getInput(), s.getGamma(), s.getResult()));
        return success();
      })
      .Case([&](NormScaleOp n) {
        // y = gamma norm(x); the row statistics cached when a backward
        // reads them (NormScaleKernels.h).
        Value x = n.getInput();
        std::string stats = statsNames.lookup(n);
        b += call("normScaleForward",
                  {rows(x), lastDim(x), n.getKind() == NormKind::LayerNorm},
                  {name(x), name(n.getGamma()), name(n.getResult()),
                   stats.empty() ? "nullptr" : stats, f32(n.getEps())});
        return success();
      })
      .Case([&](NormScaleGradOp n) -> LogicalResult {
        if (n.getAddend())
          return n.emitOpError(
              "has an addend (nf-fuse-residual-norm), which the CPU emitter "
              "has no kernel for");
        Value x = n.getInput();
        std::string stats = statsNames.lookup(n);
        b += call("normScaleBackward",
                  {rows(x), lastDim(x), n.getKind() == NormKind::LayerNorm},
                  {name(x), name(n.getGamma()),
                   stats.empty() ? "nullptr" : stats, name(n.getGrad()),
                   name(n.getInputGrad()), name(n.getGammaGrad()),
                   f32(n.getEps())});
        return success();
      })
      .Case([&](ScaleGradOp s) {
        b += call("scaleBackward", {rows(s.getInput()), lastDim(s.getInput())},
                  ops(s.getInput(), s.getGamma(), s.getGrad(), s.getInputGrad(),
                      s.getGammaGrad()));
        return success();
      })
      .Case([&](BiasAddOp s) {
        b += call("addBroadcast", {rows(s.getInput()), lastDim(s.getInput())},
                  ops(s.getInput(), s.getBias(), s.getResult()));
        return success();
      })
      .Case([&](RMSNormOp n) {
        auto a = ops(n.getInput(), n.getResult());
        a.push_back(f32(n.getEps()));
        b += call("rmsnormForward", {rows(n.getInput()), lastDim(n.getInput())},
                  a);
        return success();
      })
      .Case([&](RMSNormGradOp n) {
        auto a = ops(n.getInput(), n.getGrad(), n.getResult());
        a.push_back(f32(n.getEps()));
        b += call("rmsnormBackward",
                  {rows(n.getInput()), lastDim(n.getInput())}, a);
        return success();
      })
      .Case([&](LayerNormOp n) {
        auto a = ops(n.getInput(), n.getResult());
        a.push_back(f32(n.getEps()));
        b += call("layernormForward",
                  {rows(n.getInput()), lastDim(n.getInput())}, a);
        return success();
      })
      .Case([&](LayerNormGradOp n) {
        auto a = ops(n.getInput(), n.getGrad(), n.getResult());
        a.push_back(f32(n.getEps()));
        b += call("layernormBackward",
                  {rows(n.getInput()), lastDim(n.getInput())}, a);
        return success();
      })
      .Case([&](DyTOp n) {
        b += call("dytForward", {numel(n.getInput())},
                  ops(n.getInput(), n.getAlpha(), n.getResult()));
        emitSaturation(n, n.getInput(), n.getAlpha(), Value(), "1.f");
        return success();
      })
      .Case([&](DyTGradOp n) {
        b += call("dytBackward", {numel(n.getInput())},
                  ops(n.getInput(), n.getAlpha(), n.getGrad(), n.getInputGrad(),
                      n.getAlphaGrad()));
        return success();
      })
      .Case([&](DerfOp n) {
        b += call("derfForward", {numel(n.getInput())},
                  ops(n.getInput(), n.getAlpha(), n.getShift(), n.getResult()));
        emitSaturation(n, n.getInput(), n.getAlpha(), n.getShift(), "1.f");
        return success();
      })
      .Case([&](DerfGradOp n) {
        b += call("derfBackward", {numel(n.getInput())},
                  ops(n.getInput(), n.getAlpha(), n.getShift(), n.getGrad(),
                      n.getInputGrad(), n.getAlphaGrad(), n.getShiftGrad()));
        return success();
      })
      .Case([&](DerfEMAOp n) {
        auto a = ops(n.getInput(), n.getAlpha(), n.getShift(), n.getRunning(),
                     n.getResult(), n.getNewRunning());
        a.append({f32(n.getMomentum()), f32(n.getBlend())});
        b += call("derfEmaForward", {rows(n.getInput()), lastDim(n.getInput())},
                  a);
        // The effective pre-activation is alpha x / c + s, c = blend r' +
        // 1 - blend.
        emitSaturation(n, n.getInput(), n.getAlpha(), n.getShift(),
                       "1.f / (" + f32(n.getBlend()) + " * " +
                           deref(n.getNewRunning()) + " + 1.f - " +
                           f32(n.getBlend()) + ")");
        return success();
      })
      .Case([&](DerfEMAGradOp n) {
        auto a = ops(n.getInput(), n.getAlpha(), n.getShift(), n.getRunning(),
                     n.getGrad(), n.getInputGrad(), n.getAlphaGrad(),
                     n.getShiftGrad());
        a.push_back(f32(n.getBlend()));
        b += call("derfEmaBackward", {numel(n.getInput())}, a);
        return success();
      })
      .Case([&](LinearOp l) {
        auto w = cast<RankedTensorType>(l.getWeight().getType()).getShape();
        b += call("linearForward", {rows(l.getInput()), w[1], w[0]},
                  ops(l.getInput(), l.getWeight(), l.getResult()));
        return success();
      })
      .Case([&](LinearGradOp l) -> LogicalResult {
        if (l.getAddend())
          return l.emitOpError(
              "has an addend (nf-fuse-grad-accumulate), which the CPU "
              "emitter has no kernel for");
        auto w = cast<RankedTensorType>(l.getWeight().getType()).getShape();
        b += call("linearBackward", {rows(l.getInput()), w[1], w[0]},
                  ops(l.getInput(), l.getWeight(), l.getGrad(),
                      l.getInputGrad(), l.getWeightGrad()));
        return success();
      })
      .Case([&](EmbeddingOp e) {
        // The vocabulary size lets the kernel's id check (NFRT_CHECK_TOKEN_IDS)
        // catch ids past the table, not only negative ones.
        b += call(
            "embeddingForward",
            {numel(e.getTokens()), lastDim(e.getTable()), rows(e.getTable())},
            ops(e.getTokens(), e.getTable(), e.getResult()));
        return success();
      })
      .Case([&](EmbeddingGradOp e) {
        auto t = cast<RankedTensorType>(e.getType()).getShape();
        b += call("embeddingBackward", {numel(e.getTokens()), t[0], t[1]},
                  ops(e.getTokens(), e.getGrad(), e.getResult()));
        return success();
      })
      .Case([&](AttentionOp a) {
        auto s = cast<RankedTensorType>(a.getType()).getShape();
        auto args = ops(a.getQuery(), a.getKey(), a.getValue(), a.getResult());
        args.push_back(
            f64(a.getRopeTheta() ? a.getRopeTheta()->convertToDouble() : 0.0));
        b += call("attentionForward", s, args);
        return success();
      })
      .Case([&](AttentionGradOp a) {
        auto s = cast<RankedTensorType>(a.getQuery().getType()).getShape();
        auto args = ops(a.getQuery(), a.getKey(), a.getValue(), a.getGrad(),
                        a.getQueryGrad(), a.getKeyGrad(), a.getValueGrad());
        args.push_back(
            f64(a.getRopeTheta() ? a.getRopeTheta()->convertToDouble() : 0.0));
        b += call("attentionBackward", s, args);
        return success();
      })
      .Case([&](GeluOp g) {
        b += call("geluForward", {numel(g)}, ops(g.getInput(), g.getResult()));
        return success();
      })
      .Case([&](GeluGradOp g) {
        b += call("geluBackward", {numel(g)},
                  ops(g.getInput(), g.getGrad(), g.getResult()));
        return success();
      })
      .Case([&](SiluOp g) {
        b += call("siluForward", {numel(g)}, ops(g.getInput(), g.getResult()));
        return success();
      })
      .Case([&](SiluGradOp g) {
        b += call("siluBackward", {numel(g)},
                  ops(g.getInput(), g.getGrad(), g.getResult()));
        return success();
      })
      .Case([&](CrossEntropyOp c) {
        b += call("crossEntropyForward",
                  {rows(c.getLogits()), lastDim(c.getLogits())},
                  ops(c.getLogits(), c.getTargets(), c.getResult()));
        return success();
      })
      .Case([&](FusedCrossEntropyOp c) {
        // One pass over each row for the loss and dlogits (nf-fuse-loss).
        auto a =
            ops(c.getLogits(), c.getTargets(), c.getLoss(), c.getLogitsGrad());
        a.push_back(f32(c.getSeed()));
        b += call("crossEntropyFused",
                  {rows(c.getLogits()), lastDim(c.getLogits())}, a);
        return success();
      })
      .Case([&](CrossEntropyGradOp c) {
        b += call(
            "crossEntropyBackward",
            {rows(c.getLogits()), lastDim(c.getLogits())},
            ops(c.getLogits(), c.getTargets(), c.getGrad(), c.getResult()));
        return success();
      })
      .Case([&](AssignStateOp a) {
        if (inParam(a.getValue(), a.getName()))
          return success(); // computed in place
        b += call("copy", {numel(a.getValue())},
                  {name(a.getValue()), paramPtr(a.getName())});
        return success();
      })
      .Case([&](UpdateParamOp a) {
        if (inParam(a.getValue(), a.getName()))
          return success(); // computed in place
        b += call("copy", {numel(a.getValue())},
                  {name(a.getValue()), paramPtr(a.getName())});
        return success();
      })
      .Case([&](GlobalNormOp g) {
        b += "    {\n      double sumsq = 0.0;\n";
        for (Value t : g.getTensors())
          b += "      sumsq += sumOfSquares<" + std::to_string(numel(t)) +
               ">(" + name(t) + ");\n";
        b += "      " + deref(g) + " = float(std::sqrt(sumsq));\n    }\n";
        return success();
      })
      .Case([&](ClipCoefOp c) {
        b += "    " + deref(c) + " = clipCoef(" + deref(c.getNorm()) + ", " +
             f32(c.getMaxNorm()) + ");\n";
        return success();
      })
      .Case([&](LRFactorOp l) {
        const char *kinds[] = {"Constant", "WarmupCosine", "WSD"};
        b += "    " + deref(l) + " = lrFactor(" + deref(l.getStep()) +
             ", Schedule::" + kinds[static_cast<int>(l.getKind())] + ", " +
             std::to_string(l.getWarmup()) + ", " +
             std::to_string(l.getTotal()) + ", " +
             std::to_string(l.getDecay()) + ", " + f32(l.getMinRatio()) +
             ");\n";
        return success();
      })
      .Case([&](AdamWOp a) {
        b +=
            call("adamw", {numel(a.getParam())},
                 {name(a.getParam()), name(a.getGrad()), name(a.getM()),
                  name(a.getV()), deref(a.getLr()), deref(a.getStep()),
                  gradScale(a.getGradScale()), f32(a.getBeta1()),
                  f32(a.getBeta2()), f32(a.getEps()), f32(a.getWeightDecay()),
                  name(a.getNewParam()), name(a.getNewM()), name(a.getNewV())});
        return success();
      })
      .Case([&](MomentumOp m) {
        b += call("momentum", {numel(m.getGrad())},
                  {name(m.getGrad()), name(m.getBuffer()),
                   gradScale(m.getGradScale()), f32(m.getBeta()),
                   m.getNesterov() ? "true" : "false", name(m.getNewBuffer()),
                   name(m.getUpdate())});
        return success();
      })
      .Case([&](NewtonSchulzOp n) {
        auto s = cast<RankedTensorType>(n.getType()).getShape();
        b += call("newtonSchulz", s,
                  {name(n.getInput()), name(n.getResult()),
                   std::to_string(n.getSteps()), f32(n.getA()), f32(n.getB()),
                   f32(n.getC())});
        return success();
      })
      .Case([&](MuonApplyOp m) {
        b += call("muonApply", {numel(m.getParam())},
                  {name(m.getParam()), name(m.getOrtho()), deref(m.getLr()),
                   f32(m.getFactor()), f32(m.getWeightDecay()),
                   name(m.getResult())});
        return success();
      })
      .Case([&](func::ReturnOp r) {
        auto fn = r->getParentOfType<func::FuncOp>();
        if (fn.getSymName() == "optimizer_step") {
          b += "    *out_grad_norm = " + deref(r.getOperand(0)) + ";\n";
          b += "    *out_lr = " + deref(r.getOperand(1)) + ";\n";
          return success();
        }
        b += "    *out_loss = " + deref(r.getOperand(0)) + ";\n";
        for (unsigned i = 1; i < r.getNumOperands(); ++i) {
          auto of = fn.getResultAttrOfType<StringAttr>(i, "nf.grad_of");
          std::optional<Placement> p = placementOf(r.getOperand(i));
          if (p && p->kind == Placement::Kind::Gradient)
            continue; // computed in place
          b += call("copy", {numel(r.getOperand(i))},
                    {name(r.getOperand(i)),
                     "G + " + std::to_string(
                                  layout.lookup(of.getValue()).gradOffset)});
        }
        return success();
      })
      .Case([&](MuonOp m) {
        return m.emitOpError("run nf-lower-optimizer before emitting C++");
      })
      .Case([&](FusedNormLinearOp f) {
        // Normalize once into a scratch buffer, then one folded GEMM per
        // branch (runtime/include/nfrt/cpu/FusedKernels.h).
        const char *kinds[] = {"RMSNorm", "LayerNorm", "DyT", "Derf"};
        int64_t n = rows(f.getInput()), d = lastDim(f.getInput());
        ValueRange s = f.getNormScalars();
        b += "    {\n      std::vector<float> xn(" + std::to_string(n * d) +
             ");\n";
        b += "  " +
             call("fusedNormalize", {n, d},
                  {std::string("FusedNorm::") +
                       kinds[static_cast<int>(f.getKind())],
                   name(f.getInput()), s.size() > 0 ? name(s[0]) : "nullptr",
                   s.size() > 1 ? name(s[1]) : "nullptr",
                   f.getEps() ? f32(*f.getEps()) : "0.f", "xn.data()"});
        for (auto [i, w] : llvm::enumerate(f.getWeights())) {
          auto ws = cast<RankedTensorType>(w.getType()).getShape();
          Value gamma = f.getGammaOf(i), beta = f.getBiasOf(i);
          b += "  " +
               call("foldedLinearForward", {n, ws[1], ws[0]},
                    {"xn.data()", name(w), gamma ? name(gamma) : "nullptr",
                     beta ? name(beta) : "nullptr", name(f.getResult(i))});
        }
        b += "    }\n";
        return success();
      })
      .Default([&](Operation *other) {
        return other->emitOpError("the CPU emitter has no kernel for this op");
      });
}

} // namespace

LogicalResult normfuse::emitCpp(ModuleOp module, raw_ostream &os,
                                EmitReport *report) {
  return Emitter(module, os).run(report);
}
