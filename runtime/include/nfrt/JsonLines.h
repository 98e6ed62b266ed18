//===- JsonLines.h - metrics as one JSON object per line --------*- C++ -*-===//
//
// Every line is a complete JSON object, flushed as soon as it is written,
// so a crashed run leaves a readable log and `tail -f` / `jq` work while it
// trains. Numbers are printed in their shortest form that reads back to the
// same float or double. JSON has no NaN or infinity: such a value is
// written as null together with "<key>_nonfinite": "nan" | "inf" | "-inf".
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_JSONLINES_H
#define NFRT_JSONLINES_H

#include "nfrt/Status.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace nfrt {

/// Appends `text` to `out` as a JSON string literal (quoted and escaped).
/// Bytes that are not valid UTF-8 become U+FFFD, so the line stays valid.
void appendJsonString(std::string &out, const std::string &text);

/// One JSON object, built field by field in insertion order.
class JsonRecord {
public:
  JsonRecord &add(const std::string &key, double value);
  JsonRecord &add(const std::string &key, float value);
  JsonRecord &add(const std::string &key, int64_t value);
  JsonRecord &add(const std::string &key, uint64_t value);
  JsonRecord &add(const std::string &key, int value) {
    return add(key, int64_t(value));
  }
  JsonRecord &add(const std::string &key, bool value);
  JsonRecord &add(const std::string &key, const std::string &value);
  JsonRecord &add(const std::string &key, const char *value) {
    return add(key, std::string(value));
  }
  JsonRecord &addNull(const std::string &key);

  /// The object's text, without a newline.
  std::string str() const { return body + "}"; }

private:
  void addKey(const std::string &key);
  template <typename T> JsonRecord &addFloat(const std::string &key, T value);

  std::string body = "{";
};

/// Writes records to a file, one per line. Move-only; closes on destruction.
class JsonLinesWriter {
public:
  /// Opens `path` ("-" is stdout), truncating it unless `append` (a resumed
  /// run appends to its log).
  static Expected<JsonLinesWriter> open(const std::string &path, bool append);

  JsonLinesWriter(JsonLinesWriter &&other) noexcept;
  JsonLinesWriter &operator=(JsonLinesWriter &&other) noexcept;
  JsonLinesWriter(const JsonLinesWriter &) = delete;
  JsonLinesWriter &operator=(const JsonLinesWriter &) = delete;
  ~JsonLinesWriter();

  /// Writes the record and a newline, then flushes.
  Status write(const JsonRecord &record);

private:
  JsonLinesWriter(FILE *file, std::string path) : file(file), path(path) {}

  FILE *file = nullptr;
  std::string path;
};

/// Whether `text` is exactly one JSON value (RFC 8259 syntax; the values
/// themselves are not interpreted).
bool isValidJson(const std::string &text);

/// What keepRecordsUpTo did.
struct KeptRecords {
  uint64_t kept = 0;
  uint64_t dropped = 0; // after the step, not valid JSON, or torn
};

/// Makes the metrics file at `path` hold only what a run resumed at step
/// `lastStep` has not written yet: every line whose leading "step" is
/// greater than `lastStep` is dropped, and so is every line that is not a
/// JSON object (a torn last line without its newline, from a crash or a
/// full disk). The kept lines are written to "<path>.tmp", flushed and
/// renamed over `path`, so a crash leaves the old file or the new one. A
/// missing file is fine (nothing kept); a file with nothing to drop is not
/// rewritten.
Expected<KeptRecords> keepRecordsUpTo(const std::string &path,
                                      int64_t lastStep);

} // namespace nfrt

#endif // NFRT_JSONLINES_H
