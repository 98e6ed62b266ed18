//===- Random.h - the one PRNG of NormFuse ----------------------*- C++ -*-===//
//
// splitmix64 with Box-Muller normals: tiny, fast, and identical on every
// platform and compiler (std:: distributions are not), so the reference
// interpreter, the step checker and the training runtime draw the same
// numbers. Each parameter's stream is seeded by (seed, its name), so a
// parameter keeps its values when a rewrite adds or removes others.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_RANDOM_H
#define NFRT_RANDOM_H

#include <cmath>
#include <cstdint>

namespace nfrt {

class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}

  /// A stream for the tensor `name` under run seed `seed` (FNV-1a of name).
  static Random forName(const char *name, uint64_t seed) {
    uint64_t h = 1469598103934665603ull ^ seed;
    for (const char *c = name; *c; ++c)
      h = (h ^ uint8_t(*c)) * 1099511628211ull;
    return Random(h);
  }

  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return (next() >> 11) * 0x1.0p-53; }

  /// Standard normal (Box-Muller, one draw per call).
  double normal() {
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1 + 1e-300)) *
           std::cos(6.283185307179586 * u2);
  }

  /// Uniform integer in [0, n).
  uint64_t below(uint64_t n) { return next() % n; }

  uint64_t rawState() const { return state; }

private:
  uint64_t state;
};

} // namespace nfrt

#endif // NFRT_RANDOM_H
