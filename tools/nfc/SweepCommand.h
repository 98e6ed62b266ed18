//===- SweepCommand.h - nfc sweep -------------------------------*- C++ -*-===//
#ifndef NORMFUSE_TOOLS_NFC_SWEEPCOMMAND_H
#define NORMFUSE_TOOLS_NFC_SWEEPCOMMAND_H

#include "llvm/Support/CommandLine.h"

namespace normfuse {

/// `nfc sweep grid.json`: a grid of specs x learning rates x seeds, each
/// run a separate process, resumable, summarised as tables and plots.
extern llvm::cl::SubCommand sweepCmd;
extern llvm::cl::OptionCategory sweepCategory;
int runSweep();

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_SWEEPCOMMAND_H
