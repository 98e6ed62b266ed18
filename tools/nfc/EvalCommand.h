//===- EvalCommand.h - nfc eval ---------------------------------*- C++ -*-===//
#ifndef NORMFUSE_TOOLS_NFC_EVALCOMMAND_H
#define NORMFUSE_TOOLS_NFC_EVALCOMMAND_H

#include "llvm/Support/CommandLine.h"

namespace normfuse {

/// `nfc eval`: the loss of a spec or an .mlir module by the reference
/// interpreter (lib/Interpreter).
extern llvm::cl::SubCommand evalCmd;
extern llvm::cl::OptionCategory evalCategory;
int runEval();

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_EVALCOMMAND_H
