//===- Rng.cpp - xoshiro256** -----------------------------------------------===//
//
// Reference: https://prng.di.unimi.it/xoshiro256starstar.c (public domain).
//
//===----------------------------------------------------------------------===//
#include "nfrt/Rng.h"

using namespace nfrt;

static inline uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

Xoshiro256::Xoshiro256(uint64_t seed) {
  uint64_t sm = seed;
  for (uint64_t &word : s)
    word = splitmix64(sm);
}

Xoshiro256 Xoshiro256::fromState(const State &state) {
  Xoshiro256 rng;
  rng.s = state;
  return rng;
}

uint64_t Xoshiro256::next() {
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

uint64_t Xoshiro256::below(uint64_t bound) {
  // Values below `threshold` (2^64 mod bound) would make the low residues
  // more likely; they are drawn again.
  uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    uint64_t r = next();
    if (r >= threshold)
      return r % bound;
  }
}

void Xoshiro256::jump() {
  static const uint64_t kJump[] = {0x180ec6d33cfd0aba, 0xd5a61266f0c9392c,
                                   0xa9582618e03fc9aa, 0x39abdc4529b1661c};
  State acc = {0, 0, 0, 0};
  for (uint64_t word : kJump) {
    for (int b = 0; b < 64; ++b) {
      if (word & (uint64_t(1) << b))
        for (int i = 0; i < 4; ++i)
          acc[i] ^= s[i];
      next();
    }
  }
  s = acc;
}
