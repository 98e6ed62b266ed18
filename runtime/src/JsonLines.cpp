//===- JsonLines.cpp - metrics as one JSON object per line ----------------===//
#include "nfrt/JsonLines.h"

#include "FileUtil.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

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

namespace {

/// A recursive-descent JSON syntax check over [p, end). Nesting is bounded
/// so a hostile file cannot overflow the stack.
class JsonSyntax {
public:
  JsonSyntax(const char *p, const char *end) : p(p), end(end) {}
  bool whole() {
    skipSpace();
    if (!value(0))
      return false;
    skipSpace();
    return p == end;
  }

private:
  const char *p, *end;

  void skipSpace() {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
      ++p;
  }
  bool literal(const char *word) {
    size_t n = std::strlen(word);
    if (size_t(end - p) < n || std::memcmp(p, word, n) != 0)
      return false;
    p += n;
    return true;
  }
  bool digits() {
    const char *start = p;
    while (p < end && *p >= '0' && *p <= '9')
      ++p;
    return p > start;
  }
  bool number() {
    if (p < end && *p == '-')
      ++p;
    if (p < end && *p == '0')
      ++p;
    else if (!digits())
      return false;
    if (p < end && *p == '.') {
      ++p;
      if (!digits())
        return false;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p < end && (*p == '+' || *p == '-'))
        ++p;
      if (!digits())
        return false;
    }
    return true;
  }
  bool string() {
    if (p >= end || *p != '"')
      return false;
    for (++p; p < end; ++p) {
      unsigned char c = static_cast<unsigned char>(*p);
      if (c == '"') {
        ++p;
        return true;
      }
      if (c < 0x20)
        return false;
      if (c != '\\')
        continue;
      if (++p >= end)
        return false;
      if (*p == 'u') {
        for (int i = 0; i < 4; ++i)
          if (++p >= end || !std::isxdigit(static_cast<unsigned char>(*p)))
            return false;
      } else if (!std::strchr("\"\\/bfnrt", *p)) {
        return false;
      }
    }
    return false;
  }
  bool value(int depth) {
    if (depth > 64 || p >= end)
      return false;
    switch (*p) {
    case '{':
    case '[': {
      char close = *p == '{' ? '}' : ']';
      bool object = *p == '{';
      ++p;
      skipSpace();
      if (p < end && *p == close) {
        ++p;
        return true;
      }
      while (true) {
        skipSpace();
        if (object) {
          if (!string())
            return false;
          skipSpace();
          if (p >= end || *p++ != ':')
            return false;
          skipSpace();
        }
        if (!value(depth + 1))
          return false;
        skipSpace();
        if (p < end && *p == ',') {
          ++p;
          continue;
        }
        if (p < end && *p == close) {
          ++p;
          return true;
        }
        return false;
      }
    }
    case '"':
      return string();
    case 't':
      return literal("true");
    case 'f':
      return literal("false");
    case 'n':
      return literal("null");
    default:
      return number();
    }
  }
};

} // namespace

bool nfrt::isValidJson(const std::string &text) {
  return JsonSyntax(text.data(), text.data() + text.size()).whole();
}

Expected<KeptRecords> nfrt::keepRecordsUpTo(const std::string &path,
                                            int64_t lastStep) {
  KeptRecords result;
  FILE *in = std::fopen(path.c_str(), "rb");
  if (!in) {
    if (errno == ENOENT)
      return result;
    return Status::error(
        path + ": cannot read the metrics file: " + std::strerror(errno));
  }
  std::string text;
  char chunk[65536];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, in)) > 0)
    text.append(chunk, got);
  bool readError = std::ferror(in);
  std::fclose(in);
  if (readError)
    return Status::error(
        path + ": cannot read the metrics file: " + std::strerror(errno));

  std::string kept;
  const std::string stepKey = "{\"step\":";
  for (size_t at = 0; at < text.size();) {
    size_t newline = text.find('\n', at);
    // A last line without its newline was cut short by a crash or a full
    // disk: drop it even when its prefix happens to be valid JSON.
    if (newline == std::string::npos) {
      ++result.dropped;
      break;
    }
    std::string line = text.substr(at, newline - at);
    at = newline + 1;
    bool keep = !line.empty() && line.front() == '{' && isValidJson(line);
    // Every record the runtime writes starts with its step.
    if (keep && line.compare(0, stepKey.size(), stepKey) == 0) {
      char *end = nullptr;
      long long step = std::strtoll(line.c_str() + stepKey.size(), &end, 10);
      keep = end != line.c_str() + stepKey.size() && step <= lastStep;
    }
    if (!keep) {
      ++result.dropped;
      continue;
    }
    ++result.kept;
    kept += line;
    kept += '\n';
  }
  if (result.dropped == 0)
    return result;

  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return detail::systemError(tmp, "cannot rewrite the metrics file");
  Status s = detail::writeAll(fd, tmp, kept.data(), kept.size());
  if (s && ::fsync(fd) != 0)
    s = detail::systemError(tmp, "cannot flush the metrics file");
  if (::close(fd) != 0 && s)
    s = detail::systemError(tmp, "cannot close the metrics file");
  if (s && ::rename(tmp.c_str(), path.c_str()) != 0)
    s = detail::systemError(path, "cannot replace the metrics file");
  if (!s) {
    ::unlink(tmp.c_str());
    return s;
  }
  detail::syncDirectoryOf(path);
  return result;
}
