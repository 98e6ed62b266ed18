//===- ScheduleOrder.cpp - the seed and its per-launch streams ------------===//
#include "ScheduleOrder.h"
#include "nfrt/simt/Scheduler.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace nfrt::simt {
namespace {

/// The process's seed: NFRT_SIMT_SEED until setScheduleSeed changes it.
std::once_flag gEnvOnce;
std::atomic<bool> gSeeded{false};
std::atomic<uint64_t> gSeed{0};
/// Launches the calling thread made since the seed was last set: each
/// launch draws its own stream, and setScheduleSeed restarts the count so
/// that a test sees the same orders whatever ran before it.
thread_local uint64_t tLaunches = 0;

void readEnvironment() {
  std::call_once(gEnvOnce, [] {
    const char *env = std::getenv("NFRT_SIMT_SEED");
    if (!env || !*env)
      return;
    char *end = nullptr;
    unsigned long long seed = std::strtoull(env, &end, 10);
    if (*end || *env == '-') {
      std::fprintf(stderr,
                   "simt: error: NFRT_SIMT_SEED=%s: expected an unsigned "
                   "integer\n",
                   env);
      std::exit(1);
    }
    gSeed = seed;
    gSeeded = true;
  });
}

uint64_t mix(uint64_t z) { // SplitMix64's finalizer
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

} // namespace

uint64_t ScheduleOrder::next() { return mix(state += 0x9e3779b97f4a7c15ull); }

ScheduleOrder ScheduleOrder::forNextLaunch() {
  readEnvironment();
  ScheduleOrder o;
  uint64_t launch = tLaunches++;
  if (!gSeeded)
    return o;
  o.seeded = true;
  o.state = mix(gSeed.load()) ^ mix(launch + 1);
  return o;
}

void setScheduleSeed(std::optional<uint64_t> seed) {
  readEnvironment(); // before, so that it cannot override this later
  gSeed = seed.value_or(0);
  gSeeded = seed.has_value();
  tLaunches = 0;
}

} // namespace nfrt::simt
