//===- Comm.h - data-parallel communication (MPI or one process) -*- C++
//-*-===//
//
// Data parallelism over processes: every rank holds the whole model,
// computes gradients on its slice of the global batch, and the gradients
// are averaged (all-reduce) before the optimizer, so parameters stay
// identical on all ranks. Built with NFRT_WITH_MPI it uses MPI (launched by
// mpirun). Otherwise the rank and world size come from the launcher's
// environment (RANK and WORLD_SIZE as torchrun sets them, or OpenMPI's and
// MPICH's variables when mpirun starts a binary without MPI), and the
// processes have no channel here: a device model all-reduces over NCCL
// itself, and a CPU model needs the MPI flavour for more than one rank.
// Header only: the training binary's main is compiled once per flavour.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_COMM_H
#define NFRT_COMM_H

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#ifdef NFRT_WITH_MPI
#include <mpi.h>
#endif

namespace nfrt {

class Comm {
public:
  Comm(int *argc, char ***argv) {
#ifdef NFRT_WITH_MPI
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rankId);
    MPI_Comm_size(MPI_COMM_WORLD, &worldSize);
    source = "MPI";
    mpi = true;
    // Started without mpirun (MPI's singleton) by another launcher: its
    // variables name the ranks, and MPI connects nothing.
    if (worldSize == 1 && readLauncherEnv() && worldSize > 1)
      mpi = false;
    localRankId = envInt("OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID",
                         "LOCAL_RANK", rankId);
#else
    (void)argc;
    (void)argv;
    readLauncherEnv();
    localRankId = envInt("LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK",
                         "MPI_LOCALRANKID", rankId);
#endif
  }
  ~Comm() {
#ifdef NFRT_WITH_MPI
    MPI_Finalize();
#endif
  }
  Comm(const Comm &) = delete;
  Comm &operator=(const Comm &) = delete;

  int rank() const { return rankId; }
  int world() const { return worldSize; }
  /// The rank among this node's processes (which GPU it drives).
  int localRank() const { return localRankId; }
  bool isRoot() const { return rankId == 0; }
  /// Where the rank came from ("MPI", "RANK/WORLD_SIZE", ...; "" alone).
  const std::string &launcher() const { return source; }
  /// A malformed launcher environment, or "".
  const std::string &launchError() const { return error; }
  /// Whether the processes can talk here (broadcast, allReduceMean).
  bool connected() const { return mpi || worldSize == 1; }

  /// Rank 0's `bytes` at `data` to every rank (MPI only).
  void broadcast(void *data, int bytes) {
#ifdef NFRT_WITH_MPI
    if (mpi)
      MPI_Bcast(data, bytes, MPI_BYTE, 0, MPI_COMM_WORLD);
#else
    (void)data;
    (void)bytes;
#endif
  }

  /// x <- the mean of x over all ranks (in place).
  void allReduceMean(float *x, int64_t n) {
#ifdef NFRT_WITH_MPI
    if (mpi && worldSize > 1) {
      // MPI counts are int: reduce in chunks.
      for (int64_t at = 0; at < n; at += int64_t(1) << 30) {
        int count = int(std::min<int64_t>(n - at, int64_t(1) << 30));
        MPI_Allreduce(MPI_IN_PLACE, x + at, count, MPI_FLOAT, MPI_SUM,
                      MPI_COMM_WORLD);
      }
      for (int64_t i = 0; i < n; ++i)
        x[i] /= float(worldSize);
    }
#else
    (void)x;
    (void)n;
#endif
  }

  /// The largest `value` over all ranks (a flag any rank may raise).
  int allReduceMax(int value) {
#ifdef NFRT_WITH_MPI
    if (mpi && worldSize > 1)
      MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
#endif
    return value;
  }

  /// Whether every rank holds the same `value` (e.g. a parameter checksum).
  bool allEqual(uint64_t value) {
#ifdef NFRT_WITH_MPI
    if (mpi && worldSize > 1) {
      uint64_t lo = value, hi = value;
      MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_UINT64_T, MPI_MIN,
                    MPI_COMM_WORLD);
      MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_UINT64_T, MPI_MAX,
                    MPI_COMM_WORLD);
      return lo == hi;
    }
#endif
    (void)value;
    return true;
  }

  /// Stops every rank (after a rank hit an error it printed).
  [[noreturn]] void abort(int code) {
#ifdef NFRT_WITH_MPI
    if (mpi && worldSize > 1)
      MPI_Abort(MPI_COMM_WORLD, code);
#endif
    std::exit(code);
  }

private:
  /// The rank and world size from the launcher's variables, first match
  /// wins; false when none is set (or they are malformed: `error`).
  bool readLauncherEnv() {
    const char *pairs[][2] = {{"RANK", "WORLD_SIZE"},
                              {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
                              {"PMI_RANK", "PMI_SIZE"}};
    for (auto &p : pairs) {
      if (!std::getenv(p[0]) && !std::getenv(p[1]))
        continue;
      long r = parseEnv(p[0]), w = parseEnv(p[1]);
      if (r < 0 || w < 1 || r >= w) {
        auto show = [](const char *name) {
          const char *v = std::getenv(name);
          return std::string(name) + "=" + (v ? v : "(unset)");
        };
        error = "error: the launcher's " + show(p[0]) + " and " + show(p[1]) +
                " are not a rank below a world size";
        return false;
      }
      rankId = int(r);
      worldSize = int(w);
      source = std::string(p[0]) + "/" + p[1];
      return true;
    }
    return false;
  }
  /// A non-negative integer variable; -1 when unset or malformed.
  static long parseEnv(const char *name) {
    const char *v = std::getenv(name);
    if (!v || !*v)
      return -1;
    char *end = nullptr;
    long n = std::strtol(v, &end, 10);
    return *end == '\0' && n >= 0 ? n : -1;
  }
  static int envInt(const char *a, const char *b, const char *c, int orElse) {
    for (const char *name : {a, b, c})
      if (long v = parseEnv(name); v >= 0)
        return int(v);
    return orElse;
  }

  int rankId = 0, worldSize = 1, localRankId = 0;
  bool mpi = false; // MPI connects the ranks
  std::string source, error;
};

} // namespace nfrt

#endif // NFRT_COMM_H
