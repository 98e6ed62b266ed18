//===- FileUtil.h - reading files with complete error messages --*- C++ -*-===//
//
// Private to the runtime. Every message starts with the file's name and
// says what the operating system said.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SRC_FILEUTIL_H
#define NFRT_SRC_FILEUTIL_H

#include "nfrt/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nfrt::detail {

/// "<path>: <what>: <strerror(errno)>".
Status systemError(const std::string &path, const std::string &what);

/// Opens `path` read-only and checks that it is not a directory. Returns the
/// descriptor and sets `size` to the file's length in bytes.
Expected<int> openForReading(const std::string &path, uint64_t &size);

/// Reads exactly `count` bytes at `offset`, or fails naming the file.
Status readExactly(int fd, const std::string &path, void *out, uint64_t count,
                   uint64_t offset);

/// Writes all of `count` bytes, retrying short writes.
Status writeAll(int fd, const std::string &path, const void *data,
                uint64_t count);

/// Makes a rename into `path`'s directory durable: the directory entry
/// itself is flushed. Failing to open the directory (some file systems) is
/// not an error: the data is already safe and the rename atomic.
void syncDirectoryOf(const std::string &path);

} // namespace nfrt::detail

#endif // NFRT_SRC_FILEUTIL_H
