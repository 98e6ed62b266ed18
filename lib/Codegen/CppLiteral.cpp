//===- CppLiteral.cpp - spec strings in generated source ------------------===//
#include "normfuse/Codegen/CppLiteral.h"

std::string normfuse::emit::cppStringLiteral(llvm::StringRef s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?';
    if (plain) {
      out += char(c);
      continue;
    }
    // Always three digits: an escape never takes a digit that follows.
    out += '\\';
    out += char('0' + (c >> 6));
    out += char('0' + ((c >> 3) & 7));
    out += char('0' + (c & 7));
  }
  return out + "\"";
}
