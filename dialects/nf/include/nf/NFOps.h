//===- NFOps.h - nf dialect operations ---------------------------*- C++
//-*-===//
#ifndef NF_NFOPS_H
#define NF_NFOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "nf/NFAttrs.h"
#include "nf/NFDialect.h"
#include "nf/NFInterfaces.h.inc"

#define GET_OP_CLASSES
#include "nf/NFOps.h.inc"

#endif // NF_NFOPS_H
