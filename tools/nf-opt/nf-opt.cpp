//===- nf-opt.cpp - the nf IR driver --------------------------------------===//
//
// Parses, verifies, prints and transforms nf IR exactly as mlir-opt does,
// with the nf, func and arith dialects and the generic MLIR passes
// (canonicalize, cse, ...) and every nf graph pass (Passes.td).
// Unlike mlir-opt, it first bounds the input's nesting and then works on a
// thread with a large stack (nf/NFTextLimits.h): deep IR is a positioned
// error, never a stack overflow.
//
//===----------------------------------------------------------------------===//
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/thread.h"

#include "nf/NFDialect.h"
#include "nf/NFTextLimits.h"
#include "normfuse/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  normfuse::registerNFPasses();
  normfuse::registerNFPipelines();

  mlir::DialectRegistry registry;
  registry.insert<mlir::nf::NFDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect>();

  // What mlir::MlirOptMain(argc, argv, ...) does, with the nesting check
  // between reading the input and parsing it.
  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      argc, argv, "nf-opt: the NormFuse IR driver\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects()) {
    llvm::outs() << "Available Dialects: ";
    llvm::interleave(registry.getDialectNames(), llvm::outs(), ",");
    llvm::outs() << "\n";
    return 0;
  }
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << inputFile << ": error: " << error << "\n";
    return 1;
  }
  std::string tooDeep = mlir::nf::checkIRNesting(
      input->getBuffer(), inputFile == "-" ? "<stdin>" : inputFile);
  if (!tooDeep.empty()) {
    llvm::errs() << tooDeep << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << outputFile << ": error: " << error << "\n";
    return 1;
  }
  mlir::LogicalResult result = mlir::failure();
  llvm::thread worker(std::optional<unsigned>(mlir::nf::kParseStackBytes), [&] {
    result =
        mlir::MlirOptMain(output->os(), std::move(input), registry, config);
  });
  worker.join();
  if (mlir::failed(result))
    return 1;
  output->keep();
  return 0;
}
