//===- TextDataset.cpp - a UTF-8 text file as byte-level tokens -----------===//
#include "nfrt/TextDataset.h"

#include "FileUtil.h"

#include <unistd.h>

using namespace nfrt;

Expected<TokenStream> nfrt::loadTextDataset(const std::string &path) {
  uint64_t size = 0;
  Expected<int> fd = detail::openForReading(path, size);
  if (!fd)
    return fd.status();
  if (size == 0) {
    ::close(*fd);
    return Status::error(path + ": the text file is empty: there are no "
                                "tokens to train on");
  }
  std::vector<unsigned char> bytes(size);
  Status read = detail::readExactly(*fd, path, bytes.data(), size, 0);
  ::close(*fd);
  if (!read)
    return read;

  auto tokens =
      std::make_shared<std::vector<uint16_t>>(bytes.begin(), bytes.end());
  TokenStream::Run run{tokens->data(), tokens->size(), tokens, path};
  return TokenStream({run}, path);
}
