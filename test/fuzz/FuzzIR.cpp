//===- FuzzIR.cpp - libFuzzer target: nf IR text to C++ ---------*- C++ -*-===//
//
// The input is nf IR text, as a user hand-edits it and feeds it to nf-opt.
// It is parsed and verified; a module that verifies must print and parse
// back to the same text, and then goes through nf-default-pipeline, the
// training passes (autodiff, optimizer step, its lowering) and the C++
// emitter. Each stage may refuse the module, but only with an error
// diagnostic: a crash, a sanitizer report or a silent failure is a finding.
//
//===----------------------------------------------------------------------===//
#include "FuzzCheck.h"
#include "FuzzPipeline.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

static std::string print(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  nffuzz::registerPasses();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // NUL-terminated, as nf-opt's input buffers are: MLIR's lexer may read
  // one byte past the text (libFuzzer's buffer has nothing there).
  std::string owned(reinterpret_cast<const char *>(data), size);
  llvm::StringRef text(owned);
  nffuzz::FuzzContext ctx;
  mlir::ParserConfig config(&ctx.get());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, config, "fuzz.mlir");
  if (!module) {
    nffuzz::require(ctx.errors() > 0, "a parse failure without an error",
                    text.str());
    return 0;
  }
  if (failed(mlir::verify(*module))) {
    nffuzz::require(ctx.errors() > 0, "a verifier failure without an error",
                    text.str());
    return 0;
  }

  // What nf-opt prints, nf-opt reads back to the same IR.
  std::string printed = print(*module);
  {
    nffuzz::FuzzContext again;
    mlir::ParserConfig config2(&again.get());
    mlir::OwningOpRef<mlir::ModuleOp> reparsed =
        mlir::parseSourceString<mlir::ModuleOp>(printed, config2, "printed");
    nffuzz::require(reparsed && succeeded(mlir::verify(*reparsed)),
                    "printed IR does not parse or verify",
                    printed + "\n" + again.log());
    nffuzz::require(print(*reparsed) == printed,
                    "printed IR reads back to different IR", printed);
  }

  if (nffuzz::runPasses(ctx, *module, "nf-default-pipeline") !=
      nffuzz::Outcome::Ok)
    return 0;
  if (nffuzz::runPasses(ctx, *module,
                        "nf-autodiff,nf-optimizer-step,nf-lower-optimizer") !=
      nffuzz::Outcome::Ok)
    return 0;
  (void)nffuzz::emitCode(ctx, *module);
  return 0;
}
