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

} // namespace nfrt

#endif // NFRT_JSONLINES_H
