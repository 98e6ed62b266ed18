//===- NFDialect.h - the nf dialect ------------------------------*- C++
//-*-===//
#ifndef NF_NFDIALECT_H
#define NF_NFDIALECT_H

#include "mlir/IR/Dialect.h"

#include "nf/NFDialect.h.inc"

#endif // NF_NFDIALECT_H
