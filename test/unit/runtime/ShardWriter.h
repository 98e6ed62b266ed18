//===- ShardWriter.h - llm.c token shards for tests -------------*- C++ -*-===//
#ifndef NFRT_TEST_SHARDWRITER_H
#define NFRT_TEST_SHARDWRITER_H

#include "nfrt/ShardDataset.h"

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace nfrt::test {

constexpr int64_t kTrueCount = INT64_MIN;

/// The bytes of a shard holding `tokens`; the header fields can be forged
/// (`count` defaults to the true number of tokens).
inline std::string shardBytes(const std::vector<uint16_t> &tokens,
                              int32_t magic = kShardMagic,
                              int32_t version = kShardVersion,
                              int64_t count = kTrueCount) {
  int32_t header[kShardHeaderInts] = {};
  header[0] = magic;
  header[1] = version;
  header[2] = int32_t(count == kTrueCount ? int64_t(tokens.size()) : count);
  std::string bytes(reinterpret_cast<const char *>(header), sizeof(header));
  bytes.append(reinterpret_cast<const char *>(tokens.data()),
               tokens.size() * sizeof(uint16_t));
  return bytes;
}

inline std::vector<uint16_t> iota(uint16_t first, size_t count) {
  std::vector<uint16_t> out(count);
  for (size_t i = 0; i < count; ++i)
    out[i] = uint16_t(first + i);
  return out;
}

} // namespace nfrt::test

#endif // NFRT_TEST_SHARDWRITER_H
