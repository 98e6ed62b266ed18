//===- RunConfigSource.h - run settings as generated C++ --------*- C++ -*-===//
//
// `nfc build` compiles the spec's data and run tables into the training
// binary as one translation unit defining nf_run_config (nfrt/RunConfig.h).
// Its strings are paths the user chose, so they may hold any byte: every
// one goes through emit::cppStringLiteral.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_TOOLS_NFC_RUNCONFIGSOURCE_H
#define NORMFUSE_TOOLS_NFC_RUNCONFIGSOURCE_H

#include "normfuse/Spec/SpecLoader.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace normfuse {

/// The translation unit: data paths resolved against the spec's directory,
/// `outDir` made absolute, the model `fingerprint` and the rank count.
std::string runConfigSource(const LoadedSpec &spec, llvm::StringRef fingerprint,
                            llvm::StringRef outDir, int ranks);

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_RUNCONFIGSOURCE_H
