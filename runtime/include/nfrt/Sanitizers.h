//===- Sanitizers.h - is this translation unit built with ASan? -*- C++ -*-===//
//
// NFRT_ASAN is 1 when AddressSanitizer instruments this file (clang's
// __has_feature, GCC's __SANITIZE_ADDRESS__), else 0. The runtime announces
// fiber switches and sets a few ASan defaults where it must
// (docs/fuzzing.md). NFRT_CHECK_TOKEN_IDS turns on the kernels' token id
// checks in debug and sanitized builds.
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

// NFRT_UBSAN: 1 under clang's UndefinedBehaviorSanitizer where the compiler
// says so (__has_feature learned it in clang 19; GCC has no such test).
#if defined(__has_feature)
#if __has_feature(undefined_behavior_sanitizer)
#define NFRT_UBSAN 1
#endif
#endif
#ifndef NFRT_UBSAN
#define NFRT_UBSAN 0
#endif

// NFRT_CHECK_TOKEN_IDS: the CPU embedding and cross-entropy kernels check
// every token id against the vocabulary and abort with a message naming
// the kernel, the position and the id, instead of reading or writing past
// a table. On without NDEBUG or under a sanitizer; -DNFRT_CHECK_TOKEN_IDS=0
// or =1 decides it explicitly. nfc build compiles models without NDEBUG,
// so training binaries check too (one compare per token per call, next to
// a row copy of d_model floats); their main has checked every token of the
// data before the first step, so there it never fires.
#ifndef NFRT_CHECK_TOKEN_IDS
#if !defined(NDEBUG) || NFRT_ASAN || NFRT_UBSAN
#define NFRT_CHECK_TOKEN_IDS 1
#else
#define NFRT_CHECK_TOKEN_IDS 0
#endif
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace nfrt {

/// What a kernel does with a token id outside [0, vocab) when
/// NFRT_CHECK_TOKEN_IDS is on: one line on stderr, then abort (a bug or
/// unchecked data, not a condition to recover from). `vocab` 0: the kernel
/// does not know the vocabulary, only that ids are not negative.
[[noreturn]] inline void tokenIdOutOfRange(const char *kernel, int64_t index,
                                           int64_t id, int64_t vocab) {
  if (vocab > 0)
    std::fprintf(stderr,
                 "nfrt: %s: token id %lld at index %lld is outside the "
                 "model's vocabulary [0, %lld)\n",
                 kernel, (long long)id, (long long)index, (long long)vocab);
  else
    std::fprintf(stderr, "nfrt: %s: token id %lld at index %lld is negative\n",
                 kernel, (long long)id, (long long)index);
  std::abort();
}

/// Calls tokenIdOutOfRange when NFRT_CHECK_TOKEN_IDS is on and `id` is
/// outside [0, V); V == 0: only negative ids are caught.
template <int64_t V>
inline void checkTokenId(const char *kernel, int64_t index, int32_t id) {
#if NFRT_CHECK_TOKEN_IDS
  if (id < 0 || (V > 0 && id >= V))
    tokenIdOutOfRange(kernel, index, id, V);
#else
  (void)kernel;
  (void)index;
  (void)id;
#endif
}

} // namespace nfrt

#endif // NFRT_SANITIZERS_H
