//===- TextDataset.h - a UTF-8 text file as byte-level tokens ---*- C++ -*-===//
//
// Byte-level vocabulary: every byte of the file is one token id in 0..255,
// so any UTF-8 text (or any file at all) is a valid dataset for a model
// with vocab_size >= 256.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_TEXTDATASET_H
#define NFRT_TEXTDATASET_H

#include "nfrt/Status.h"
#include "nfrt/TokenStream.h"

#include <string>

namespace nfrt {

/// The vocabulary size a text dataset needs.
constexpr int32_t kByteVocabSize = 256;

/// Reads `path` whole. Fails, naming the file, when it is missing,
/// unreadable, a directory or empty.
Expected<TokenStream> loadTextDataset(const std::string &path);

} // namespace nfrt

#endif // NFRT_TEXTDATASET_H
