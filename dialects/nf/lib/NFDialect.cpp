//===- NFDialect.cpp - the nf dialect
//---------------------------------------===//
#include "nf/NFDialect.h"
#include "nf/NFOps.h"

using namespace mlir;
using namespace mlir::nf;

#include "nf/NFDialect.cpp.inc"

void NFDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "nf/NFOps.cpp.inc"
      >();
}
