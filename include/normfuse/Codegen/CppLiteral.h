//===- CppLiteral.h - spec strings in generated source ----------*- C++ -*-===//
//
// A spec is untrusted input that NormFuse compiles into code. Every string
// from a spec or a module that reaches generated C++ or CUDA source (the
// model name, parameter and layer names, data paths, the out dir) goes
// through cppStringLiteral, and only through it. It depends on nothing but
// LLVM's StringRef, so the unit tests check it without the emitters.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_CODEGEN_CPPLITERAL_H
#define NORMFUSE_CODEGEN_CPPLITERAL_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace normfuse::emit {

/// `s` as a C++ (and CUDA) narrow string literal, quotes included.
/// Printable ASCII other than the quote, the backslash and '?' stands for
/// itself; every other byte is a three-digit octal escape (\042 for the
/// quote). So no input can end the literal, end a // comment the literal
/// is printed in, splice lines or form a trigraph, and the literal's value
/// is exactly `s`, bytes that are not UTF-8 included.
std::string cppStringLiteral(llvm::StringRef s);

} // namespace normfuse::emit

#endif // NORMFUSE_CODEGEN_CPPLITERAL_H
