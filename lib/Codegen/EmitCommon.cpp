//===- EmitCommon.cpp - helpers shared by the C++ and CUDA emitters -------===//
#include "normfuse/Codegen/EmitCommon.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::nf;

namespace normfuse::emit {

int64_t numel(Value v) {
  return cast<RankedTensorType>(v.getType()).getNumElements();
}
int64_t lastDim(Value v) {
  auto shape = cast<RankedTensorType>(v.getType()).getShape();
  return shape.empty() ? 1 : shape.back();
}
int64_t rows(Value v) { return numel(v) / lastDim(v); }

std::string f32(double v) {
  std::string s = llvm::formatv("{0}", llvm::format("%.9g", v)).str();
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".";
  return s + "f";
}
std::string f32(const APFloat &v) { return f32(v.convertToDouble()); }
std::string f64(double v) {
  return llvm::formatv("{0}", llvm::format("%.17g", v)).str();
}

ParamTable layoutParams(ModuleOp module) {
  ParamTable t;
  for (ParamOp p : module.getOps<ParamOp>()) {
    ParamLayout l;
    l.offset = t.paramFloats;
    t.paramFloats += (p.getTensorType().getNumElements() + 15) / 16 * 16;
    if (p.getGroup() != ParamGroup::State) {
      l.gradOffset = t.gradFloats;
      t.gradFloats += (p.getTensorType().getNumElements() + 15) / 16 * 16;
    }
    t.layout[p.getSymName()] = l;
    t.params.push_back(p);
  }
  return t;
}

void printParamTable(const ParamTable &table, llvm::raw_ostream &os) {
  os << "constexpr nfrt::ParamInfo kParams[] = {\n";
  for (ParamOp p : table.params) {
    auto type = p.getTensorType();
    const ParamLayout &l = table.layout.lookup(p.getSymName());
    os << "    {" << cppStringLiteral(p.getSymName()) << ", " << l.offset
       << ", " << type.getNumElements() << ", " << type.getRank() << ", {";
    for (int64_t i = 0; i < 4; ++i)
      os << (i ? ", " : "") << (i < type.getRank() ? type.getShape()[i] : 0);
    InitAttr init = p.getInit();
    const char *initKind[] = {"Normal", "Ones", "Zeros", "Constant"};
    os << "}, \"" << stringifyParamGroup(p.getGroup())
       << "\", nfrt::InitKind::" << initKind[static_cast<int>(init.getKind())]
       << ", " << f64(init.getValue().convertToDouble()) << ", " << l.gradOffset
       << ", nfrt::OptimizerKind::";
    if (!p.getOptimizer())
      os << "None";
    else
      os << (*p.getOptimizer() == OptimizerKind::Muon ? "Muon" : "AdamW");
    os << ", "
       << f64(p.getWeightDecay() ? p.getWeightDecay()->convertToDouble() : 0)
       << "},\n";
  }
  os << "};\n\n";
}

DenseMap<Value, int64_t> gradientsInPlace(func::FuncOp fn,
                                          const ParamTable &table) {
  DenseMap<Value, int64_t> out;
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  DenseMap<Value, int> times;
  for (Value v : ret.getOperands())
    ++times[v];
  for (unsigned i = 1; i < ret.getNumOperands(); ++i) {
    Value v = ret.getOperand(i);
    Operation *def = v.getDefiningOp();
    auto of = fn.getResultAttrOfType<StringAttr>(i, "nf.grad_of");
    if (!def || !of || times[v] != 1 ||
        isa<GetParamOp, SplitHeadsOp, MergeHeadsOp>(def) ||
        llvm::any_of(v.getUsers(), [](Operation *u) {
          return isa<SplitHeadsOp, MergeHeadsOp>(u);
        }))
      continue;
    out[v] = table.layout.lookup(of.getValue()).gradOffset;
  }
  return out;
}

FailureOr<SmallVector<ValuePointer>>
valuePointers(func::FuncOp fn, const ParamTable &table,
              DenseMap<Value, std::string> &names,
              function_ref<std::string(const Placement &)> arenaPointer) {
  SmallVector<ValuePointer> out;
  DenseMap<Value, Value> owner;
  for (auto [i, arg] : llvm::enumerate(fn.getArguments())) {
    names[arg] = argumentName(fn, i, table);
    owner[arg] = arg;
  }
  int64_t counter = 0;
  for (Operation &op : fn.getBody().front())
    for (Value r : op.getResults()) {
      std::optional<Placement> p = placementOf(r);
      if (!p)
        return failure();
      ValuePointer v{r, r, *p, "v" + std::to_string(counter++), ""};
      switch (p->kind) {
      case Placement::Kind::Param:
        v.init = paramPointer(table, p->param);
        break;
      case Placement::Kind::Gradient:
        v.init = "G + " + std::to_string(p->offset);
        break;
      case Placement::Kind::Operand:
        v.owner = owner.lookup(op.getOperand(p->offset));
        v.init = names.lookup(v.owner);
        break;
      case Placement::Kind::Arena:
        v.init = arenaPointer(*p);
        break;
      }
      names[r] = v.name;
      owner[r] = v.owner;
      out.push_back(std::move(v));
    }
  return out;
}

std::string layerName(Operation *op, StringRef fallback) {
  if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
    return loc.getName().str();
  return fallback.str();
}

std::string paramPointer(const ParamTable &table, StringRef sym) {
  return "P + " + std::to_string(table.layout.lookup(sym).offset);
}

std::string adamwTensorTable(AdamWMultiOp op, const ParamTable &table,
                             llvm::function_ref<std::string(Value)> name) {
  std::string s = "      const AdamWTensor tensors[] = {\n";
  for (auto [i, grad] : llvm::enumerate(op.getGrads())) {
    auto ptr = [&](ArrayAttr list) {
      return paramPointer(table, cast<FlatSymbolRefAttr>(list[i]).getValue());
    };
    s += "          {" + ptr(op.getParams()) + ", " + name(grad) + ", " +
         ptr(op.getM()) + ", " + ptr(op.getV()) + ", " +
         std::to_string(numel(grad)) + ", " + f32(op.getWeightDecays()[i]) +
         "},\n";
  }
  return s + "      };\n";
}

FailureOr<StepModule> readStepModule(ModuleOp module, StringRef target) {
  StepModule m;
  m.fns[0] = {module.lookupSymbol<func::FuncOp>("forward"), "forward",
              "(float *P, char *A, const int32_t *tokens, "
              "const int32_t *targets, float *out_loss)",
              "P, A, tokens, targets, out_loss"};
  m.fns[1] = {module.lookupSymbol<func::FuncOp>("train_step"), "train_step",
              "(float *P, char *A, const int32_t *tokens, "
              "const int32_t *targets, float *out_loss, float *G)",
              "P, A, tokens, targets, out_loss, G"};
  m.fns[2] = {module.lookupSymbol<func::FuncOp>("optimizer_step"),
              "optimizer_step",
              "(float *P, char *A, float *G, float *out_grad_norm, "
              "float *out_lr)",
              "P, A, G, out_grad_norm, out_lr"};
  if (!m.forward() || !m.trainStep() || !m.optimizerStep())
    return module.emitError()
           << "the " << target
           << " emitter needs @forward, @train_step (nf-autodiff) "
              "and @optimizer_step (nf-optimizer-step)";
  auto name = module->getAttrOfType<StringAttr>("nf.model");
  m.modelLiteral = cppStringLiteral(name ? name.getValue() : "model");
  auto ids = cast<RankedTensorType>(m.forward().getArgument(0).getType());
  m.batch = ids.getShape()[0];
  m.seqLen = ids.getShape()[1];
  m.forward().walk(
      [&](CrossEntropyOp ce) { m.vocab = lastDim(ce.getLogits()); });
  m.trainStep().walk([&](Operation *op) {
    m.saturatingNorms += isa<DyTOp, DerfOp, DerfEMAOp>(op);
  });
  return m;
}

std::string argumentName(func::FuncOp fn, unsigned i, const ParamTable &table) {
  if (auto gradOf = fn.getArgAttrOfType<StringAttr>(i, "nf.grad_of"))
    return "(G + " +
           std::to_string(table.layout.lookup(gradOf.getValue()).gradOffset) +
           ")";
  return i == 0 ? "tokens" : "targets";
}

void printDiagnosticsBuffer(const StepModule &m, raw_ostream &os) {
  os << "float nf_diagnostics["
     << std::max<int64_t>(kDiagnosticsPerNorm * m.saturatingNorms, 1) << "];\n";
}

LogicalResult printModelInfo(const StepModule &m, const ParamTable &t,
                             int64_t arenaBytes, int64_t naiveBytes,
                             ArrayRef<std::string> diagnosticNames,
                             StringRef targetFields, raw_ostream &os) {
  if (int64_t(diagnosticNames.size()) > kDiagnosticsPerNorm * m.saturatingNorms)
    return m.trainStep().emitError("internal: ")
           << diagnosticNames.size()
           << " diagnostics do not fit the host buffer of "
           << kDiagnosticsPerNorm * m.saturatingNorms;
  os << "const char *const kDiagnosticNames[] = {";
  for (const std::string &n : diagnosticNames)
    os << cppStringLiteral(n) << ", ";
  os << "nullptr};\n\n";
  os << "} // namespace\n\n"
     << "extern \"C\" const nfrt::ModelInfo nf_model = {\n"
     << "    " << m.modelLiteral << ", " << m.batch << ", " << m.seqLen << ", "
     << m.vocab << ",\n    kParams, " << t.params.size() << ", "
     << t.paramFloats << ", " << t.gradFloats << ",\n    " << arenaBytes << ", "
     << naiveBytes
     << ", forward, train_step, optimizer_step,\n    nf_diagnostics, "
        "kDiagnosticNames, "
     << diagnosticNames.size() << ", " << targetFields << "};\n";
  return success();
}

} // namespace normfuse::emit
