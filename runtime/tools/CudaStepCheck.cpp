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
// refs||) (test/torch/check_step.py's measure), and fails above --rtol.
//
//===----------------------------------------------------------------------===//
#include "nfrt/Model.h"
#include "nfrt/StepInputs.h"
#include "nfrt/cuda/Platform.cuh"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

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

/// Per-tensor relative errors of `got` against `ref` (both laid out as the
/// table says: `grad` picks gradient offsets); returns the worst.
double compare(const nfrt::ModelInfo &m, const char *what, bool grad,
               const float *got, const float *ref, bool verbose) {
  double total = 0.0;
  for (int64_t i = 0; i < m.numParams; ++i) {
    const nfrt::ParamInfo &p = m.params[i];
    int64_t at = grad ? p.gradOffset : p.offset;
    if (at < 0)
      continue;
    for (int64_t j = 0; j < p.numel; ++j)
      total += double(ref[at + j]) * ref[at + j];
  }
  double floor = 1e-4 * std::sqrt(total), worst = 0.0;
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

} // namespace

int main(int argc, char **argv) {
  std::string out = ".", expect;
  uint64_t seed = 1;
  bool random = false, opt = false, verbose = false;
  double rtol = 1e-5;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--out" && i + 1 < argc)
      out = argv[++i];
    else if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--random")
      random = true;
    else if (a == "--opt")
      opt = true;
    else if (a == "--expect" && i + 1 < argc)
      expect = argv[++i];
    else if (a == "--rtol" && i + 1 < argc)
      rtol = std::strtod(argv[++i], nullptr);
    else if (a == "--verbose")
      verbose = true;
    else {
      std::fprintf(stderr,
                   "usage: %s [--out dir] [--seed n] [--random] [--opt] "
                   "[--expect cpu-dir] [--rtol x] [--verbose]\n",
                   argv[0]);
      return 2;
    }
  }
  const nfrt::ModelInfo &m = nf_model;
  if (!m.deviceBuffers) {
    std::fprintf(stderr,
                 "%s: error: linked with a CPU model; build it with "
                 "--target=cuda\n",
                 argv[0]);
    return 2;
  }
  std::vector<float> params = nfrt::checkParams(m, seed, random);
  std::vector<int32_t> tokens = nfrt::checkTokens(m, seed);
  std::vector<float> grads(m.gradFloats, 0.f);
  int64_t n = m.batch * m.seqLen;
  float *dParams = deviceCopy(params), *dScratchParams = deviceCopy(params);
  float *dGrads = deviceCopy(grads);
  int32_t *dTokens = deviceCopy(tokens);
  std::vector<float> scalars(4, 0.f); // eval loss, loss, grad norm, lr
  float *dScalars = deviceCopy(scalars);
  char *dArena = nullptr;
  NF_CUDA_CHECK(cudaMalloc(&dArena, m.arenaBytes + 1));

  // @forward may update running statistics: run it on a copy (StepCheck).
  m.forward(dScratchParams, dArena, dTokens, dTokens + n, dScalars);
  m.trainStep(dParams, dArena, dTokens, dTokens + n, dScalars + 1, dGrads);
  NF_CUDA_CHECK(cudaDeviceSynchronize());
  hostCopy(grads, dGrads);
  hostCopy(scalars, dScalars);
  std::vector<float> result{scalars[1]};
  result.insert(result.end(), grads.begin(), grads.end());
  writeFile(out + "/result.f32", result.data(), result.size() * 4);
  if (opt) {
    m.optimizerStep(dParams, dArena, dGrads, dScalars + 2, dScalars + 3);
    NF_CUDA_CHECK(cudaDeviceSynchronize());
    hostCopy(params, dParams);
    hostCopy(scalars, dScalars);
    writeFile(out + "/after.f32", params.data(), params.size() * 4);
    std::printf("grad_norm %.9g lr %.9g\n", scalars[2], scalars[3]);
  }
  std::printf("forward_loss %.9g train_step_loss %.9g\n", scalars[0],
              scalars[1]);
  for (int64_t i = 0; i < m.numDiagnostics; ++i)
    std::printf("%s %.6g\n", m.diagnosticNames[i], m.diagnostics[i]);

  int rc = 0;
  if (!expect.empty()) {
    std::vector<float> ref, refAfter;
    if (!readFloats(expect + "/result.f32", ref) ||
        ref.size() != result.size()) {
      std::fprintf(stderr,
                   "%s/result.f32: error: missing or of another "
                   "model\n",
                   expect.c_str());
      return 1;
    }
    double lossRel = std::fabs(result[0] - ref[0]) / std::fabs(ref[0]);
    double gradRel =
        compare(m, "grad", true, result.data() + 1, ref.data() + 1, verbose);
    std::printf("loss: cuda %.9g cpu %.9g rel %.2e\n", result[0], ref[0],
                lossRel);
    std::printf("worst gradient relative error %.2e\n", gradRel);
    rc |= lossRel > rtol || gradRel > rtol;
    if (opt) {
      if (!readFloats(expect + "/after.f32", refAfter) ||
          refAfter.size() != params.size()) {
        std::fprintf(stderr,
                     "%s/after.f32: error: missing (run StepCheck "
                     "with --opt)\n",
                     expect.c_str());
        return 1;
      }
      double afterRel =
          compare(m, "after", false, params.data(), refAfter.data(), verbose);
      std::printf("worst parameter-after-step relative error %.2e\n", afterRel);
      rc |= afterRel > rtol;
      // The updates themselves (after - before), which the parameters'
      // own size would otherwise hide; reported, not judged: a gradient
      // element within rounding of 0 may flip Adam's sign(g) update.
      std::vector<float> initial = nfrt::checkParams(m, seed, random);
      std::vector<float> update(params.size()), refUpdate(params.size());
      for (size_t i = 0; i < params.size(); ++i) {
        update[i] = params[i] - initial[i];
        refUpdate[i] = refAfter[i] - initial[i];
      }
      std::printf("worst update relative error %.2e\n",
                  compare(m, "update", false, update.data(), refUpdate.data(),
                          verbose));
    }
    std::printf("%s (rtol %.0e)\n", rc ? "FAIL" : "PASS", rtol);
  }
  return rc;
}
