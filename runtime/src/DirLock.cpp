//===- DirLock.cpp - one run per output directory -------------------------===//
#include "nfrt/DirLock.h"

#include "FileUtil.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace nfrt;

Expected<DirLock> DirLock::acquire(const std::string &dir,
                                   const std::string &holder,
                                   const std::string &dirFlag) {
  std::string path = dir + "/.lock";
  // O_CLOEXEC: a child process (nfc sweep's runs) must not inherit, and so
  // keep holding, the lock after this process ends.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return detail::systemError(path, "error: cannot open the lock file");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int why = errno;
    if (why != EWOULDBLOCK) {
      errno = why;
      Status s = detail::systemError(path, "error: cannot lock");
      ::close(fd);
      return s;
    }
    // The holder wrote its pid when it took the lock; a holder that has
    // not written it yet reads as an empty file.
    char text[32] = {};
    ssize_t got = ::pread(fd, text, sizeof text - 1, 0);
    ::close(fd);
    long pid = got > 0 ? std::strtol(text, nullptr, 10) : 0;
    return Status::error(
        dir + ": error: another " + holder +
        (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()) +
        " is using this directory; wait for it or choose another " + dirFlag);
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  // The pid is for messages only: a failure to write it costs nothing.
  if (::ftruncate(fd, 0) == 0)
    (void)!::pwrite(fd, pid.data(), pid.size(), 0);
  return DirLock(fd);
}

DirLock &DirLock::operator=(DirLock &&other) noexcept {
  if (this != &other) {
    if (fd >= 0)
      ::close(fd);
    fd = other.fd;
    other.fd = -1;
  }
  return *this;
}

DirLock::~DirLock() {
  if (fd >= 0)
    ::close(fd);
}
