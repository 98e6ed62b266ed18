//===- DirLock.h - one run per output directory -----------------*- C++ -*-===//
//
// Two runs that share an output directory would interleave their metrics
// and overwrite each other's checkpoints. A run therefore holds an advisory
// lock, flock(LOCK_EX | LOCK_NB), on DIR/.lock for as long as it lives; the
// file holds the holder's pid for the message the second run prints. The
// kernel drops the lock when the process ends, however it ends (kill -9
// included), so a stale file never blocks a later run.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_DIRLOCK_H
#define NFRT_DIRLOCK_H

#include "nfrt/Status.h"

#include <string>

namespace nfrt {

class DirLock {
public:
  /// Locks `dir` (which must exist). Fails with "<dir>: error: another run
  /// (pid 1234) is using this directory; wait for it or choose another
  /// --out" when another process holds it (`holder` and `dirFlag` name the
  /// kind of process and the flag that picks the directory: `nfc sweep`
  /// says "sweep" and "-o"), or with the system's reason when the lock file
  /// cannot be opened.
  static Expected<DirLock> acquire(const std::string &dir,
                                   const std::string &holder = "run",
                                   const std::string &dirFlag = "--out");

  DirLock(DirLock &&other) noexcept : fd(other.fd) { other.fd = -1; }
  DirLock &operator=(DirLock &&other) noexcept;
  DirLock(const DirLock &) = delete;
  DirLock &operator=(const DirLock &) = delete;
  /// Releases the lock (closing the file does); the file stays.
  ~DirLock();

private:
  explicit DirLock(int fd) : fd(fd) {}
  int fd = -1;
};

} // namespace nfrt

#endif // NFRT_DIRLOCK_H
