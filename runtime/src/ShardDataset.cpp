//===- ShardDataset.cpp - llm.c token shards ------------------------------===//
#include "nfrt/ShardDataset.h"

#include "FileUtil.h"

#include <algorithm>
#include <glob.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace nfrt;

// Shards store tokens in the writer's byte order, which is little-endian on
// every machine llm.c runs on; they are read in place.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "token shards are read in place and need a little-endian host");

namespace {

/// A read-only mapping of a whole file, unmapped with the last reference.
struct Mapping {
  void *base = nullptr;
  size_t bytes = 0;
  ~Mapping() {
    if (base)
      ::munmap(base, bytes);
  }
};

bool isPattern(const std::string &s) {
  return s.find_first_of("*?[") != std::string::npos;
}

Expected<TokenStream::Run> loadShard(const std::string &path) {
  uint64_t size = 0;
  Expected<int> fd = detail::openForReading(path, size);
  if (!fd)
    return fd.status();
  auto fail = [&](std::string message) {
    ::close(*fd);
    return Status::error(path + ": " + message);
  };
  if (size < kShardHeaderBytes)
    return fail("not an llm.c token shard: " + std::to_string(size) +
                " bytes, shorter than the " +
                std::to_string(kShardHeaderBytes) + "-byte header");
  int32_t header[kShardHeaderInts];
  Status read = detail::readExactly(*fd, path, header, sizeof(header), 0);
  if (!read) {
    ::close(*fd);
    return read;
  }
  if (header[0] != kShardMagic)
    return fail("not an llm.c token shard: magic number " +
                std::to_string(header[0]) + ", expected " +
                std::to_string(kShardMagic));
  if (header[1] != kShardVersion)
    return fail("unsupported shard version " + std::to_string(header[1]) +
                " (only version 1, uint16 tokens, is read)");
  if (header[2] < 0)
    return fail("the header's token count is negative (" +
                std::to_string(header[2]) + ")");
  uint64_t numTokens = uint64_t(header[2]);
  uint64_t payload = size - kShardHeaderBytes;
  if (payload != numTokens * sizeof(uint16_t))
    return fail(
        "the header says " + std::to_string(numTokens) + " tokens (" +
        std::to_string(numTokens * sizeof(uint16_t)) +
        " bytes after the header) but the file has " + std::to_string(payload) +
        " bytes after the header" +
        (payload < numTokens * sizeof(uint16_t) ? " (truncated?)" : ""));

  auto mapping = std::make_shared<Mapping>();
  void *base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, *fd, 0);
  if (base == MAP_FAILED) {
    Status error = detail::systemError(path, "cannot map");
    ::close(*fd);
    return error;
  }
  ::close(*fd); // the mapping stays valid
  mapping->base = base;
  mapping->bytes = size;
  const auto *tokens = reinterpret_cast<const uint16_t *>(
      static_cast<const char *>(base) + kShardHeaderBytes);
  return TokenStream::Run{tokens, numTokens, mapping};
}

} // namespace

Expected<std::vector<std::string>>
nfrt::expandShardPaths(const std::string &spec) {
  std::vector<std::string> paths;
  size_t begin = 0;
  while (begin <= spec.size()) {
    size_t comma = std::min(spec.find(',', begin), spec.size());
    std::string item = spec.substr(begin, comma - begin);
    begin = comma + 1;
    if (item.empty())
      continue;
    if (!isPattern(item)) {
      paths.push_back(item);
      continue;
    }
    glob_t matches;
    int rc = ::glob(item.c_str(), 0, nullptr, &matches);
    if (rc == GLOB_NOMATCH)
      return Status::error(item + ": no file matches this pattern");
    if (rc != 0)
      return Status::error(item + ": cannot expand this pattern");
    std::vector<std::string> found(matches.gl_pathv,
                                   matches.gl_pathv + matches.gl_pathc);
    ::globfree(&matches);
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  if (paths.empty())
    return Status::error("no shard files given ('" + spec + "')");
  return std::move(paths);
}

Expected<TokenStream>
nfrt::loadShardDataset(const std::vector<std::string> &paths) {
  if (paths.empty())
    return Status::error("no shard files given");
  std::vector<TokenStream::Run> runs;
  for (const std::string &path : paths) {
    Expected<TokenStream::Run> run = loadShard(path);
    if (!run)
      return run.status();
    runs.push_back(*run);
  }
  std::string source = paths.size() == 1
                           ? paths.front()
                           : paths.front() + " (+" +
                                 std::to_string(paths.size() - 1) + " shards)";
  TokenStream stream(std::move(runs), source);
  if (stream.empty())
    return Status::error(source + ": the shards hold no tokens");
  return std::move(stream);
}

Expected<TokenStream> nfrt::loadShardDataset(const std::string &spec) {
  Expected<std::vector<std::string>> paths = expandShardPaths(spec);
  if (!paths)
    return paths.status();
  Expected<TokenStream> stream = loadShardDataset(*paths);
  if (!stream || paths->size() == 1)
    return stream;
  return TokenStream(stream->runs(), spec);
}
