//===- nf-opt.cpp - the nf IR driver
//----------------------------------------===//
//
// Parses, verifies, prints and transforms nf IR exactly as mlir-opt does,
// with the nf, func and arith dialects and the generic MLIR passes
// (canonicalize, cse, ...) and every nf graph pass (Passes.td).
//
//===----------------------------------------------------------------------===//
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

#include "nf/NFDialect.h"
#include "normfuse/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  normfuse::registerNFPasses();
  normfuse::registerNFPipelines();

  mlir::DialectRegistry registry;
  registry.insert<mlir::nf::NFDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "nf-opt: the NormFuse IR driver\n", registry));
}
