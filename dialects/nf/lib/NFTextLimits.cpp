//===- NFTextLimits.cpp - bounds on IR text before it is parsed -----------===//
#include "nf/NFTextLimits.h"

#include "llvm/Support/FormatVariadic.h"

std::string mlir::nf::checkIRNesting(llvm::StringRef text, llvm::StringRef name,
                                     unsigned limit) {
  unsigned depth = 0, line = 1;
  size_t lineStart = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
    case '\n':
      ++line;
      lineStart = i + 1;
      break;
    case '"': // a string literal: brackets inside do not nest
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
      if (i < text.size() && text[i] == '\n')
        --i; // the newline is counted by the loop
      break;
    case '/':
      if (i + 1 < text.size() && text[i + 1] == '/') {
        size_t end = text.find('\n', i);
        i = (end == llvm::StringRef::npos ? text.size() : end) - 1;
      }
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      if (++depth > limit)
        return llvm::formatv("{0}:{1}:{2}: error: the IR nests deeper than "
                             "{3} levels here; nf-opt and nfc refuse it "
                             "(NormFuse's IR nests about 10 deep)",
                             name, line, i - lineStart + 1, limit)
            .str();
      break;
    case '>':
      if (i > 0 && text[i - 1] == '-')
        break; // the arrow of a function type
      [[fallthrough]];
    case ')':
    case ']':
    case '}':
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
  }
  return "";
}
