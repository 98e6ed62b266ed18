//===- Sanitizers.h - is this translation unit built with ASan? -*- C++ -*-===//
//
// NFRT_ASAN is 1 when AddressSanitizer instruments this file (clang's
// __has_feature, GCC's __SANITIZE_ADDRESS__), else 0. The runtime announces
// fiber switches and sets a few ASan defaults where it must
// (docs/fuzzing.md).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SANITIZERS_H
#define NFRT_SANITIZERS_H

#if defined(__SANITIZE_ADDRESS__)
#define NFRT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NFRT_ASAN 1
#endif
#endif
#ifndef NFRT_ASAN
#define NFRT_ASAN 0
#endif

#endif // NFRT_SANITIZERS_H
