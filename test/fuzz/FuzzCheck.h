//===- FuzzCheck.h - what every fuzz target asserts -------------*- C++ -*-===//
//
// Beyond "no crash, no sanitizer report", each target checks the promise
// NormFuse makes about bad input: one error, on one line, naming the file.
// A violation aborts, so libFuzzer saves the input as a finding.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_TEST_FUZZ_FUZZCHECK_H
#define NORMFUSE_TEST_FUZZ_FUZZCHECK_H

#include <cstdio>
#include <cstdlib>
#include <string>

namespace nffuzz {

/// Aborts with `what` when `cond` is false (assert() is off in NDEBUG).
inline void require(bool cond, const char *what, const std::string &detail) {
  if (cond)
    return;
  std::fprintf(stderr, "fuzz invariant violated: %s\n  %s\n", what,
               detail.c_str());
  std::abort();
}

/// An error message must be non-empty, one line, and name `file`.
inline void requireOneLineNaming(const std::string &message,
                                 const std::string &file) {
  require(!message.empty(), "an error without a message", file);
  require(message.find('\n') == std::string::npos,
          "an error message of more than one line", message);
  require(message.find(file) != std::string::npos,
          "an error message that does not name the file", message);
}

} // namespace nffuzz

#endif // NORMFUSE_TEST_FUZZ_FUZZCHECK_H
