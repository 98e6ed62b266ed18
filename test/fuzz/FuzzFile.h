//===- FuzzFile.h - fuzz input as a file on disk ----------------*- C++ -*-===//
//
// The checkpoint and shard loaders read files (the shard loader maps them),
// so their targets write each input to one per-process file, in /dev/shm
// when it exists so that no input touches a disk.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_TEST_FUZZ_FUZZFILE_H
#define NORMFUSE_TEST_FUZZ_FUZZFILE_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace nffuzz {

/// A path of the form <dir>/nf-fuzz-<pid>-<tag>, the same for the whole run.
inline const std::string &scratchPath(const char *tag) {
  static const std::string path = [tag] {
    struct stat st;
    const char *dir = stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
    if (const char *t = std::getenv("NF_FUZZ_TMPDIR"))
      dir = t;
    return std::string(dir) + "/nf-fuzz-" + std::to_string(getpid()) + "-" +
           tag;
  }();
  return path;
}

/// Replaces the file at `path` with exactly `size` bytes of `data`.
inline void writeScratch(const std::string &path, const uint8_t *data,
                         size_t size) {
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f || (size && std::fwrite(data, 1, size, f) != size) ||
      std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort(); // the harness, not the code under test, failed
  }
}

} // namespace nffuzz

#endif // NORMFUSE_TEST_FUZZ_FUZZFILE_H
