//===- FuzzIR.cpp - libFuzzer target: nf IR text to C++ ---------*- C++ -*-===//
//
// The input is nf IR text, as a user hand-edits it and feeds it to nf-opt.
// It is parsed and verified; a module that verifies must print and parse
// back to the same text, and then goes through nf-default-pipeline, the
// training passes (autodiff, optimizer step, its lowering) and the C++
// emitter. Each stage may refuse the module, but only with an error
// diagnostic: a crash, a sanitizer report or a silent failure is a finding.
// Text nested deeper than the tools accept is refused before parsing, and
// names from the text reach the generated C++ only as literals.
//
//===----------------------------------------------------------------------===//
#include "FuzzCheck.h"
#include "FuzzPipeline.h"

#include "nf/NFOps.h"
#include "nf/NFTextLimits.h"

#include "mlir/IR/BuiltinAttributes.h"
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
  // Text nested deeper than the tools accept is refused before parsing,
  // as nf-opt and nfc do (nf/NFTextLimits.h), with a positioned error.
  std::string tooDeep = mlir::nf::checkIRNesting(text, "fuzz.mlir");
  if (!tooDeep.empty()) {
    nffuzz::requireOneLineNaming(tooDeep, "fuzz.mlir");
    return 0;
  }
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
  // Names from the text (the model's, every parameter's) reach the
  // generated C++ only as literals: renamed, the code is the same outside
  // its literals.
  std::string cpp, renamed;
  if (nffuzz::emitCode(ctx, *module, &cpp) != nffuzz::Outcome::Ok)
    return 0;
  std::vector<std::string> names;
  if (auto name = (*module)->getAttrOfType<mlir::StringAttr>("nf.model"))
    names.push_back(name.str());
  for (mlir::nf::ParamOp p : module->getOps<mlir::nf::ParamOp>())
    names.push_back(p.getSymName().str());
  (*module)->setAttr("nf.model", mlir::StringAttr::get(&ctx.get(), "x"));
  nffuzz::require(nffuzz::emitCode(ctx, *module, &renamed) ==
                      nffuzz::Outcome::Ok,
                  "a renamed module cannot be emitted", ctx.log());
  nffuzz::requireOnlyLiterals(cpp, names, renamed);
  return 0;
}
