//===- FuzzPipeline.cpp - run passes and the emitter under a fuzzer -------===//
#include "FuzzPipeline.h"
#include "FuzzCheck.h"

#include "nf/NFDialect.h"
#include "normfuse/Codegen/CppEmitter.h"
#include "normfuse/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace nffuzz;

void nffuzz::registerPasses() {
  static bool done = [] {
    normfuse::registerNFPasses();
    normfuse::registerNFPipelines();
    return true;
  }();
  (void)done;
}

FuzzContext::FuzzContext() {
  // One thread: the fuzzer's coverage and timing are per input, and a
  // thread pool per input costs more than the passes.
  context.disableMultithreading();
  context.loadDialect<mlir::nf::NFDialect, mlir::func::FuncDialect>();
  handler =
      context.getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
        if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
          ++errorCount;
        text += d.str();
        text += '\n';
        return mlir::success();
      });
}

FuzzContext::~FuzzContext() { context.getDiagEngine().eraseHandler(handler); }

Outcome nffuzz::runPasses(FuzzContext &ctx, mlir::ModuleOp module,
                          llvm::StringRef pipeline) {
  mlir::PassManager pm(module->getName());
  std::string parseErrors;
  llvm::raw_string_ostream errs(parseErrors);
  require(succeeded(mlir::parsePassPipeline(pipeline, pm, errs)),
          "the harness built a pipeline that does not parse", parseErrors);
  int before = ctx.errors();
  if (succeeded(pm.run(module)))
    return Outcome::Ok;
  require(ctx.errors() > before, "a pass failed without an error diagnostic",
          pipeline.str());
  return Outcome::Refused;
}

Outcome nffuzz::emitCode(FuzzContext &ctx, mlir::ModuleOp module) {
  int before = ctx.errors();
  llvm::raw_null_ostream sink;
  if (succeeded(normfuse::emitCpp(module, sink)))
    return Outcome::Ok;
  require(ctx.errors() > before,
          "the C++ emitter failed without an error diagnostic", "");
  return Outcome::Refused;
}
