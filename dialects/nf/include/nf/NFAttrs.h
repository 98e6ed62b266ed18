//===- NFAttrs.h - nf parameter attributes -----------------------*- C++
//-*-===//
#ifndef NF_NFATTRS_H
#define NF_NFATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "nf/NFEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "nf/NFAttrs.h.inc"

#endif // NF_NFATTRS_H
