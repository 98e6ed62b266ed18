//===- NFTextLimits.h - IR text bounds checked before parsing ---*- C++ -*-===//
//
// MLIR's parser, verifier and printer recurse once per nested region,
// attribute list or type: IR nested a hundred thousand deep (a few hundred
// KB of brackets) overflows any stack and kills the tool with SIGSEGV.
// Every tool that parses nf IR text (nf-opt, nfc build/eval of a .mlir)
// first checks its nesting with one linear scan and refuses deeper text
// with a positioned error, and parses on a thread whose stack holds the
// deepest text the limit lets through (kParseStackBytes).
//
//===----------------------------------------------------------------------===//
#ifndef NF_NFTEXTLIMITS_H
#define NF_NFTEXTLIMITS_H

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <string>

namespace mlir::nf {

/// The deepest bracket nesting accepted. nf IR written by NormFuse nests
/// about ten deep (module, function, a dense attribute of rank 4, a type).
constexpr unsigned kMaxIRNesting = 256;

/// The stack of the thread that parses, verifies, transforms and prints:
/// room for kMaxIRNesting levels of the parser's recursion many times over.
constexpr unsigned kParseStackBytes = 64u << 20;

/// "" when no bracket ((, [, {, <) in `text` nests deeper than `limit`,
/// counting outside string literals and // comments; else the error,
/// "<name>:<line>:<col>: error: ...", positioned at the first bracket
/// too deep. One pass over the text.
std::string checkIRNesting(llvm::StringRef text, llvm::StringRef name,
                           unsigned limit = kMaxIRNesting);

} // namespace mlir::nf

#endif // NF_NFTEXTLIMITS_H
