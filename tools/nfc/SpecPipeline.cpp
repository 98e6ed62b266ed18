//===- SpecPipeline.cpp - the pass pipeline a spec selects
//------------------===//
#include "SpecPipeline.h"

#include "normfuse/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/WithColor.h"

using namespace normfuse;
namespace fbs = nf::spec;

std::string normfuse::specPipeline(const LoadedSpec &loaded) {
  const fbs::SpecT &spec = *loaded.spec;
  const fbs::ScaleVectorsT &sv = *spec.scale_vectors;
  const fbs::OptimizerT &opt = *spec.optimizer;
  // unified means heterogeneity, placement=both and reparam=vector (unless
  // a reparam is given): the pipeline says so, so that it reads as what it
  // does (nf-default-pipeline applies the same rule).
  bool heterogeneity = sv.unified || sv.heterogeneity;
  const char *placement =
      sv.unified ? "both" : fbs::EnumNamePlacement(sv.placement);
  const char *reparam = sv.unified && sv.reparam == fbs::Reparam_none
                            ? "vector"
                            : fbs::EnumNameReparam(sv.reparam);
  return llvm::formatv(
             "nf-default-pipeline{{unified={0} heterogeneity={1} "
             "placement={2} reparam={3} drop={4} optimizer={5} "
             "weight-decay={6} decay-input-norm={7} decay-output-norm={8}}",
             sv.unified, heterogeneity, placement, reparam,
             fbs::EnumNameDropScales(sv.drop),
             fbs::EnumNameOptimizerKind(opt.kind),
             llvm::formatv("{0}", llvm::format("%.17g", opt.weight_decay)),
             sv.decay_input_norm, sv.decay_output_norm)
      .str();
}

std::string normfuse::trainingPipeline(const LoadedSpec &loaded) {
  const fbs::SpecT &spec = *loaded.spec;
  const fbs::OptimizerT &o = *spec.optimizer;
  const fbs::ScheduleT &s = *spec.schedule;
  auto num = [](double v) {
    return llvm::formatv("{0}", llvm::format("%.17g", v)).str();
  };
  return specPipeline(loaded) + ",nf-autodiff," +
         llvm::formatv(
             "nf-optimizer-step{{lr={0} beta1={1} beta2={2} eps={3} "
             "muon-lr={4} muon-momentum={5} nesterov={6} ns-steps={7} "
             "muon-scale={8} grad-clip={9} schedule={10} warmup={11} "
             "total={12} decay={13} min-ratio={14}}",
             num(o.lr), num(o.beta1), num(o.beta2), num(o.eps), num(o.muon_lr),
             num(o.muon_momentum), o.muon_nesterov, o.muon_ns_steps,
             fbs::EnumNameMuonScale(o.muon_scale), num(o.grad_clip),
             fbs::EnumNameScheduleKind(s.kind), s.warmup_steps, spec.run->steps,
             s.decay_steps, num(s.min_lr_ratio))
             .str() +
         ",nf-lower-optimizer";
}

mlir::LogicalResult normfuse::runPipeline(mlir::ModuleOp module,
                                          llvm::StringRef passes,
                                          const LoadedSpec *spec) {
  std::string text = passes.str();
  if (passes == "default" && spec)
    text = specPipeline(*spec);
  // The anchored form nf-opt's --pass-pipeline takes is accepted too.
  llvm::StringRef inner = text;
  if (inner.consume_front("builtin.module(") && inner.consume_back(")"))
    text = inner.str();
  mlir::PassManager pm(module->getName());
  // --mlir-print-ir-*, --mlir-pass-statistics, --mlir-timing (nfc.cpp).
  if (failed(mlir::applyPassManagerCLOptions(pm)))
    return mlir::failure();
  mlir::applyDefaultTimingPassManagerCLOptions(pm);
  std::string parseErrors;
  llvm::raw_string_ostream errorStream(parseErrors);
  if (failed(mlir::parsePassPipeline(text, pm, errorStream))) {
    // The parser adds the pipeline text and a caret; one line is enough.
    llvm::StringRef first = llvm::StringRef(parseErrors).split('\n').first;
    first.consume_front("MLIR Textual PassPipeline Parser:");
    llvm::errs() << "--pipeline '" << text << "': " << first.trim() << "\n";
    return mlir::failure();
  }
  // Passes report with remarks, warnings and errors; print each on one
  // line, located by the layer name the importer gave the op.
  mlir::ScopedDiagnosticHandler handler(
      module.getContext(), [](mlir::Diagnostic &d) {
        std::string where;
        llvm::raw_string_ostream os(where);
        if (auto name = llvm::dyn_cast<mlir::NameLoc>(d.getLocation()))
          os << name.getName().getValue();
        else
          os << d.getLocation();
        const char *severity = "error";
        if (d.getSeverity() == mlir::DiagnosticSeverity::Warning)
          severity = "warning";
        else if (d.getSeverity() == mlir::DiagnosticSeverity::Remark)
          severity = "remark";
        else if (d.getSeverity() == mlir::DiagnosticSeverity::Note)
          severity = "note";
        llvm::errs() << where << ": " << severity << ": " << d.str() << "\n";
        return mlir::success();
      });
  return pm.run(module);
}
