//===- JsonLocator.cpp - field paths and positions in spec JSON
//-------------===//
#include "normfuse/Spec/JsonLocator.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cctype>

using namespace normfuse;

namespace {
/// One open object or array while scanning.
struct Frame {
  bool isObject;
  std::string key;    // object: the key whose value comes next
  unsigned index = 0; // array: the element that comes next
  bool expectKey = true;
};

std::string joinPath(const std::vector<Frame> &stack) {
  std::string path;
  for (const Frame &f : stack) {
    if (f.isObject) {
      if (!path.empty())
        path += '.';
      path += f.key;
    } else {
      path += '[' + std::to_string(f.index) + ']';
    }
  }
  return path;
}

/// Longer keys are cut to this many characters in paths.
constexpr size_t kMaxKeyLength = 256;

bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
         c == '+' || c == '.';
}
} // namespace

JsonLocator::JsonLocator(llvm::StringRef text) {
  lineStarts.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n')
      lineStarts.push_back(i + 1);

  std::vector<Frame> stack;
  size_t i = 0;
  // Called at the first character of every value.
  auto startValue = [&](size_t offset) {
    values.push_back({offset, joinPath(stack)});
  };
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (text.substr(i).starts_with("//")) {
      size_t end = text.find('\n', i);
      i = end == llvm::StringRef::npos ? text.size() : end;
      continue;
    }
    if (text.substr(i).starts_with("/*")) {
      size_t end = text.find("*/", i + 2);
      i = end == llvm::StringRef::npos ? text.size() : end + 2;
      continue;
    }
    size_t tokenStart = i;
    std::string word;
    bool isWord = false;
    if (c == '"' || c == '\'') {
      ++i;
      while (i < text.size() && text[i] != c) {
        if (text[i] == '\\' && i + 1 < text.size())
          ++i;
        // Only a key's first characters matter (no field name is longer):
        // a megabyte key must not be copied into every path below it.
        if (word.size() < kMaxKeyLength)
          word += text[i];
        ++i;
      }
      ++i; // closing quote
      isWord = true;
    } else if (isWordChar(c)) {
      for (; i < text.size() && isWordChar(text[i]); ++i)
        if (word.size() < kMaxKeyLength)
          word += text[i];
      isWord = true;
    } else {
      ++i;
    }

    Frame *top = stack.empty() ? nullptr : &stack.back();
    if (isWord && top && top->isObject && top->expectKey) {
      top->key = word;
      continue;
    }
    switch (isWord ? 'w' : c) {
    case ':':
      if (top && top->isObject)
        top->expectKey = false;
      break;
    case ',':
      if (top && top->isObject)
        top->expectKey = true;
      else if (top)
        ++top->index;
      break;
    case '{':
    case '[':
      if (stack.size() >= kMaxJsonNesting) {
        deepAt = tokenStart;
        return;
      }
      if (!top || !top->isObject || !top->expectKey)
        startValue(tokenStart);
      stack.push_back(Frame{c == '{', "", 0, true});
      break;
    case '}':
    case ']':
      if (!stack.empty())
        stack.pop_back();
      break;
    default: // a scalar value
      startValue(tokenStart);
      break;
    }
  }
}

size_t JsonLocator::offsetOf(TextPosition pos) const {
  unsigned line = std::clamp<unsigned>(pos.line, 1, lineStarts.size());
  return lineStarts[line - 1] + (pos.col > 0 ? pos.col - 1 : 0);
}

std::string JsonLocator::pathBeforeCursor(unsigned line,
                                          unsigned cursorCol) const {
  // A cursor column counts the characters before the cursor, so it is the
  // 1-based column of the last character read.
  return pathBefore({line, cursorCol + 1});
}

TextPosition JsonLocator::positionOf(size_t offset) const {
  auto it = std::upper_bound(lineStarts.begin(), lineStarts.end(), offset);
  unsigned line = static_cast<unsigned>(it - lineStarts.begin());
  return {line, static_cast<unsigned>(offset - lineStarts[line - 1] + 1)};
}

std::string JsonLocator::tooDeepError(llvm::StringRef file,
                                      llvm::StringRef hint) const {
  std::optional<TextPosition> pos = tooDeep();
  if (!pos)
    return "";
  return (file + ":" + llvm::Twine(pos->line) + ":" + llvm::Twine(pos->col) +
          ": error: the JSON nests deeper than " +
          llvm::Twine(kMaxJsonNesting) + " levels here; " + hint)
      .str();
}

std::optional<TextPosition> JsonLocator::find(llvm::StringRef path) const {
  for (const ValueStart &v : values)
    if (v.path == path)
      return positionOf(v.offset);
  return std::nullopt;
}

std::string JsonLocator::pathBefore(TextPosition pos) const {
  size_t offset = offsetOf(pos);
  std::string path;
  for (const ValueStart &v : values) {
    if (v.offset >= offset)
      break;
    path = v.path;
  }
  return path;
}
