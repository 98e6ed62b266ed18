//===- CppTokens.h - a strict lexer for generated C++ -----------*- C++ -*-===//
//
// The tests' view of the source NormFuse generates: tokens, with string
// and character literals decoded and comments dropped. Stricter than a
// compiler on purpose: a newline inside a literal, a line splice (a
// backslash before a newline), a trigraph, a prefixed or raw literal and an
// unknown escape are all errors, because the emitters never print them. The
// fuzz targets and unit tests use it to check that a spec's strings reach
// generated source only as literals (normfuse/Codegen/CppLiteral.h).
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_TEST_SUPPORT_CPPTOKENS_H
#define NORMFUSE_TEST_SUPPORT_CPPTOKENS_H

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace nftest {

struct CppToken {
  enum Kind { Literal, Other } kind;
  std::string text; // a literal's decoded value; else the token as written
};

/// Tokens of `src` into `out`; returns "" or what is wrong and where.
inline std::string lexCpp(std::string_view src, std::vector<CppToken> &out) {
  size_t i = 0, line = 1;
  auto where = [&] { return "line " + std::to_string(line) + ": "; };
  auto isWord = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  while (i < src.size()) {
    char c = src[i];
    if (c == '\\' && i + 1 < src.size() && src[i + 1] == '\n')
      return where() + "a line splice (backslash before a newline)";
    if (c == '?' && src.substr(i, 2) == "?\?")
      return where() + "'?\?' (a trigraph in older modes)";
    if (c == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (src.substr(i, 2) == "//") {
      size_t end = src.find('\n', i);
      std::string_view body = src.substr(i, end - i);
      if (body.find("?\?") != std::string_view::npos)
        return where() + "'?\?' in a comment";
      if (!body.empty() && body.back() == '\\' && end != std::string_view::npos)
        return where() + "a comment that continues on the next line";
      i = end == std::string_view::npos ? src.size() : end;
      continue;
    }
    if (src.substr(i, 2) == "/*") {
      size_t end = src.find("*/", i + 2);
      if (end == std::string_view::npos)
        return where() + "an unterminated /* comment";
      for (size_t k = i; k < end; ++k)
        line += src[k] == '\n';
      i = end + 2;
      continue;
    }
    if (c == '"' || c == '\'') {
      if (!out.empty() && out.back().kind == CppToken::Other &&
          isWord(out.back().text.back()) &&
          out.back().text.find_first_not_of("uULR8") == std::string::npos)
        return where() + "a prefixed or raw literal";
      std::string value;
      for (++i;; ++i) {
        if (i >= src.size() || src[i] == '\n')
          return where() + "a literal not closed on its line";
        char d = src[i];
        if (d == c)
          break;
        if (d == '?' && i + 1 < src.size() && src[i + 1] == '?')
          return where() + "'?\?' in a literal";
        if (d != '\\') {
          value += d;
          continue;
        }
        if (++i >= src.size())
          return where() + "a backslash at the end";
        char e = src[i];
        if (e >= '0' && e <= '7') {
          int v = 0, n = 0;
          for (; n < 3 && i < src.size() && src[i] >= '0' && src[i] <= '7';
               ++n, ++i)
            v = v * 8 + (src[i] - '0');
          --i;
          if (v > 255)
            return where() + "an octal escape beyond a byte";
          value += char(v);
          continue;
        }
        const char *simple = "n\nt\tr\rv\vf\fa\ab\b\\\\\"\"''?\?";
        bool found = false;
        for (const char *s = simple; *s; s += 2)
          if (*s == e) {
            value += s[1];
            found = true;
          }
        if (!found)
          return where() + "an escape the emitters never print: \\" +
                 std::string(1, e);
      }
      ++i; // the closing quote
      out.push_back({CppToken::Literal, value});
      continue;
    }
    size_t start = i;
    if (isWord(c) || c == '.')
      while (i < src.size() && (isWord(src[i]) || src[i] == '.'))
        ++i;
    else
      ++i;
    out.push_back({CppToken::Other, std::string(src.substr(start, i - start))});
  }
  return "";
}

/// The tokens with every literal's value replaced by one marker: two
/// sources with the same shape differ only inside their literals.
inline std::vector<std::string> shapeOf(const std::vector<CppToken> &tokens) {
  std::vector<std::string> shape;
  shape.reserve(tokens.size());
  for (const CppToken &t : tokens)
    shape.push_back(t.kind == CppToken::Literal ? "\"...\"" : t.text);
  return shape;
}

/// Whether some literal's value is exactly `s`.
inline bool hasLiteral(const std::vector<CppToken> &tokens,
                       std::string_view s) {
  for (const CppToken &t : tokens)
    if (t.kind == CppToken::Literal && t.text == s)
      return true;
  return false;
}

} // namespace nftest

#endif // NORMFUSE_TEST_SUPPORT_CPPTOKENS_H
