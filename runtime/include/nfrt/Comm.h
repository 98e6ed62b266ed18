//===- Comm.h - data-parallel communication (MPI or one process) -*- C++
//-*-===//
//
// Data parallelism over processes: every rank holds the whole model,
// computes gradients on its slice of the global batch, and the gradients
// are averaged (all-reduce) before the optimizer, so parameters stay
// identical on all ranks. Built with NFRT_WITH_MPI it uses MPI (launched by
// mpirun); otherwise it is one process. Header only: the training binary's
// main is compiled once per flavour.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_COMM_H
#define NFRT_COMM_H

#include <algorithm>
#include <cstdint>
#include <cstdlib>

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
#else
    (void)argc;
    (void)argv;
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
  bool isRoot() const { return rankId == 0; }

  /// x <- the mean of x over all ranks (in place).
  void allReduceMean(float *x, int64_t n) {
#ifdef NFRT_WITH_MPI
    if (worldSize > 1) {
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

  /// Whether every rank holds the same `value` (e.g. a parameter checksum).
  bool allEqual(uint64_t value) {
#ifdef NFRT_WITH_MPI
    if (worldSize > 1) {
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
    if (worldSize > 1)
      MPI_Abort(MPI_COMM_WORLD, code);
#endif
    std::exit(code);
  }

private:
  int rankId = 0, worldSize = 1;
};

} // namespace nfrt

#endif // NFRT_COMM_H
