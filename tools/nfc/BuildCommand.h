//===- BuildCommand.h - nfc build --------------------------------*- C++ -*-===//
#ifndef NORMFUSE_TOOLS_NFC_BUILDCOMMAND_H
#define NORMFUSE_TOOLS_NFC_BUILDCOMMAND_H

#include "llvm/Support/CommandLine.h"

namespace normfuse {

/// The `build` subcommand: lowers a spec's train step and emits C++.
extern llvm::cl::SubCommand buildCmd;
extern llvm::cl::OptionCategory buildCategory;
int runBuild();

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_BUILDCOMMAND_H
