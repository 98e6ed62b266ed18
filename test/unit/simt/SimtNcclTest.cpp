//===- SimtNcclTest.cpp - the harness's NCCL across threads and processes -===//
//
// The training binary runs one process per rank, so the harness's NCCL must
// join ranks that are separate processes (a forked child here) as well as
// threads, give every rank the same bit-exact reduction, and fail a rank
// whose peers never come with a message naming the group, not hang.
//
//===----------------------------------------------------------------------===//
#include "nfrt/simt/SimtNccl.h"

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

/// Rank `rank`'s data: large enough to take several 1 MiB chunks.
std::vector<float> rankData(int rank, size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = float(rank + 1) * 0.1f + float(i % 977) * 1e-3f;
  return v;
}

/// Joins the group, all-reduces (avg of floats, max of uint64) and checks
/// the results; returns the number of mismatches (-1: a call failed).
int runRank(const ncclUniqueId &id, int rank, int world) {
  ncclComm_t comm = nullptr;
  if (ncclCommInitRank(&comm, world, id, rank) != ncclSuccess)
    return -1;
  const size_t n = 700001; // 2.7 chunks of floats
  std::vector<float> x = rankData(rank, n);
  if (ncclAllReduce(x.data(), x.data(), n, ncclFloat, ncclAvg, comm, nullptr) !=
      ncclSuccess)
    return -1;
  int bad = 0;
  std::vector<std::vector<float>> all;
  for (int r = 0; r < world; ++r)
    all.push_back(rankData(r, n));
  for (size_t i = 0; i < n; ++i) {
    float sum = all[0][i];
    for (int r = 1; r < world; ++r)
      sum += all[r][i];
    bad += x[i] != sum / float(world); // the same order: bit-exact
  }
  uint64_t u[2] = {uint64_t(rank) * 1000 + 7, ~(uint64_t(rank) * 1000 + 7)};
  if (ncclAllReduce(u, u, 2, ncclUint64, ncclMax, comm, nullptr) != ncclSuccess)
    return -1;
  bad += u[0] != uint64_t(world - 1) * 1000 + 7; // max
  bad += ~u[1] != 7;                             // min
  ncclCommDestroy(comm);
  return bad;
}

TEST(SimtNcclTest, RanksAsThreads) {
  ncclUniqueId id;
  ASSERT_EQ(ncclGetUniqueId(&id), ncclSuccess);
  int results[3] = {-2, -2, -2};
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r)
    threads.emplace_back([&, r] { results[r] = runRank(id, r, 3); });
  for (std::thread &t : threads)
    t.join();
  for (int r = 0; r < 3; ++r)
    EXPECT_EQ(results[r], 0) << "rank " << r;
}

TEST(SimtNcclTest, RanksAsProcesses) {
  ncclUniqueId id;
  ASSERT_EQ(ncclGetUniqueId(&id), ncclSuccess);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0)
    _exit(runRank(id, 1, 2) == 0 ? 0 : 1);
  EXPECT_EQ(runRank(id, 0, 2), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  // Rank 0 unlinked the segment once both had joined.
  std::string path = std::string("/dev/shm") + id.internal;
  EXPECT_NE(access(path.c_str(), F_OK), 0) << path << " left behind";
}

TEST(SimtNcclTest, MissingPeerTimesOutNamingTheGroup) {
  setenv("NFRT_SIMT_NCCL_TIMEOUT", "1", 1);
  ncclUniqueId id;
  ASSERT_EQ(ncclGetUniqueId(&id), ncclSuccess);
  ncclComm_t comm = nullptr;
  EXPECT_EQ(ncclCommInitRank(&comm, 2, id, 1), ncclInvalidUsage);
  std::string why = ncclGetLastError(nullptr);
  EXPECT_NE(why.find("rank 1 waited over 1 s"), std::string::npos) << why;
  EXPECT_NE(why.find(id.internal), std::string::npos) << why;
  unsetenv("NFRT_SIMT_NCCL_TIMEOUT");
  shm_unlink(id.internal); // rank 0 never came to unlink it
}

TEST(SimtNcclTest, RejectsForeignIds) {
  ncclUniqueId id{};
  std::snprintf(id.internal, sizeof id.internal, "not-an-id");
  ncclComm_t comm = nullptr;
  EXPECT_EQ(ncclCommInitRank(&comm, 1, id, 0), ncclInvalidArgument);
  EXPECT_NE(std::string(ncclGetLastError(nullptr)).find("not a SIMT"),
            std::string::npos);
}

} // namespace
