//===- RunGuardsTest.cpp - the output directory lock, the memory check ----===//
#include "TempDir.h"

#include "nfrt/DirLock.h"
#include "nfrt/MachineMemory.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

using namespace nfrt;
using nfrt::test::TempDir;

// flock locks belong to an open file: a second acquire, even from this
// process, is refused while the first lives and succeeds once it is gone.
TEST(DirLock, SecondHolderIsRefusedWithThePid) {
  TempDir dir;
  std::string d = dir.path("run");
  ASSERT_EQ(::mkdir(d.c_str(), 0755), 0);
  {
    Expected<DirLock> first = DirLock::acquire(d);
    ASSERT_TRUE(first) << first.message();
    EXPECT_EQ(TempDir::read(d + "/.lock"), std::to_string(::getpid()) + "\n");
    Expected<DirLock> second = DirLock::acquire(d);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.message(),
              d + ": error: another run (pid " + std::to_string(::getpid()) +
                  ") is using this directory; wait for it or choose another "
                  "--out");
  }
  Expected<DirLock> again = DirLock::acquire(d);
  EXPECT_TRUE(again) << again.message();
}

TEST(DirLock, MissingDirectoryIsNamed) {
  TempDir dir;
  Expected<DirLock> l = DirLock::acquire(dir.path("no/such"));
  ASSERT_FALSE(l);
  EXPECT_EQ(l.message(), dir.path("no/such") +
                             "/.lock: error: cannot open the lock file: No "
                             "such file or directory");
}

TEST(MachineMemory, EnvironmentOverrides) {
  ::setenv("NFRT_MEMORY_LIMIT_BYTES", "123456", 1);
  MachineMemory m = machineMemory();
  EXPECT_EQ(m.bytes, 123456u);
  EXPECT_EQ(m.source, "NFRT_MEMORY_LIMIT_BYTES");
  // Not a positive integer: ignored, the machine's own number instead.
  ::setenv("NFRT_MEMORY_LIMIT_BYTES", "12x", 1);
  EXPECT_NE(machineMemory().source, "NFRT_MEMORY_LIMIT_BYTES");
  ::unsetenv("NFRT_MEMORY_LIMIT_BYTES");
  MachineMemory real = machineMemory();
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  EXPECT_GT(real.bytes, 0u);
  EXPECT_LE(real.bytes, uint64_t(pages) * uint64_t(page));
}

TEST(MachineMemory, ShortfallNamesEveryPartAndBothTotals) {
  MachineMemory m{2ull << 30, "cgroup memory limit"};
  std::vector<std::pair<std::string, uint64_t>> parts = {
      {"parameters", 1ull << 30},
      {"gradients", 1ull << 30},
      {"arena", 0},
      {"batches", 512ull << 10}};
  EXPECT_EQ(memoryShortfall(parts, m),
            "this run needs about 2.0 GB of memory (parameters 1.0 GB, "
            "gradients 1.0 GB, batches 512 KB) but this machine has 2.0 GB "
            "(cgroup memory limit)");
  parts[3].second = 0;
  EXPECT_EQ(memoryShortfall(parts, m), ""); // exactly fits
  EXPECT_EQ(formatBytes(83ull * 1048576 + 1048576 / 20), "83.0 MB");
  EXPECT_EQ(memoryShortfall({{"arena", 3ull << 30}}, 1ull << 30, "GPU memory",
                            "the GPU has 1.0 GB free"),
            "this run needs about 3.0 GB of GPU memory (arena 3.0 GB) but the "
            "GPU has 1.0 GB free");
}
