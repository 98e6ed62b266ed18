//===- FuzzPipeline.cpp - run passes and the emitter under a fuzzer -------===//
#include "FuzzPipeline.h"
#include "FuzzCheck.h"

#include "../support/CppTokens.h"

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

Outcome nffuzz::emitCode(FuzzContext &ctx, mlir::ModuleOp module,
                         std::string *source) {
  // The emitter prints the memory plan nf-prepare-emission records.
  if (Outcome planned = runPasses(ctx, module, "nf-prepare-emission");
      planned != Outcome::Ok)
    return planned;
  int before = ctx.errors();
  std::string text;
  llvm::raw_string_ostream os(text);
  if (succeeded(normfuse::emitCpp(module, os))) {
    if (source)
      *source = std::move(text);
    return Outcome::Ok;
  }
  require(ctx.errors() > before,
          "the C++ emitter failed without an error diagnostic", "");
  return Outcome::Refused;
}

/// The tokens of `source`, which must lex, each of `strings` a literal.
static std::vector<nftest::CppToken>
literalTokens(const std::string &source,
              const std::vector<std::string> &strings) {
  std::vector<nftest::CppToken> tokens;
  std::string error = nftest::lexCpp(source, tokens);
  require(error.empty(), "generated source that does not lex", error);
  for (const std::string &s : strings)
    require(nftest::hasLiteral(tokens, s),
            "a string that is not a literal of the generated source", s);
  return tokens;
}

void nffuzz::requireLiterals(const std::string &source,
                             const std::vector<std::string> &strings) {
  (void)literalTokens(source, strings);
}

void nffuzz::requireOnlyLiterals(const std::string &source,
                                 const std::vector<std::string> &strings,
                                 const std::string &reference) {
  std::vector<nftest::CppToken> tokens = literalTokens(source, strings),
                                expected;
  require(nftest::lexCpp(reference, expected).empty(),
          "the reference source does not lex", "");
  require(nftest::shapeOf(tokens) == nftest::shapeOf(expected),
          "strings changed the generated source outside its literals",
          source.substr(0, 2000));
}
