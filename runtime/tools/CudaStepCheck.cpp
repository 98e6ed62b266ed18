//===- CudaStepCheck.cpp - one generated CUDA step against the CPU's ------===//
//
// Linked with a model built by `nfc build --target=cuda --emit=cuda`, under
// nvcc or the SIMT harness (the same source). Draws the inputs StepCheck
// draws for the same seed (nfrt/StepInputs.h), copies them to the device,
// runs @forward, @train_step and, with --opt, @optimizer_step, and writes
// result.f32 (loss, gradients) and after.f32 (parameters after the step)
// as StepCheck does. With --expect DIR (a StepCheck run of the CPU build
// of the same spec) it compares: the loss, every gradient and every
// parameter after the step, each as ||x - ref|| / max(||ref||, 1e-4 ||all
// refs||) (test/torch/check_step.py's measure; --floor sets the 1e-4),
// and fails above --rtol.
// The step functions replay CUDA graphs after their first call: the train
// step runs twice and must give bit-identical gradients, and --trajectory
// N runs N full steps on StepCheck's random batches (same seed) and
// compares the final parameters with StepCheck's.
// --ranks R (a model built with --ranks R): R data-parallel ranks, each on
// its share of the global batch, joined by NCCL (threads under the
// harness); rank 0's results must equal the single-process CPU step on
// the global batch, and every rank's parameters must be bit-identical.
//
//===----------------------------------------------------------------------===//
#include "nfrt/Model.h"
#include "nfrt/StepInputs.h"
#include "nfrt/cuda/Platform.cuh"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  std::string out = ".", expect;
  uint64_t seed = 1;
  bool random = false, opt = false, verbose = false;
  int64_t trajectory = 0, ranks = 1;
  double rtol = 1e-5;
  // A tensor is judged against max(its own norm, floor x the norm of all
  // gradients): sums of near-cancelling terms (a Derf shift's gradient)
  // carry fewer relative digits than the whole (check_step.py's 1e-4).
  double floor = 1e-4;
  // Several Adam steps amplify rounding differences (an update is ~sign(g)
  // where g is within rounding of 0): the trajectory's own tolerance.
  double trajectoryRtol = 1e-4;
};

/// What one rank computed.
struct RankResult {
  std::vector<float> result, after, final;
  float evalLoss = 0.f, gradNorm = 0.f, lr = 0.f;
  bool replayIdentical = false;
  int64_t trajectorySteps = 0;
  float lastLoss = 0.f;
};

bool writeFile(const std::string &path, const void *data, size_t bytes) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return false;
  bool ok = std::fwrite(data, 1, bytes, f) == bytes;
  return std::fclose(f) == 0 && ok;
}

bool readFloats(const std::string &path, std::vector<float> &out) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return false;
  float v;
  out.clear();
  while (std::fread(&v, 4, 1, f) == 1)
    out.push_back(v);
  std::fclose(f);
  return true;
}

template <class T> T *deviceCopy(const std::vector<T> &host) {
  T *d = nullptr;
  NF_CUDA_CHECK(cudaMalloc(&d, host.size() * sizeof(T) + 1));
  NF_CUDA_CHECK(cudaMemcpy(d, host.data(), host.size() * sizeof(T),
                           cudaMemcpyHostToDevice));
  return d;
}

template <class T> void hostCopy(std::vector<T> &host, const T *d) {
  NF_CUDA_CHECK(cudaMemcpy(host.data(), d, host.size() * sizeof(T),
                           cudaMemcpyDeviceToHost));
}

/// One rank's run: the step, its graph replay, the optimizer step and the
/// trajectory, on this rank's share of every batch.
RankResult runRank(const nfrt::ModelInfo &m, const Options &o, int64_t rank,
                   const ncclUniqueId &id) {
  if (o.ranks > 1)
    nfrt::cuda::initComm(int(rank), int(o.ranks), id);
  RankResult r;
  std::vector<float> params = nfrt::checkParams(m, o.seed, o.random);
  std::vector<int32_t> tokens =
      nfrt::rankSlice(nfrt::checkTokens(m, o.seed, o.ranks), m, rank, o.ranks);
  std::vector<float> grads(m.gradFloats, 0.f), scalars(4, 0.f);
  int64_t n = m.batch * m.seqLen;
  float *dParams = deviceCopy(params), *dScratchParams = deviceCopy(params);
  float *dGrads = deviceCopy(grads), *dScalars = deviceCopy(scalars);
  int32_t *dTokens = deviceCopy(tokens);
  char *dArena = nullptr;
  NF_CUDA_CHECK(cudaMalloc(&dArena, m.arenaBytes + 1));

  // @forward may update running statistics: run it on a copy (StepCheck).
  m.forward(dScratchParams, dArena, dTokens, dTokens + n, dScalars);
  m.trainStep(dParams, dArena, dTokens, dTokens + n, dScalars + 1, dGrads);
  NF_CUDA_CHECK(cudaDeviceSynchronize());
  hostCopy(grads, dGrads);
  hostCopy(scalars, dScalars);
  r.evalLoss = scalars[0];
  r.result = {scalars[1]};
  r.result.insert(r.result.end(), grads.begin(), grads.end());

  // The second call replays the captured graph, from the same parameters
  // (a train step may update state: Derf-EMA's running scale).
  std::vector<float> replay(grads.size());
  NF_CUDA_CHECK(cudaMemcpy(dParams, params.data(), params.size() * 4,
                           cudaMemcpyHostToDevice));
  m.trainStep(dParams, dArena, dTokens, dTokens + n, dScalars + 1, dGrads);
  NF_CUDA_CHECK(cudaDeviceSynchronize());
  hostCopy(replay, dGrads);
  r.replayIdentical =
      std::memcmp(replay.data(), grads.data(), grads.size() * 4) == 0;

  if (o.opt) {
    m.optimizerStep(dParams, dArena, dGrads, dScalars + 2, dScalars + 3);
    NF_CUDA_CHECK(cudaDeviceSynchronize());
    r.after.resize(params.size());
    hostCopy(r.after, dParams);
    hostCopy(scalars, dScalars);
    r.gradNorm = scalars[2];
    r.lr = scalars[3];
  }

  if (o.trajectory > 0) {
    // StepCheck's trajectory without a data file: from the initial
    // parameters, one global batch of random tokens per step.
    NF_CUDA_CHECK(cudaMemcpy(dParams, params.data(), params.size() * 4,
                             cudaMemcpyHostToDevice));
    nfrt::Random batchRng = nfrt::Random::forName("trajectory", o.seed);
    std::vector<int32_t> global(2 * o.ranks * n);
    for (int64_t s = 0; s < o.trajectory; ++s) {
      for (auto &tok : global)
        tok = int32_t(batchRng.below(uint64_t(m.vocab)));
      tokens = nfrt::rankSlice(global, m, rank, o.ranks);
      NF_CUDA_CHECK(cudaDeviceSynchronize()); // the last step read them
      NF_CUDA_CHECK(cudaMemcpy(dTokens, tokens.data(), tokens.size() * 4,
                               cudaMemcpyHostToDevice));
      m.trainStep(dParams, dArena, dTokens, dTokens + n, dScalars + 1, dGrads);
      m.optimizerStep(dParams, dArena, dGrads, dScalars + 2, dScalars + 3);
      NF_CUDA_CHECK(cudaDeviceSynchronize());
      hostCopy(scalars, dScalars);
      r.lastLoss = scalars[1];
    }
    r.final.resize(params.size());
    hostCopy(r.final, dParams);
    r.trajectorySteps = o.trajectory;
  }
  for (void *p :
       {static_cast<void *>(dParams), static_cast<void *>(dScratchParams),
        static_cast<void *>(dGrads), static_cast<void *>(dScalars),
        static_cast<void *>(dTokens), static_cast<void *>(dArena)})
    NF_CUDA_CHECK(cudaFree(p));
  return r;
}

/// Per-tensor relative errors of `got` against `ref` (both laid out as the
/// table says: `grad` picks gradient offsets); returns the worst.
double compare(const nfrt::ModelInfo &m, const char *what, bool grad,
               const float *got, const float *ref, bool verbose,
               double floorFraction) {
  double total = 0.0;
  for (int64_t i = 0; i < m.numParams; ++i) {
    const nfrt::ParamInfo &p = m.params[i];
    int64_t at = grad ? p.gradOffset : p.offset;
    if (at < 0)
      continue;
    for (int64_t j = 0; j < p.numel; ++j)
      total += double(ref[at + j]) * ref[at + j];
  }
  double floor = floorFraction * std::sqrt(total), worst = 0.0;
  for (int64_t i = 0; i < m.numParams; ++i) {
    const nfrt::ParamInfo &p = m.params[i];
    int64_t at = grad ? p.gradOffset : p.offset;
    if (at < 0)
      continue;
    double diff = 0.0, norm = 0.0;
    for (int64_t j = 0; j < p.numel; ++j) {
      double d = double(got[at + j]) - ref[at + j];
      diff += d * d;
      norm += double(ref[at + j]) * ref[at + j];
    }
    double rel = std::sqrt(diff) / std::max(std::sqrt(norm), floor);
    if (verbose)
      std::printf("%s %s rel %.2e\n", what, p.name, rel);
    worst = std::max(worst, rel);
  }
  return worst;
}

bool parseOptions(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool more = i + 1 < argc;
    if (a == "--out" && more)
      o.out = argv[++i];
    else if (a == "--seed" && more)
      o.seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--random")
      o.random = true;
    else if (a == "--opt")
      o.opt = true;
    else if (a == "--expect" && more)
      o.expect = argv[++i];
    else if (a == "--rtol" && more)
      o.rtol = std::strtod(argv[++i], nullptr);
    else if (a == "--verbose")
      o.verbose = true;
    else if (a == "--trajectory" && more)
      o.trajectory = std::strtoll(argv[++i], nullptr, 10);
    else if (a == "--trajectory-rtol" && more)
      o.trajectoryRtol = std::strtod(argv[++i], nullptr);
    else if (a == "--floor" && more)
      o.floor = std::strtod(argv[++i], nullptr);
    else if (a == "--ranks" && more)
      o.ranks = std::strtoll(argv[++i], nullptr, 10);
    else
      return false;
  }
  return o.ranks >= 1;
}

/// The checks against the CPU's files in o.expect; returns the exit code.
int compareWithCpu(const nfrt::ModelInfo &m, const Options &o,
                   const RankResult &r) {
  int rc = 0;
  std::vector<float> ref, refAfter, refFinal;
  if (!readFloats(o.expect + "/result.f32", ref) ||
      ref.size() != r.result.size()) {
    std::fprintf(stderr,
                 "%s/result.f32: error: missing or of another model (a CPU "
                 "build of the global batch)\n",
                 o.expect.c_str());
    return 1;
  }
  double lossRel = std::fabs(r.result[0] - ref[0]) / std::fabs(ref[0]);
  double gradRel = compare(m, "grad", true, r.result.data() + 1, ref.data() + 1,
                           o.verbose, o.floor);
  std::printf("loss: cuda %.9g cpu %.9g rel %.2e\n", r.result[0], ref[0],
              lossRel);
  std::printf("worst gradient relative error %.2e\n", gradRel);
  rc |= lossRel > o.rtol || gradRel > o.rtol;
  if (o.opt) {
    if (!readFloats(o.expect + "/after.f32", refAfter) ||
        refAfter.size() != r.after.size()) {
      std::fprintf(stderr,
                   "%s/after.f32: error: missing (run StepCheck with --opt)\n",
                   o.expect.c_str());
      return 1;
    }
    double afterRel = compare(m, "after", false, r.after.data(),
                              refAfter.data(), o.verbose, o.floor);
    std::printf("worst parameter-after-step relative error %.2e\n", afterRel);
    rc |= afterRel > o.rtol;
    // The updates themselves (after - before), which the parameters' own
    // size would otherwise hide; reported, not judged: a gradient element
    // within rounding of 0 may flip Adam's sign(g) update.
    std::vector<float> initial = nfrt::checkParams(m, o.seed, o.random);
    std::vector<float> update(r.after.size()), refUpdate(r.after.size());
    for (size_t i = 0; i < r.after.size(); ++i) {
      update[i] = r.after[i] - initial[i];
      refUpdate[i] = refAfter[i] - initial[i];
    }
    std::printf("worst update relative error %.2e\n",
                compare(m, "update", false, update.data(), refUpdate.data(),
                        o.verbose, o.floor));
  }
  if (o.trajectory > 0) {
    if (!readFloats(o.expect + "/trajectory_params.f32", refFinal) ||
        refFinal.size() != r.final.size()) {
      std::fprintf(stderr,
                   "%s/trajectory_params.f32: error: missing (run StepCheck "
                   "with --trajectory)\n",
                   o.expect.c_str());
      return 1;
    }
    double trajRel = compare(m, "trajectory", false, r.final.data(),
                             refFinal.data(), o.verbose, o.floor);
    std::printf("trajectory: worst final-parameter relative error %.2e "
                "(rtol %.0e)\n",
                trajRel, o.trajectoryRtol);
    rc |= trajRel > o.trajectoryRtol;
  }
  std::printf("%s (rtol %.0e)\n", rc ? "FAIL" : "PASS", o.rtol);
  return rc;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (!parseOptions(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--out dir] [--seed n] [--random] [--opt] "
                 "[--expect cpu-dir] [--rtol x] [--verbose] "
                 "[--trajectory steps] [--trajectory-rtol x] [--floor x] "
                 "[--ranks r]\n",
                 argv[0]);
    return 2;
  }
  const nfrt::ModelInfo &m = nf_model;
  if (!m.deviceBuffers) {
    std::fprintf(stderr,
                 "%s: error: linked with a CPU model; build it with "
                 "--target=cuda\n",
                 argv[0]);
    return 2;
  }
  std::vector<RankResult> results(o.ranks);
  ncclUniqueId id{};
  if (o.ranks > 1) {
    // One thread per rank: one GPU each under nvcc (a test machine with
    // several GPUs), an emulated device each under the SIMT harness.
    NF_NCCL_CHECK(ncclGetUniqueId(&id));
    std::vector<std::thread> threads;
    for (int64_t r = 0; r < o.ranks; ++r)
      threads.emplace_back([&, r] {
#ifdef __CUDACC__
        NF_CUDA_CHECK(cudaSetDevice(int(r)));
#endif
        results[r] = runRank(m, o, r, id);
      });
    for (std::thread &t : threads)
      t.join();
  } else {
    results[0] = runRank(m, o, 0, id);
  }
  const RankResult &r0 = results[0];
  for (const RankResult &r : results)
    if (!r.replayIdentical) {
      std::printf("graph replay: DIFFERENT gradients\n");
      return 1;
    }
  std::printf("graph replay: bit-identical gradients\n");
  if (o.ranks > 1) {
    bool same = true;
    for (const RankResult &r : results)
      same &=
          r.result == r0.result && r.after == r0.after && r.final == r0.final;
    std::printf("ranks: %lld ranks, gradients and parameters %s\n",
                (long long)o.ranks,
                same ? "bit-identical on all" : "DIFFERENT across ranks");
    if (!same)
      return 1;
  }
  writeFile(o.out + "/result.f32", r0.result.data(), r0.result.size() * 4);
  if (o.opt) {
    writeFile(o.out + "/after.f32", r0.after.data(), r0.after.size() * 4);
    std::printf("grad_norm %.9g lr %.9g\n", r0.gradNorm, r0.lr);
  }
  std::printf("forward_loss %.9g train_step_loss %.9g\n", r0.evalLoss,
              r0.result[0]);
  for (int64_t i = 0; i < m.numDiagnostics; ++i)
    std::printf("%s %.6g\n", m.diagnosticNames[i], m.diagnostics[i]);
  if (o.trajectory > 0) {
    writeFile(o.out + "/trajectory_params.f32", r0.final.data(),
              r0.final.size() * 4);
    std::printf("trajectory: %lld steps, last loss %.9g\n",
                (long long)r0.trajectorySteps, r0.lastLoss);
  }
  return o.expect.empty() ? 0 : compareWithCpu(m, o, r0);
}
