//===- TokenStream.h - a read-only sequence of token ids --------*- C++ -*-===//
//
// What the samplers draw from: the concatenation of one or more contiguous
// runs of uint16 token ids (one per text file or shard). The runs are
// shared, so slicing a stream (the train/validation split) copies nothing.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_TOKENSTREAM_H
#define NFRT_TOKENSTREAM_H

#include "nfrt/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nfrt {

class TokenStream {
public:
  struct Run {
    const uint16_t *data;
    uint64_t size;
    std::shared_ptr<const void> owner; // keeps `data` alive
    std::string file;       // the file the tokens come from, for messages
    uint64_t fileStart = 0; // the index in `file` of data[0]
  };

  TokenStream() = default;
  /// `source` names the stream in messages (a file name, a pattern).
  TokenStream(std::vector<Run> runs, std::string source);

  uint64_t numTokens() const { return total; }
  bool empty() const { return total == 0; }
  const std::string &source() const { return sourceName; }
  const std::vector<Run> &runs() const { return runList; }

  /// The tokens [begin, end) of this stream as a new stream.
  TokenStream slice(uint64_t begin, uint64_t end, std::string source) const;
  /// Copies `count` tokens from position `pos` (pos + count <= numTokens())
  /// into `out`, crossing run boundaries as needed.
  void copy(uint64_t pos, uint64_t count, int32_t *out) const;
  /// The largest token id, or -1 for an empty stream (a full scan).
  int32_t maxToken() const;
  /// Fails when the model cannot embed every token (a full scan): "<file>:
  /// error: token 300 at offset 1234 does not fit the model's vocab_size
  /// 256", naming the first such token, its file and its index there.
  Status checkVocabulary(int64_t vocabSize) const;

private:
  std::vector<Run> runList;
  std::vector<uint64_t> starts; // starts[i]: position of runList[i]
  uint64_t total = 0;
  std::string sourceName;
};

} // namespace nfrt

#endif // NFRT_TOKENSTREAM_H
