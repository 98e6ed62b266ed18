//===- TokenFile.h - the token ids a loss is evaluated on -------*- C++ -*-===//
//
// A token file is raw little-endian int32: the B*T input token ids, then the
// B*T target ids, each row-major [B, T], nothing else (8*B*T bytes). It is
// what `nfc eval --save-tokens / --tokens` write and read, and what the
// PyTorch reference model reads.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_INTERPRETER_TOKENFILE_H
#define NORMFUSE_INTERPRETER_TOKENFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace normfuse::interp {

struct TokenBatch {
  std::vector<int32_t> tokens;
  std::vector<int32_t> targets;
};

/// `count` tokens then `count` targets, each uniform in [0, vocab), from
/// the stream nfrt::Random::forName("tokens", seed): the same ids that the
/// step checker (runtime/tools/StepCheck.cpp) draws for that seed.
TokenBatch randomTokens(size_t count, int64_t vocab, uint64_t seed);

/// Reads a token file that must hold exactly `count` tokens and targets.
llvm::Expected<TokenBatch> readTokenFile(llvm::StringRef path, size_t count);
llvm::Error writeTokenFile(llvm::StringRef path, const TokenBatch &batch);

} // namespace normfuse::interp

#endif // NORMFUSE_INTERPRETER_TOKENFILE_H
