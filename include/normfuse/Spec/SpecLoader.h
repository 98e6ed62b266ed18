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

/// The schema text the parser checks against (embedded at build time).
llvm::StringRef modelSpecSchema();

} // namespace normfuse

#endif // NORMFUSE_SPEC_SPECLOADER_H
