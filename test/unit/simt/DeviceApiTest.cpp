//===- DeviceApiTest.cpp - a CUDA model's device table, on the harness ----===//
//
// nfrt/cuda/DeviceApi.cuh compiled by the host compiler: what the training
// main relies on (zeroed allocations, copies in stream order, the
// non-finite flag wherever the bad value sits, a group of one agreeing).
//
//===----------------------------------------------------------------------===//
#include "nfrt/cuda/DeviceApi.cuh"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace {

const nfrt::DeviceApi &dev = nfrt::cuda::kDeviceApi;

TEST(DeviceApiTest, DescribesTheHarness) {
  EXPECT_STREQ(dev.platform, "simt");
  const char *why = "";
  EXPECT_GE(dev.deviceCount(&why), 1);
  char name[64] = "";
  dev.select(0, name, sizeof name);
  EXPECT_NE(std::string(name), "");
}

TEST(DeviceApiTest, AllocationsAreZeroedAndCopiesRoundTrip) {
  const size_t n = 1000;
  auto *d = static_cast<float *>(dev.alloc(n * 4));
  std::vector<float> host(n, 1.f);
  dev.toHost(host.data(), d, n * 4);
  for (float v : host)
    ASSERT_EQ(v, 0.f);
  for (size_t i = 0; i < n; ++i)
    host[i] = float(i) * 0.5f;
  dev.toDevice(d, host.data(), n * 4);
  auto *e = static_cast<float *>(dev.alloc(n * 4));
  dev.deviceCopy(e, d, n * 4);
  std::vector<float> back(n);
  dev.toHost(back.data(), e, n * 4);
  EXPECT_EQ(back, host);
  dev.release(d);
  dev.release(e);
}

TEST(DeviceApiTest, FlagsNaNAndInfinityAnywhere) {
  // More elements than one grid-stride pass covers (1024 blocks x 256).
  const int64_t n = 1024 * 256 * 2 + 77;
  auto *d = static_cast<float *>(dev.alloc(n * 4));
  std::vector<float> host(n, 3.f);
  dev.toDevice(d, host.data(), n * 4);
  EXPECT_FALSE(dev.anyNonFinite(d, n));
  const float bad[] = {std::numeric_limits<float>::quiet_NaN(),
                       std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity()};
  for (int64_t at : {int64_t(0), int64_t(300000), n - 1})
    for (float b : bad) {
      host[at] = b;
      dev.toDevice(d, host.data(), n * 4);
      EXPECT_TRUE(dev.anyNonFinite(d, n)) << at << " " << b;
      EXPECT_FALSE(dev.anyNonFinite(d, at)) << "only before " << at;
      host[at] = 3.f;
    }
  // The largest finite float is finite.
  host[5] = std::numeric_limits<float>::max();
  dev.toDevice(d, host.data(), n * 4);
  EXPECT_FALSE(dev.anyNonFinite(d, n));
  dev.release(d);
}

TEST(DeviceApiTest, AGroupOfOneAgrees) { EXPECT_TRUE(dev.allEqual(42)); }

} // namespace
