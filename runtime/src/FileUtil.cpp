//===- FileUtil.cpp - reading files with complete error messages ----------===//
#include "FileUtil.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace nfrt;

Status detail::systemError(const std::string &path, const std::string &what) {
  return Status::error(path + ": " + what + ": " + std::strerror(errno));
}

Expected<int> detail::openForReading(const std::string &path, uint64_t &size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return systemError(path, "cannot open");
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status error = systemError(path, "cannot read");
    ::close(fd);
    return error;
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::error(path + ": cannot read: is a directory");
  }
  size = uint64_t(st.st_size);
  return fd;
}

Status detail::readExactly(int fd, const std::string &path, void *out,
                           uint64_t count, uint64_t offset) {
  char *dst = static_cast<char *>(out);
  while (count > 0) {
    ssize_t n = ::pread(fd, dst, count, off_t(offset));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return systemError(path, "cannot read");
    if (n == 0)
      return Status::error(path + ": cannot read: the file ended early "
                                  "(was it truncated while being read?)");
    dst += n;
    offset += uint64_t(n);
    count -= uint64_t(n);
  }
  return Status::ok();
}

Status detail::writeAll(int fd, const std::string &path, const void *data,
                        uint64_t count) {
  const char *src = static_cast<const char *>(data);
  while (count > 0) {
    ssize_t n = ::write(fd, src, count);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return systemError(path, "cannot write");
    src += n;
    count -= uint64_t(n);
  }
  return Status::ok();
}

void detail::syncDirectoryOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "."
                    : slash == 0               ? "/"
                                               : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return;
  ::fsync(fd);
  ::close(fd);
}
