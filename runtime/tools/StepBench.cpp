//===- StepBench.cpp - time a generated train step
//--------------------------===//
//
// Linked with a generated model: initialises the parameters, then times
// `steps` full steps (@train_step + @optimizer_step) after `warmup` steps,
// and measures the single-precision GEMM rate of this machine in the same
// run, so that the step can be put against its GEMM-bound limit. Prints one
// JSON object.
//
//===----------------------------------------------------------------------===//
#include "nfrt/Model.h"
#include "nfrt/ParamInit.h"
#include "nfrt/Random.h"

#include <cblas.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

double seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

/// GFLOP/s of cblas_sgemm on an n x n x n product (best of 5).
double sgemmRate(int n) {
  std::vector<float> a(size_t(n) * n, 0.5f), b(size_t(n) * n, 0.25f),
      c(size_t(n) * n);
  double best = 0;
  for (int r = 0; r < 5; ++r) {
    double t0 = seconds();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.f,
                a.data(), n, b.data(), n, 0.f, c.data(), n);
    double dt = seconds() - t0;
    best = std::max(best, 2.0 * n * n * n / dt / 1e9);
  }
  return best;
}

} // namespace

int main(int argc, char **argv) {
  int steps = argc > 1 ? std::atoi(argv[1]) : 10;
  int warmup = argc > 2 ? std::atoi(argv[2]) : 2;
  // GEMMs are split by OpenMP; OpenBLAS itself runs one thread.
  openblas_set_num_threads(1);
  const nfrt::ModelInfo &m = nf_model;
  std::vector<float> params(m.paramFloats), grads(m.gradFloats);
  std::vector<char> arena(m.arenaBytes + 64);
  char *A = arena.data() + (64 - uintptr_t(arena.data()) % 64) % 64;
  nfrt::initialiseParams(m, 1, params.data());
  int64_t trained = 0;
  for (int64_t i = 0; i < m.numParams; ++i)
    if (m.params[i].gradOffset >= 0)
      trained += m.params[i].numel;
  int64_t n = m.batch * m.seqLen;
  std::vector<int32_t> tokens(2 * n);
  nfrt::Random rng(7);
  for (auto &t : tokens)
    t = int32_t(rng.below(uint64_t(m.vocab)));
  float loss = 0, norm = 0, lr = 0;
  auto step = [&] {
    m.trainStep(params.data(), A, tokens.data(), tokens.data() + n, &loss,
                grads.data());
    m.optimizerStep(params.data(), A, grads.data(), &norm, &lr);
  };
  for (int i = 0; i < warmup; ++i)
    step();
  double t0 = seconds();
  for (int i = 0; i < steps; ++i)
    step();
  double dt = (seconds() - t0) / steps;
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  // The GEMM-bound limit uses every core, as OpenBLAS would on its own.
  openblas_set_num_threads(0);
  double gflops = sgemmRate(1024);
  std::printf("{\"model\": \"%s\", \"tokens_per_step\": %lld, \"ms_per_step\": "
              "%.3f, \"tokens_per_s\": %.1f, \"peak_rss_mb\": %.1f, "
              "\"arena_mb\": %.1f, \"trained_params\": %lld, "
              "\"sgemm_gflops\": %.1f, \"loss\": %.6f}\n",
              m.name, (long long)n, dt * 1e3, n / dt, usage.ru_maxrss / 1024.0,
              m.arenaBytes / 1048576.0, (long long)trained, gflops, loss);
  return 0;
}
