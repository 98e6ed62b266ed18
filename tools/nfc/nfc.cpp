//===- nfc.cpp - the NormFuse compiler driver
//-------------------------------===//
//
//   nfc import spec.json [-o out.mlir] [--pipeline=passes]
//                                        print the nf IR of the forward graph
//   nfc check  spec.json                 validate a spec and summarise it
//
// Later issues add build, train, eval and sweep. Every failure prints one
// line naming the file (and field) and exits non-zero.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Spec/Importer.h"
#include "normfuse/Spec/SpecLoader.h"

#include "nf/NFDialect.h"
#include "nf/NFOps.h"
#include "nf/NFTextLimits.h"

#include "BuildCommand.h"
#include "EvalCommand.h"
#include "SpecCommand.h"
#include "SpecPipeline.h"
#include "SweepCommand.h"
#include "nfrt/MachineMemory.h"
#include "normfuse/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/thread.h"

#include <set>

using namespace llvm;
using namespace normfuse;

static cl::SubCommand importCmd("import",
                                "print the nf IR (forward graph and loss) of "
                                "a model spec");
static cl::SubCommand checkCmd("check",
                               "validate a model spec and print a summary");

static cl::OptionCategory nfcCategory("nfc options");

static cl::opt<std::string> specPath(cl::Positional, cl::Required,
                                     cl::desc("<spec.json>"),
                                     cl::cat(nfcCategory), cl::sub(importCmd),
                                     cl::sub(checkCmd));
static cl::opt<std::string> outputPath("o",
                                       cl::desc("output file (- = stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(nfcCategory),
                                       cl::sub(importCmd));
static cl::opt<std::string> pipeline(
    "pipeline",
    cl::desc("pass pipeline to run after import, in nf-opt's syntax (e.g. "
             "'nf-classify-norms,nf-weight-decay-groups'), or 'default' for "
             "nf-default-pipeline with the spec's options"),
    cl::value_desc("passes"), cl::init(""), cl::cat(nfcCategory),
    cl::sub(importCmd));
static cl::opt<std::string> passPipeline(
    "pass-pipeline",
    cl::desc("as --pipeline, in the anchored form nf-opt's --pass-pipeline "
             "takes: builtin.module(pass,...)"),
    cl::value_desc("pipeline"), cl::init(""), cl::cat(nfcCategory),
    cl::sub(importCmd));
static cl::opt<bool> printPipeline(
    "print-pipeline",
    cl::desc("print the pipeline that --pipeline=default selects and exit"),
    cl::init(false), cl::cat(nfcCategory), cl::sub(importCmd));
static cl::opt<bool>
    printDebugInfo("print-debuginfo",
                   cl::desc("print each op's location (its layer)"),
                   cl::init(false), cl::cat(nfcCategory), cl::sub(importCmd));

/// Errors from the spec loader already read "file:line:col: error: ...";
/// others get the tool's name in front.
static int fail(const Twine &message) {
  std::string text = message.str();
  if (StringRef(text).contains(": error: "))
    errs() << text << "\n";
  else
    WithColor::error(errs(), "nfc") << text << "\n";
  return 1;
}

/// Loads, checks and imports the spec; diagnostics become one-line errors.
static mlir::OwningOpRef<mlir::ModuleOp>
loadAndImport(mlir::MLIRContext &ctx, std::string &error,
              LoadedSpec *loadedOut = nullptr) {
  Expected<LoadedSpec> spec = loadSpecFile(specPath);
  if (!spec) {
    error = toString(spec.takeError());
    return nullptr;
  }
  ctx.loadDialect<mlir::nf::NFDialect, mlir::func::FuncDialect>();
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
    diagnostics += (diagnostics.empty() ? "" : "; ") + d.str();
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module = importSpec(ctx, *spec);
  if (!module)
    error = specPath +
            ": error: the imported IR failed verification (a bug "
            "in nfc, please report it): " +
            diagnostics;
  if (loadedOut)
    *loadedOut = std::move(*spec);
  return module;
}

static int runImport() {
  mlir::MLIRContext ctx;
  std::string error;
  LoadedSpec spec;
  mlir::OwningOpRef<mlir::ModuleOp> module = loadAndImport(ctx, error, &spec);
  if (!module)
    return fail(error);
  if (printPipeline) {
    outs() << specPipeline(spec) << "\n";
    return 0;
  }
  if (!pipeline.empty() && !passPipeline.empty())
    return fail("--pipeline and --pass-pipeline say the same; give one");
  std::string passes = pipeline.empty() ? passPipeline : pipeline;
  if (!passes.empty() && failed(runPipeline(*module, passes, &spec)))
    return 1;
  std::string openError;
  std::unique_ptr<ToolOutputFile> out =
      mlir::openOutputFile(outputPath, &openError);
  if (!out)
    return fail(outputPath + ": error: " + openError);
  mlir::OpPrintingFlags flags;
  if (printDebugInfo)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  module->print(out->os(), flags);
  out->os() << "\n";
  out->keep();
  return 0;
}

static int runCheck() {
  mlir::MLIRContext ctx;
  std::string error;
  LoadedSpec spec;
  mlir::OwningOpRef<mlir::ModuleOp> module = loadAndImport(ctx, error, &spec);
  if (!module)
    return fail(error);
  int64_t params = 0, tensors = 0, state = 0;
  module->walk([&](mlir::nf::ParamOp p) {
    if (p.getGroup() == mlir::nf::ParamGroup::State) {
      ++state;
      return;
    }
    ++tensors;
    params += p.getTensorType().getNumElements();
  });
  outs() << formatv(
      "{0}: ok: model '{1}', {2} parameters in {3} tensors", specPath,
      (*module)->getAttrOfType<mlir::StringAttr>("nf.model").getValue(), params,
      tensors);
  if (state)
    outs() << formatv(", {0} state tensors", state);
  outs() << "\n";
  // Whether it fits is the training binary's call where it runs (this may
  // be the CPU machine that builds for a GPU); here a warning says early.
  MemoryEstimate need = estimateTrainingMemory(*spec.spec);
  nfrt::MachineMemory have = nfrt::machineMemory();
  outs().flush();
  if (need.total() > double(have.bytes))
    errs() << formatv("{0}: warning: training needs about {1} of memory ({2} "
                      "for parameters, gradients and optimizer state, {3} of "
                      "activations), more than this machine's {4} ({5}); its "
                      "training binary will refuse to run here\n",
                      specPath, humanBytes(need.total()),
                      humanBytes(need.stateBytes),
                      humanBytes(need.activationBytes),
                      humanBytes(double(have.bytes)), have.source);
  return 0;
}

static int runSubcommand() {
  if (importCmd)
    return runImport();
  if (checkCmd)
    return runCheck();
  if (buildCmd)
    return runBuild();
  if (trainCmd)
    return runTrain();
  if (evalCmd)
    return runEval();
  if (specCmd)
    return runSpec();
  if (sweepCmd)
    return runSweep();
  return fail("no subcommand given; run 'nfc --help' for the list");
}

static cl::OptionCategory
    mlirCategory("MLIR options (as mlir-opt: IR printing, timing, statistics)");

/// mlir-opt's pass-manager, printing, timing and context flags
/// (--mlir-print-ir-after-all, --mlir-timing, --mlir-pass-statistics,
/// --mlir-disable-threading, ...) for the subcommands that run passes. MLIR
/// registers them for a tool without subcommands; they are moved to these.
static void registerMLIROptions(ArrayRef<cl::SubCommand *> subs) {
  StringMap<cl::Option *> &top = cl::getRegisteredOptions();
  std::set<std::string> before;
  for (auto &entry : top)
    before.insert(entry.getKey().str());
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  std::vector<cl::Option *> added;
  for (auto &entry : top)
    if (!before.count(entry.getKey().str()))
      added.push_back(entry.getValue());
  for (cl::Option *o : added) {
    o->removeArgument();
    for (cl::SubCommand *sub : subs)
      o->addSubCommand(*sub);
    o->addCategory(mlirCategory);
    o->addArgument();
  }
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  normfuse::registerNFPasses();
  normfuse::registerNFPipelines();
  registerMLIROptions({&importCmd, &buildCmd, &trainCmd, &evalCmd});
  for (cl::SubCommand *sub : {&importCmd, &checkCmd, &buildCmd, &trainCmd,
                              &evalCmd, &specCmd, &sweepCmd})
    cl::HideUnrelatedOptions({&nfcCategory, &buildCategory, &evalCategory,
                              &specCategory, &sweepCategory, &mlirCategory},
                             *sub);
  cl::ParseCommandLineOptions(
      argc, argv,
      "nfc: the NormFuse compiler driver\n\n"
      "  nfc import spec.json   print the nf IR of a spec's forward graph\n"
      "  nfc check spec.json    validate a spec and summarise it\n"
      "  nfc build spec.json    compile the spec's training binary (CPU, or "
      "--target=cuda)\n"
      "  nfc train spec.json    build (cached) and train\n"
      "  nfc eval spec.json     the loss by the reference interpreter\n"
      "  nfc spec spec.json     the spec with every default, as strict JSON\n"
      "  nfc sweep grid.json    a grid of runs over seeds, tables and plots\n");
  // The subcommands parse, transform and print IR, which recurses once per
  // nesting level: they run on a thread with room for the deepest IR that
  // nf/NFTextLimits.h lets through.
  int rc = 1;
  llvm::thread worker(std::optional<unsigned>(mlir::nf::kParseStackBytes),
                      [&] { rc = runSubcommand(); });
  worker.join();
  return rc;
}
