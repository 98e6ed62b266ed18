//===- Status.h - explicit error results for the runtime --------*- C++ -*-===//
//
// The runtime reports failures as values, not exceptions: every message is
// complete (it names the file and what is wrong) so that the training binary
// can print it as one line and exit non-zero.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_STATUS_H
#define NFRT_STATUS_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace nfrt {

/// Success, or one error message.
class [[nodiscard]] Status {
public:
  static Status ok() { return Status(); }
  static Status error(std::string message) {
    Status s;
    s.failed = true;
    s.text = std::move(message);
    return s;
  }

  bool isOk() const { return !failed; }
  explicit operator bool() const { return !failed; }
  const std::string &message() const { return text; }

private:
  bool failed = false;
  std::string text;
};

/// A value of type T, or an error message.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : value(std::move(value)) {}
  Expected(Status error) : err(std::move(error)) {
    assert(!err.isOk() && "an Expected needs a value or an error");
  }

  bool isOk() const { return value.has_value(); }
  explicit operator bool() const { return isOk(); }
  const std::string &message() const { return err.message(); }
  /// The error as a Status (ok when there is a value).
  const Status &status() const { return err; }

  T &operator*() { return *value; }
  const T &operator*() const { return *value; }
  T *operator->() { return &*value; }
  const T *operator->() const { return &*value; }

private:
  std::optional<T> value;
  Status err;
};

} // namespace nfrt

#endif // NFRT_STATUS_H
