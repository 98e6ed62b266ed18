//===- Nccl.cpp - the NCCL entry points over shared memory ----------------===//
//
// nfrt/simt/SimtNccl.h. One POSIX shared memory segment per group:
//   [Header | size slots of kSlotBytes]
// The first rank to arrive creates it (O_EXCL), sizes it and sets `ready`;
// the others open it and wait for `ready`. Once every rank has joined,
// rank 0 unlinks the name (the mappings stay), so nothing is left behind.
// The barrier is a generation counter of lock-free atomics, which work
// across processes in shared memory.
//
//===----------------------------------------------------------------------===//
#include "nfrt/simt/SimtNccl.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

constexpr size_t kSlotBytes = size_t(1) << 20; // one chunk per rank

struct Header {
  std::atomic<uint32_t> ready;
  int32_t size;
  std::atomic<uint32_t> arrived;
  std::atomic<uint32_t> generation;
};
static_assert(std::atomic<uint32_t>::is_always_lock_free,
              "shared-memory atomics must be lock-free");

thread_local std::string tLastError;

ncclResult_t fail(ncclResult_t r, const std::string &why) {
  tLastError = why;
  return r;
}

double timeoutSeconds() {
  const char *e = std::getenv("NFRT_SIMT_NCCL_TIMEOUT");
  double t = e ? std::atof(e) : 0.0;
  return t > 0 ? t : 300.0;
}

/// Spins, then yields, then sleeps, until `done()` or the timeout.
template <class Done> bool waitFor(Done done) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  double limit = timeoutSeconds();
  for (long i = 0; !done(); ++i) {
    if (i < 64)
      continue;
    if (i < 4096) {
      sched_yield();
      continue;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    if (i % 256 == 0 &&
        std::chrono::duration<double>(Clock::now() - start).count() > limit)
      return false;
  }
  return true;
}

} // namespace

struct ncclComm {
  std::string name; // the segment's name
  Header *header = nullptr;
  unsigned char *slots = nullptr;
  size_t mappedBytes = 0;
  int rank = 0;

  unsigned char *slot(int r) { return slots + size_t(r) * kSlotBytes; }

  /// Every rank arrives before any leaves; false after the timeout.
  bool barrier() {
    uint32_t gen = header->generation.load(std::memory_order_acquire);
    if (header->arrived.fetch_add(1, std::memory_order_acq_rel) + 1 ==
        uint32_t(header->size)) {
      header->arrived.store(0, std::memory_order_relaxed);
      header->generation.fetch_add(1, std::memory_order_release);
      return true;
    }
    return waitFor([&] {
      return header->generation.load(std::memory_order_acquire) != gen;
    });
  }

  std::string timedOut() const {
    return "NCCL (SIMT harness): rank " + std::to_string(rank) +
           " waited over " + std::to_string(int(timeoutSeconds())) +
           " s for the other " + std::to_string(header->size - 1) +
           " rank(s) of group " + name;
  }
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

const char *ncclGetLastError(ncclComm_t) { return tLastError.c_str(); }

ncclResult_t ncclGetUniqueId(ncclUniqueId *id) {
  static std::atomic<unsigned long> next{1};
  std::memset(id->internal, 0, sizeof id->internal);
  auto t = std::chrono::steady_clock::now().time_since_epoch().count();
  std::snprintf(id->internal, sizeof id->internal,
                "/nfrt-simt-nccl-%d-%lu-%llx", int(getpid()), next.fetch_add(1),
                (unsigned long long)t);
  return ncclSuccess;
}

ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId id,
                              int rank) {
  if (nranks < 1 || rank < 0 || rank >= nranks)
    return fail(ncclInvalidArgument, "rank " + std::to_string(rank) + " of " +
                                         std::to_string(nranks));
  std::string name(id.internal, strnlen(id.internal, sizeof id.internal));
  if (name.rfind("/nfrt-simt-nccl-", 0) != 0 ||
      name.find('/', 1) != std::string::npos)
    return fail(ncclInvalidArgument,
                "not a SIMT harness NCCL id: '" + name.substr(0, 40) + "'");
  size_t bytes = sizeof(Header) + size_t(nranks) * kSlotBytes;
  bool creator = true;
  int fd = shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd < 0 && errno == EEXIST) {
    creator = false;
    fd = shm_open(name.c_str(), O_RDWR, 0600);
  }
  if (fd < 0)
    return fail(ncclInvalidUsage,
                "shm_open " + name + ": " + std::strerror(errno));
  if (creator && ftruncate(fd, off_t(bytes)) != 0) {
    int e = errno;
    close(fd);
    shm_unlink(name.c_str());
    return fail(ncclInvalidUsage, "sizing " + name + " (" +
                                      std::to_string(bytes) +
                                      " bytes): " + std::strerror(e));
  }
  // A later rank waits until the creator has sized the segment.
  struct stat st;
  bool sized = waitFor(
      [&] { return fstat(fd, &st) == 0 && size_t(st.st_size) >= bytes; });
  void *map =
      sized ? mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
            : MAP_FAILED;
  close(fd);
  if (map == MAP_FAILED)
    return fail(ncclInvalidUsage,
                sized ? "mmap " + name + ": " + std::strerror(errno)
                      : name + " was never sized by its first rank");
  auto *c = new ncclComm;
  c->name = name;
  c->header = static_cast<Header *>(map);
  c->slots = static_cast<unsigned char *>(map) + sizeof(Header);
  c->mappedBytes = bytes;
  c->rank = rank;
  if (creator) {
    c->header->size = nranks; // the rest is zero (a new segment)
    c->header->ready.store(1, std::memory_order_release);
  } else if (!waitFor([&] {
               return c->header->ready.load(std::memory_order_acquire) == 1;
             })) {
    ncclCommDestroy(c);
    return fail(ncclInvalidUsage, name + " was never initialised");
  }
  if (c->header->size != nranks) {
    int size = c->header->size;
    ncclCommDestroy(c);
    return fail(ncclInvalidUsage, "group " + name + " has " +
                                      std::to_string(size) + " ranks, not " +
                                      std::to_string(nranks));
  }
  // NCCL's init blocks until every rank joined.
  if (!c->barrier()) {
    std::string why = c->timedOut();
    ncclCommDestroy(c);
    return fail(ncclInvalidUsage, why);
  }
  if (rank == 0)
    shm_unlink(name.c_str());
  *comm = c;
  return ncclSuccess;
}

ncclResult_t ncclCommDestroy(ncclComm_t comm) {
  if (comm && comm->header)
    munmap(comm->header, comm->mappedBytes);
  delete comm;
  return ncclSuccess;
}
ncclResult_t ncclCommCount(ncclComm_t comm, int *count) {
  *count = comm->header->size;
  return ncclSuccess;
}
ncclResult_t ncclCommUserRank(ncclComm_t comm, int *rank) {
  *rank = comm->rank;
  return ncclSuccess;
}

namespace {

/// recv[i] = op over the ranks' slots, in rank order.
template <class T>
void reduceSlots(ncclComm &c, size_t n, ncclRedOp_t op, T *recv) {
  const T *first = reinterpret_cast<const T *>(c.slot(0));
  for (size_t i = 0; i < n; ++i) {
    T acc = first[i];
    for (int r = 1; r < c.header->size; ++r) {
      T v = reinterpret_cast<const T *>(c.slot(r))[i];
      acc = op == ncclMax ? (v > acc ? v : acc) : acc + v;
    }
    if (op == ncclAvg)
      acc /= T(c.header->size);
    recv[i] = acc;
  }
}

} // namespace

ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count,
                           ncclDataType_t datatype, ncclRedOp_t op,
                           ncclComm_t comm, cudaStream_t stream) {
  if (!comm)
    return fail(ncclInvalidArgument, "no communicator");
  if (datatype != ncclFloat && datatype != ncclUint64)
    return fail(ncclInvalidArgument, "the harness reduces float and uint64");
  if (op != ncclSum && op != ncclMax &&
      (op != ncclAvg || datatype != ncclFloat))
    return fail(ncclInvalidArgument, "the harness reduces with sum, max and "
                                     "(float) avg");
  size_t elem = datatype == ncclFloat ? 4 : 8;
  auto work = [=]() -> cudaError_t {
    ncclComm &c = *comm;
    const auto *send = static_cast<const unsigned char *>(sendbuff);
    auto *recv = static_cast<unsigned char *>(recvbuff);
    size_t chunk = kSlotBytes / elem;
    for (size_t at = 0; at < count; at += chunk) {
      size_t n = std::min(chunk, count - at);
      std::memcpy(c.slot(c.rank), send + at * elem, n * elem);
      if (!c.barrier()) // every rank posted its chunk
        return nfrt::simt::launchFailed(c.timedOut());
      if (datatype == ncclFloat)
        reduceSlots(c, n, op, reinterpret_cast<float *>(recv + at * elem));
      else
        reduceSlots(c, n, op, reinterpret_cast<uint64_t *>(recv + at * elem));
      if (!c.barrier()) // every rank read every slot
        return nfrt::simt::launchFailed(c.timedOut());
    }
    return cudaSuccess;
  };
  return nfrt::simt::submit(stream, work) == cudaSuccess ? ncclSuccess
                                                         : ncclInvalidUsage;
}

ncclResult_t ncclGroupStart() { return ncclSuccess; }
ncclResult_t ncclGroupEnd() { return ncclSuccess; }
