//===- BuildCommand.h - nfc build --------------------------------*- C++
//-*-===//
#ifndef NORMFUSE_TOOLS_NFC_BUILDCOMMAND_H
#define NORMFUSE_TOOLS_NFC_BUILDCOMMAND_H

#include "llvm/Support/CommandLine.h"

namespace normfuse {

/// The `build` subcommand: lowers a spec's train step and emits C++.
extern llvm::cl::SubCommand buildCmd;
extern llvm::cl::SubCommand trainCmd;
extern llvm::cl::OptionCategory buildCategory;
int runBuild();

/// `nfc train`: runBuild(), then runs the binary with the remaining
/// arguments and returns its exit code.
int runTrain();

/// The training binary the last successful runBuild() wrote (or found up
/// to date); empty after --emit.
extern std::string builtBinary;

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_BUILDCOMMAND_H
