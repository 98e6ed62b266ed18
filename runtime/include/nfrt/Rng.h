//===- Rng.h - a small, portable pseudo-random generator --------*- C++ -*-===//
//
// xoshiro256** (Blackman and Vigna), seeded through splitmix64. Every draw
// is plain 64-bit integer arithmetic, so a seed gives the same sequence on
// every platform and compiler; the <random> distributions are deliberately
// not used because their algorithms are implementation-defined. The state
// is four words that a checkpoint stores verbatim.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_RNG_H
#define NFRT_RNG_H

#include <array>
#include <cstdint>

namespace nfrt {

/// One step of splitmix64: advances `state` and returns a mixed value.
inline uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Xoshiro256 {
public:
  using State = std::array<uint64_t, 4>;

  /// The state splitmix64 makes from `seed` (never all zero).
  explicit Xoshiro256(uint64_t seed = 0);
  static Xoshiro256 fromState(const State &state);

  uint64_t next();
  /// A uniform integer in [0, bound), bound > 0, without modulo bias
  /// (rejection sampling, so the draw count may vary but is deterministic).
  uint64_t below(uint64_t bound);
  /// A uniform double in [0, 1) with 53 random bits.
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  /// Advances by 2^128 draws: `jump()` k times gives stream k, which never
  /// overlaps the others in practice (one per data-parallel rank).
  void jump();

  const State &state() const { return s; }

private:
  State s;
};

} // namespace nfrt

#endif // NFRT_RNG_H
