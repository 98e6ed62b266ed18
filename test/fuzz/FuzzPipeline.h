//===- FuzzPipeline.h - run passes and the emitter under a fuzzer -*- C++ -*-=//
//
// Shared by the spec and IR targets: a context with the nf and func
// dialects, diagnostics collected instead of printed, and the step from a
// verified module to generated C++ with the invariant that a failure always
// comes with an error diagnostic (a pass that fails silently leaves the
// user with nothing to act on).
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_TEST_FUZZ_FUZZPIPELINE_H
#define NORMFUSE_TEST_FUZZ_FUZZPIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace nffuzz {

/// Registers the nf passes and pipelines (once per process).
void registerPasses();

/// A context with the dialects NormFuse IR uses, its diagnostics appended
/// to `log` (one per line) and counted by severity.
class FuzzContext {
public:
  FuzzContext();
  ~FuzzContext();
  mlir::MLIRContext &get() { return context; }
  const std::string &log() const { return text; }
  int errors() const { return errorCount; }
  void clear() {
    text.clear();
    errorCount = 0;
  }

private:
  mlir::MLIRContext context;
  std::string text;
  int errorCount = 0;
  mlir::DiagnosticEngine::HandlerID handler;
};

enum class Outcome { Ok, Refused };

/// Parses `pipeline` (must parse: the caller built it) and runs it on
/// `module`. A failure must come with an error diagnostic.
Outcome runPasses(FuzzContext &ctx, mlir::ModuleOp module,
                  llvm::StringRef pipeline);

/// Generates the C++ training step (into `source` when given). A failure
/// must come with an error diagnostic.
Outcome emitCode(FuzzContext &ctx, mlir::ModuleOp module,
                 std::string *source = nullptr);

/// `source` lexes strictly (test/support/CppTokens.h) and each of
/// `strings` is the value of some literal in it.
void requireLiterals(const std::string &source,
                     const std::vector<std::string> &strings);

/// The promise about strings in generated code (normfuse/Codegen/
/// CppLiteral.h): `source` lexes strictly (test/support/CppTokens.h), each
/// of `strings` is the value of some literal in it, and `source` has the
/// token shape of `reference` (the same code made from other strings), so
/// the strings changed nothing outside literals and comments.
void requireOnlyLiterals(const std::string &source,
                         const std::vector<std::string> &strings,
                         const std::string &reference);

} // namespace nffuzz

#endif // NORMFUSE_TEST_FUZZ_FUZZPIPELINE_H
