//===- BuildCommand.cpp - nfc build -----------------------------------------===//
//
//   nfc build spec.json --emit=mlir   the lowered IR (train step, optimizer)
//   nfc build spec.json --emit=cpp    the generated C++ (CPU target)
//   nfc build spec.json -o out/       writes out/<model>.cpp and reports
//                                     the memory plan
//
//===----------------------------------------------------------------------===//
#include "BuildCommand.h"
#include "SpecPipeline.h"

#include "normfuse/Codegen/CppEmitter.h"
#include "normfuse/Spec/Importer.h"

#include "nf/NFDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;
using namespace normfuse;

cl::SubCommand normfuse::buildCmd(
    "build", "lower a spec's train step and emit code for the CPU target");

cl::OptionCategory normfuse::buildCategory("nfc build options");

static cl::opt<std::string> buildSpec(cl::Positional, cl::Required,
                                      cl::desc("<spec.json>"), cl::cat(buildCategory),
                                      cl::sub(buildCmd));
static cl::opt<std::string> emitKind(
    "emit", cl::desc("what to print instead of writing files: mlir or cpp"),
    cl::init(""), cl::cat(buildCategory), cl::sub(buildCmd));
static cl::opt<std::string> outDir("o", cl::desc("output directory"),
                                   cl::value_desc("dir"), cl::init(""),
                                   cl::cat(buildCategory), cl::sub(buildCmd));
static cl::opt<bool> fuse(
    "fuse",
    cl::desc("fuse each norm + scale (+ bias) with the linear maps that read "
             "it (nf-fuse-norm-linear) before differentiating"),
    cl::init(false), cl::cat(buildCategory), cl::sub(buildCmd));
static cl::opt<std::string> target("target", cl::desc("cpu (the default)"),
                                   cl::init("cpu"), cl::cat(buildCategory), cl::sub(buildCmd));

static int buildFail(const Twine &message) {
  errs() << message << "\n";
  return 1;
}

int normfuse::runBuild() {
  if (target != "cpu")
    return buildFail("nfc build: error: unknown --target '" + target +
                     "'; this build has: cpu");
  if (!emitKind.empty() && emitKind != "mlir" && emitKind != "cpp")
    return buildFail("nfc build: error: unknown --emit '" + emitKind +
                     "'; expected mlir or cpp");
  Expected<LoadedSpec> spec = loadSpecFile(buildSpec);
  if (!spec)
    return buildFail(toString(spec.takeError()));
  mlir::MLIRContext ctx;
  ctx.loadDialect<mlir::nf::NFDialect, mlir::func::FuncDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module = importSpec(ctx, *spec);
  if (!module)
    return buildFail(buildSpec + ": error: import failed");
  std::string passes = trainingPipeline(*spec);
  if (fuse) // after the scale-vector rewrites, before nf-autodiff
    passes.insert(passes.find(",nf-autodiff"), ",nf-fuse-norm-linear");
  if (failed(runPipeline(*module, passes, &*spec)))
    return 1;
  if (emitKind == "mlir") {
    module->print(outs());
    outs() << "\n";
    return 0;
  }
  std::string cpp;
  raw_string_ostream cppStream(cpp);
  EmitReport report;
  if (failed(emitCpp(*module, cppStream, &report)))
    return 1;
  if (emitKind == "cpp") {
    outs() << cpp;
    return 0;
  }
  const std::string &name = spec->spec->model->name;
  std::string dir =
      outDir.empty() ? (spec->spec->run->out_dir.empty()
                            ? "out/" + name
                            : spec->spec->run->out_dir)
                     : outDir.getValue();
  if (std::error_code ec = sys::fs::create_directories(dir))
    return buildFail(dir + ": error: cannot create directory: " +
                     ec.message());
  SmallString<256> path(dir);
  sys::path::append(path, name + ".cpp");
  std::error_code ec;
  ToolOutputFile file(path, ec, sys::fs::OF_Text);
  if (ec)
    return buildFail(path + ": error: " + ec.message());
  file.os() << cpp;
  file.keep();
  outs() << formatv("{0}: wrote {1} ({2} parameter floats, arena {3} bytes, "
                    "{4} bytes without buffer reuse)\n",
                    buildSpec, path, report.paramFloats, report.arenaBytes,
                    report.naiveArenaBytes);
  return 0;
}
