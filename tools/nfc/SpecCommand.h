//===- SpecCommand.h - nfc spec ---------------------------------*- C++ -*-===//
#ifndef NORMFUSE_TOOLS_NFC_SPECCOMMAND_H
#define NORMFUSE_TOOLS_NFC_SPECCOMMAND_H

#include "llvm/Support/CommandLine.h"

namespace normfuse {

/// `nfc spec spec.json`: the resolved spec (every default filled in) as
/// strict JSON.
extern llvm::cl::SubCommand specCmd;
extern llvm::cl::OptionCategory specCategory;
int runSpec();

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_SPECCOMMAND_H
