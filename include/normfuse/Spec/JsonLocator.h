//===- JsonLocator.h - field paths and positions in spec JSON ----*- C++
//-*-===//
//
// FlatBuffers' JSON parser reports a line and column but not always the
// field; semantic checks know the field but not its position. JsonLocator
// scans the same text once and maps between the two, so every spec error
// reads `file:line:col: error: model.d_model: ...`.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SPEC_JSONLOCATOR_H
#define NORMFUSE_SPEC_JSONLOCATOR_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace normfuse {

struct TextPosition {
  unsigned line = 1; // 1-based
  unsigned col = 1;  // 1-based
};

/// The deepest nesting of objects and arrays the locator follows. A spec
/// nests three deep (model.norm.kind); a grid file a few more. Text nested
/// deeper is refused by its reader (the spec loader, the sweep grid
/// reader) at tooDeep(), so that no input makes scanning or parsing cost
/// more than linear time and memory.
constexpr unsigned kMaxJsonNesting = 32;

class JsonLocator {
public:
  /// Scans `text` (JSON as FlatBuffers accepts it: unquoted keys, comments).
  /// Malformed text is scanned as far as it goes.
  explicit JsonLocator(llvm::StringRef text);

  /// Where the first object or array nested deeper than kMaxJsonNesting
  /// opens; the scan stopped there.
  std::optional<TextPosition> tooDeep() const {
    if (!deepAt)
      return std::nullopt;
    return positionOf(*deepAt);
  }

  /// "" when the text nests within kMaxJsonNesting; else the one-line
  /// error "<file>:<line>:<col>: error: the JSON nests deeper than 32
  /// levels here; <hint>", where `hint` says how deep such a file nests.
  std::string tooDeepError(llvm::StringRef file, llvm::StringRef hint) const;

  /// Where the value of dotted `path` ("model.norm.kind") starts.
  std::optional<TextPosition> find(llvm::StringRef path) const;

  /// The path of the last value that starts before (line, col): the field a
  /// parser error at that position is about. Empty at the top level.
  std::string pathBefore(TextPosition pos) const;

  /// pathBefore for a parser that reports the column of its cursor, i.e.
  /// the number of characters consumed on the line (FlatBuffers does).
  std::string pathBeforeCursor(unsigned line, unsigned cursorCol) const;

private:
  struct ValueStart {
    size_t offset;
    std::string path;
  };
  size_t offsetOf(TextPosition pos) const;
  TextPosition positionOf(size_t offset) const;

  std::vector<size_t> lineStarts;
  std::vector<ValueStart> values;
  std::optional<size_t> deepAt;
};

} // namespace normfuse

#endif // NORMFUSE_SPEC_JSONLOCATOR_H
