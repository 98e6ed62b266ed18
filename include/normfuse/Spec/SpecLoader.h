//===- SpecLoader.h - model spec JSON -> checked spec ------------*- C++
//-*-===//
//
// A spec is JSON text parsed by FlatBuffers' own parser against
// lib/Spec/ModelSpec.fbs, then completed with defaults and checked for
// values the schema cannot express (d_model divisible by n_heads, alpha > 0,
// ...). Every error is one line naming the file, position and field.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SPEC_SPECLOADER_H
#define NORMFUSE_SPEC_SPECLOADER_H

#include "normfuse/Spec/ModelSpec_generated.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace normfuse {

/// A checked spec with every optional table present and every default
/// resolved (norm overrides copied, d_ff computed, ...).
struct LoadedSpec {
  std::unique_ptr<nf::spec::SpecT> spec;
  std::string path;    // the file as the user named it
  std::string baseDir; // directory that relative data paths start from
};

/// Parses and checks the JSON text of a spec; `path` names it in errors.
llvm::Expected<LoadedSpec> parseSpec(llvm::StringRef json,
                                     llvm::StringRef path);

/// Reads, parses and checks a spec file.
llvm::Expected<LoadedSpec> loadSpecFile(llvm::StringRef path);

/// A model name (model.name, a sweep's name) names files and directories
/// (`out/<name>/<name>`), so it is a name and never a path: 1 to 128 of
/// letters, digits, '_', '.', '-' and '=' (as in a sweep's level names),
/// starting with a letter, digit or '_'
/// (no "..", no "/", no leading '-' that a command line would read as a
/// flag). Returns "" when `name` is one, else what is wrong with it.
std::string checkModelName(llvm::StringRef name);

/// What training a spec takes in memory, by the same estimate that refuses
/// absurd specs: parameters with their gradient and optimizer state, and
/// the activations the step keeps for the backward.
struct MemoryEstimate {
  double stateBytes = 0, activationBytes = 0;
  double total() const { return stateBytes + activationBytes; }
};
MemoryEstimate estimateTrainingMemory(const nf::spec::SpecT &spec);

/// Bytes as "412.0 GB" (powers of 1024).
std::string humanBytes(double bytes);

/// The schema text the parser checks against (embedded at build time).
llvm::StringRef modelSpecSchema();

} // namespace normfuse

#endif // NORMFUSE_SPEC_SPECLOADER_H
