//===- TokenFile.cpp - the token ids a loss is evaluated on ---------------===//
#include "normfuse/Interpreter/TokenFile.h"

#include "nfrt/Random.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace normfuse::interp;
namespace endian = llvm::support::endian;

static llvm::Error fileError(llvm::StringRef path, const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": error: " + what);
}

TokenBatch normfuse::interp::randomTokens(size_t count, int64_t vocab,
                                          uint64_t seed) {
  // One stream for both, tokens first: the targets are independent draws,
  // not the tokens shifted by one (the loss of a random model on random
  // ids does not care, and it keeps the ids equal to StepCheck's).
  nfrt::Random rng = nfrt::Random::forName("tokens", seed);
  TokenBatch batch;
  for (std::vector<int32_t> *ids : {&batch.tokens, &batch.targets})
    for (size_t i = 0; i < count; ++i)
      ids->push_back(int32_t(rng.below(uint64_t(vocab))));
  return batch;
}

llvm::Expected<TokenBatch> normfuse::interp::readTokenFile(llvm::StringRef path,
                                                           size_t count) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return fileError(path, "cannot read the token file: " +
                               file.getError().message());
  llvm::StringRef bytes = (*file)->getBuffer();
  if (bytes.size() != 8 * count)
    return fileError(path, llvm::formatv("holds {0} bytes; the function "
                                         "takes {1} tokens and {1} targets "
                                         "({2} bytes of int32)",
                                         bytes.size(), count, 8 * count));
  TokenBatch batch;
  const char *at = bytes.data();
  for (std::vector<int32_t> *ids : {&batch.tokens, &batch.targets})
    for (size_t i = 0; i < count; ++i, at += 4)
      ids->push_back(endian::read<int32_t, llvm::endianness::little>(at));
  return batch;
}

llvm::Error normfuse::interp::writeTokenFile(llvm::StringRef path,
                                             const TokenBatch &batch) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fileError(path, "cannot write the token file: " + ec.message());
  for (const std::vector<int32_t> *ids : {&batch.tokens, &batch.targets})
    for (int32_t id : *ids)
      endian::write<int32_t>(os, id, llvm::endianness::little);
  os.close();
  if (os.has_error())
    return fileError(path,
                     "cannot write the token file: " + os.error().message());
  return llvm::Error::success();
}
