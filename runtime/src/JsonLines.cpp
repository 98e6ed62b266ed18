//===- JsonLines.cpp - metrics as one JSON object per line ----------------===//
#include "nfrt/JsonLines.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

using namespace nfrt;

/// The length of the valid UTF-8 sequence at s[i..n), or 0 when there is
/// none (overlong forms, surrogates and values past U+10FFFF are invalid).
static size_t utf8Length(const unsigned char *s, size_t i, size_t n) {
  unsigned char c = s[i];
  size_t len;
  uint32_t cp;
  if (c < 0x80)
    return 1;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > n)
    return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

void nfrt::appendJsonString(std::string &out, const std::string &text) {
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  size_t n = text.size();
  out += '"';
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    default:
      if (c < 0x20) {
        char escape[8];
        std::snprintf(escape, sizeof(escape), "\\u%04x", c);
        out += escape;
        break;
      }
      if (size_t len = utf8Length(s, i, n)) {
        out.append(text, i, len);
        i += len;
        continue;
      }
      out += "\\ufffd";
    }
    ++i;
  }
  out += '"';
}

void JsonRecord::addKey(const std::string &key) {
  if (body.size() > 1)
    body += ',';
  appendJsonString(body, key);
  body += ':';
}

template <typename T>
JsonRecord &JsonRecord::addFloat(const std::string &key, T value) {
  if (!std::isfinite(value)) {
    addNull(key);
    return add(key + "_nonfinite", std::isnan(value) ? "nan"
                                   : value > 0       ? "inf"
                                                     : "-inf");
  }
  addKey(key);
  // std::to_chars without a precision gives the shortest text that parses
  // back to exactly `value` in T's own precision.
  char text[64];
  auto result = std::to_chars(text, text + sizeof(text), value);
  body.append(text, result.ptr);
  return *this;
}

JsonRecord &JsonRecord::add(const std::string &key, double value) {
  return addFloat(key, value);
}

JsonRecord &JsonRecord::add(const std::string &key, float value) {
  return addFloat(key, value);
}

JsonRecord &JsonRecord::add(const std::string &key, int64_t value) {
  addKey(key);
  body += std::to_string(value);
  return *this;
}

JsonRecord &JsonRecord::add(const std::string &key, uint64_t value) {
  addKey(key);
  body += std::to_string(value);
  return *this;
}

JsonRecord &JsonRecord::add(const std::string &key, bool value) {
  addKey(key);
  body += value ? "true" : "false";
  return *this;
}

JsonRecord &JsonRecord::add(const std::string &key, const std::string &value) {
  addKey(key);
  appendJsonString(body, value);
  return *this;
}

JsonRecord &JsonRecord::addNull(const std::string &key) {
  addKey(key);
  body += "null";
  return *this;
}

Expected<JsonLinesWriter> JsonLinesWriter::open(const std::string &path,
                                                bool append) {
  if (path == "-")
    return JsonLinesWriter(stdout, path);
  FILE *file = std::fopen(path.c_str(), append ? "a" : "w");
  if (!file)
    return Status::error(
        path + ": cannot open the metrics file: " + std::strerror(errno));
  return JsonLinesWriter(file, path);
}

JsonLinesWriter::JsonLinesWriter(JsonLinesWriter &&other) noexcept {
  *this = std::move(other);
}

JsonLinesWriter &JsonLinesWriter::operator=(JsonLinesWriter &&other) noexcept {
  if (this == &other)
    return *this;
  if (file && file != stdout)
    std::fclose(file);
  file = other.file;
  path = std::move(other.path);
  other.file = nullptr;
  return *this;
}

JsonLinesWriter::~JsonLinesWriter() {
  if (file && file != stdout)
    std::fclose(file);
}

Status JsonLinesWriter::write(const JsonRecord &record) {
  std::string line = record.str();
  line += '\n';
  if (std::fwrite(line.data(), 1, line.size(), file) != line.size() ||
      std::fflush(file) != 0)
    return Status::error(
        path + ": cannot write the metrics file: " + std::strerror(errno));
  return Status::ok();
}
