//===- ShardDataset.cpp - llm.c token shards ------------------------------===//
#include "nfrt/ShardDataset.h"

#include "FileUtil.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <glob.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace nfrt;

// Shards store tokens in the writer's byte order, which is little-endian on
// every machine llm.c runs on; they are read in place.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "token shards are read in place and need a little-endian host");

namespace {

// A shard that shrinks while it is mapped (another tool rewriting it, a
// full disk truncating it) turns the next read of a lost page into SIGBUS.
// The handler below names the shard and exits instead of crashing. The
// registry is a fixed array written before a mapping is used and cleared
// after it is unmapped, so the handler reads it without locks.
constexpr int kMaxGuarded = 4096;
struct GuardedRange {
  std::atomic<const char *> base{nullptr};
  size_t bytes = 0;
  char path[512] = {};
};
GuardedRange guarded[kMaxGuarded];
std::atomic<bool> handlerInstalled{false};

void onSigbus(int, siginfo_t *info, void *) {
  const char *at = static_cast<const char *>(info->si_addr);
  for (GuardedRange &g : guarded) {
    const char *base = g.base.load();
    if (base && at >= base && at < base + g.bytes) {
      const char *msg[] = {"error: ", g.path,
                           ": the token shard shrank or vanished while "
                           "training read it (was it rewritten?); stopping\n"};
      for (const char *m : msg) {
        ssize_t ignored = ::write(2, m, std::strlen(m));
        (void)ignored;
      }
      ::_exit(1);
    }
  }
  // Not a shard: the default action (a crash with a core).
  ::signal(SIGBUS, SIG_DFL);
  ::raise(SIGBUS);
}

void guard(const void *base, size_t bytes, const std::string &path) {
  if (!handlerInstalled.exchange(true)) {
    struct sigaction sa = {};
    sa.sa_sigaction = onSigbus;
    sa.sa_flags = SA_SIGINFO;
    ::sigaction(SIGBUS, &sa, nullptr);
  }
  for (GuardedRange &g : guarded)
    if (!g.base.load()) {
      g.bytes = bytes;
      std::strncpy(g.path, path.c_str(), sizeof(g.path) - 1);
      g.base.store(static_cast<const char *>(base));
      return;
    }
}

void unguard(const void *base) {
  for (GuardedRange &g : guarded)
    if (g.base.load() == base)
      g.base.store(nullptr);
}

/// A read-only mapping of a whole file, unmapped with the last reference.
struct Mapping {
  void *base = nullptr;
  size_t bytes = 0;
  ~Mapping() {
    if (base) {
      unguard(base);
      ::munmap(base, bytes);
    }
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
  guard(base, size, path);
  const auto *tokens = reinterpret_cast<const uint16_t *>(
      static_cast<const char *>(base) + kShardHeaderBytes);
  return TokenStream::Run{tokens, numTokens, mapping, path};
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
