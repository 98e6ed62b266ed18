//===- ProcessPool.h - child processes, a few at a time ---------*- C++ -*-===//
#ifndef NORMFUSE_TOOLS_NFC_PROCESSPOOL_H
#define NORMFUSE_TOOLS_NFC_PROCESSPOOL_H

#include "llvm/Support/Error.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace normfuse {

struct ProcessJob {
  std::string program; // a path; not searched on PATH
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env; // set in the child
  std::string logFile; // stdout and stderr, appended
  size_t tag = 0;      // the caller's id of the job
};

struct ProcessExit {
  size_t tag = 0;
  int exitCode = -1; // when it exited
  int signal = 0;    // when a signal ended it
  double seconds = 0;
};

/// fork/exec of jobs with their output in log files. Children get
/// PR_SET_PDEATHSIG(SIGKILL): when the sweep dies (kill -9 included) its
/// runs die with it instead of racing the resumed sweep for their files.
class ProcessPool {
public:
  /// Starts `job`; fails when fork or opening the log fails.
  llvm::Error start(const ProcessJob &job);

  /// Waits for any child to end; nullopt when none is running.
  std::optional<ProcessExit> waitAny();

  size_t running() const { return children.size(); }

private:
  struct Child {
    size_t tag;
    double started;
  };
  std::map<pid_t, Child> children;
};

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_PROCESSPOOL_H
