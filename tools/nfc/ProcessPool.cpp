//===- ProcessPool.cpp - child processes, a few at a time -----------------===//
#include "ProcessPool.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace normfuse;

static double now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

llvm::Error ProcessPool::start(const ProcessJob &job) {
  int log = ::open(job.logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log < 0)
    return llvm::createStringError(
        std::error_code(errno, std::generic_category()), "%s: error: %s",
        job.logFile.c_str(), std::strerror(errno));
  // Everything the child needs is built before fork: only async-signal-safe
  // calls happen between fork and exec.
  std::vector<char *> argv;
  argv.push_back(const_cast<char *>(job.program.c_str()));
  for (const std::string &a : job.args)
    argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> envText;
  for (char **e = environ; *e; ++e) {
    llvm::StringRef entry(*e);
    bool overridden = false;
    for (const auto &[k, v] : job.env)
      overridden |= entry.starts_with(k + "=");
    if (!overridden)
      envText.push_back(*e);
  }
  for (const auto &[k, v] : job.env)
    envText.push_back(k + "=" + v);
  std::vector<char *> envp;
  for (std::string &e : envText)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t parent = ::getpid();

  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(log);
    return llvm::createStringError(
        std::error_code(err, std::generic_category()),
        "nfc sweep: error: fork: %s", std::strerror(err));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) // the parent died before prctl
      ::_exit(127);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::close(log);
    ::execve(argv[0], argv.data(), envp.data());
    const char *msg = "nfc sweep: error: cannot execute ";
    (void)!::write(2, msg, std::strlen(msg));
    (void)!::write(2, argv[0], std::strlen(argv[0]));
    (void)!::write(2, "\n", 1);
    ::_exit(127);
  }
  ::close(log);
  children[pid] = {job.tag, now()};
  return llvm::Error::success();
}

std::optional<ProcessExit> ProcessPool::waitAny() {
  while (!children.empty()) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      return std::nullopt;
    }
    auto it = children.find(pid);
    if (it == children.end())
      continue; // not ours
    ProcessExit e;
    e.tag = it->second.tag;
    e.seconds = now() - it->second.started;
    if (WIFEXITED(status))
      e.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
      e.signal = WTERMSIG(status);
    children.erase(it);
    return e;
  }
  return std::nullopt;
}
