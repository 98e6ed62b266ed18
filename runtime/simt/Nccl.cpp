//===- Nccl.cpp - the NCCL entry points with ranks as threads -------------===//
#include "nfrt/simt/SimtNccl.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {

/// The ranks of one unique id: a reusable barrier and the posted buffers.
struct Group {
  explicit Group(int n) : size(n), send(n) {}
  int size;
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0, joined = 0;
  long generation = 0;
  std::vector<const float *> send;

  void barrier() {
    std::unique_lock<std::mutex> lock(mu);
    long gen = generation;
    if (++arrived == size) {
      arrived = 0;
      ++generation;
      cv.notify_all();
      return;
    }
    cv.wait(lock, [&] { return generation != gen; });
  }
};

std::mutex gRegistryMu;
std::map<std::string, std::shared_ptr<Group>> gRegistry;
std::atomic<unsigned long> gNextId{1};

} // namespace

struct ncclComm {
  std::shared_ptr<Group> group;
  int rank;
};

const char *ncclGetErrorString(ncclResult_t result) {
  switch (result) {
  case ncclSuccess:
    return "no error";
  case ncclInvalidArgument:
    return "invalid argument";
  case ncclInvalidUsage:
    return "invalid usage";
  }
  return "unknown NCCL error";
}

ncclResult_t ncclGetUniqueId(ncclUniqueId *id) {
  std::memset(id->internal, 0, sizeof id->internal);
  std::snprintf(id->internal, sizeof id->internal, "simt-nccl-%lu",
                gNextId.fetch_add(1));
  return ncclSuccess;
}

ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId id,
                              int rank) {
  if (nranks < 1 || rank < 0 || rank >= nranks)
    return ncclInvalidArgument;
  std::shared_ptr<Group> group;
  {
    std::lock_guard<std::mutex> lock(gRegistryMu);
    std::shared_ptr<Group> &g = gRegistry[std::string(id.internal)];
    if (!g)
      g = std::make_shared<Group>(nranks);
    if (g->size != nranks)
      return ncclInvalidUsage;
    group = g;
  }
  *comm = new ncclComm{group, rank};
  group->barrier(); // NCCL's init blocks until every rank joined
  return ncclSuccess;
}

ncclResult_t ncclCommDestroy(ncclComm_t comm) {
  delete comm;
  return ncclSuccess;
}
ncclResult_t ncclCommCount(ncclComm_t comm, int *count) {
  *count = comm->group->size;
  return ncclSuccess;
}
ncclResult_t ncclCommUserRank(ncclComm_t comm, int *rank) {
  *rank = comm->rank;
  return ncclSuccess;
}

ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count,
                           ncclDataType_t datatype, ncclRedOp_t op,
                           ncclComm_t comm, cudaStream_t stream) {
  if (datatype != ncclFloat || (op != ncclSum && op != ncclAvg) || !comm)
    return ncclInvalidArgument;
  auto work = [=]() -> cudaError_t {
    Group &g = *comm->group;
    g.send[comm->rank] = static_cast<const float *>(sendbuff);
    g.barrier(); // every rank posted
    std::vector<float> sum(count, 0.f);
    for (int r = 0; r < g.size; ++r) // rank order: identical on all ranks
      for (size_t i = 0; i < count; ++i)
        sum[i] += g.send[r][i];
    if (op == ncclAvg)
      for (float &v : sum)
        v /= float(g.size);
    g.barrier(); // every rank read every send buffer
    std::memcpy(recvbuff, sum.data(), count * sizeof(float));
    return cudaSuccess;
  };
  return nfrt::simt::submit(stream, work) == cudaSuccess ? ncclSuccess
                                                         : ncclInvalidUsage;
}

ncclResult_t ncclGroupStart() { return ncclSuccess; }
ncclResult_t ncclGroupEnd() { return ncclSuccess; }
