//===- ShardDataset.h - llm.c token shards ----------------------*- C++ -*-===//
//
// The format llm.c's data scripts write (dev/data/*.py): a header of 256
// little-endian int32 (header[0] = 20240520, header[1] = 1, header[2] = the
// number of tokens), then that many uint16 tokens. Shards are memory-mapped,
// so a dataset larger than memory costs only address space.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SHARDDATASET_H
#define NFRT_SHARDDATASET_H

#include "nfrt/Status.h"
#include "nfrt/TokenStream.h"

#include <string>
#include <vector>

namespace nfrt {

constexpr int32_t kShardMagic = 20240520;
constexpr int32_t kShardVersion = 1;
constexpr int kShardHeaderInts = 256;
constexpr uint64_t kShardHeaderBytes = kShardHeaderInts * sizeof(int32_t);

/// Expands a comma-separated list of paths and glob patterns ("a.bin",
/// "data/train_*.bin,extra.bin"). Each pattern's matches are sorted by name;
/// a pattern that matches nothing is an error, a plain path is kept as is
/// (opening it reports a missing file).
Expected<std::vector<std::string>> expandShardPaths(const std::string &spec);

/// Maps and validates every shard (magic, version, and the header's token
/// count against the file length), in order. A message names the file.
Expected<TokenStream> loadShardDataset(const std::vector<std::string> &paths);

/// expandShardPaths then loadShardDataset; the stream's source is `spec`.
Expected<TokenStream> loadShardDataset(const std::string &spec);

} // namespace nfrt

#endif // NFRT_SHARDDATASET_H
