//===- StepCheck.cpp - run one generated train step on seeded inputs
//--------===//
//
// Linked with a generated model (nfc build): initialises every parameter
// from its table entry (or, with --random, perturbs scale-like parameters
// so gamma, alpha and biases are not trivial), draws tokens, runs
// @forward, @train_step and optionally @optimizer_step, and writes
// everything a reference implementation needs to check the numbers:
//   <out>/params.f32   the parameters before the step, table order
//   <out>/tokens.i32   B*T tokens then B*T targets
//   <out>/result.f32   loss, then the gradients in table order
//   <out>/after.f32    the parameters after one optimizer step (--opt)
//   <out>/trajectory.json, trajectory_tokens.i32
//                      --trajectory N: N full steps from params.f32, one
//                      batch per step (loss, grad_norm, lr per step)
//   <out>/table.json   names, shapes, offsets
//   <out>/forward_loss.txt  @forward's loss (for the reference interpreter)
//
//===----------------------------------------------------------------------===//
#include "nfrt/Model.h"
#include "nfrt/Random.h"

#include <cblas.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

} // namespace

int main(int argc, char **argv) {
  std::string out = ".";
  uint64_t seed = 1;
  bool random = false, opt = false;
  int64_t trajectory = 0;
  std::string dataPath; // text whose bytes are the trajectory's batches
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
    else if (a == "--trajectory" && i + 1 < argc)
      trajectory = std::strtoll(argv[++i], nullptr, 10);
    else if (a == "--data" && i + 1 < argc)
      dataPath = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: %s [--out dir] [--seed n] [--random] [--opt] "
                   "[--trajectory steps]\n",
                   argv[0]);
      return 2;
    }
  }
  // GEMMs are split by OpenMP; OpenBLAS itself runs one thread.
  openblas_set_num_threads(1);
  const nfrt::ModelInfo &m = nf_model;
  std::vector<float> params(m.paramFloats, 0.f), grads(m.gradFloats, 0.f);
  std::vector<char> arena(m.arenaBytes + 64);
  char *A = arena.data() + (64 - uintptr_t(arena.data()) % 64) % 64;
  for (int64_t i = 0; i < m.numParams; ++i) {
    const nfrt::ParamInfo &p = m.params[i];
    nfrt::Random rng = nfrt::Random::forName(p.name, seed);
    bool vectorLike = std::strcmp(p.group, "scale") == 0 ||
                      std::strcmp(p.group, "direction") == 0;
    for (int64_t j = 0; j < p.numel; ++j) {
      double v = p.init == nfrt::InitKind::Normal  ? p.initValue * rng.normal()
                 : p.init == nfrt::InitKind::Ones  ? 1.0
                 : p.init == nfrt::InitKind::Zeros ? 0.0
                                                   : p.initValue;
      if (random && std::strcmp(p.group, "state") != 0) {
        if (vectorLike)
          v = 1.0 + 0.3 * rng.normal();
        else if (std::strcmp(p.group, "bias") == 0)
          v = 0.1 * rng.normal();
        else if (p.init == nfrt::InitKind::Constant)
          v = p.initValue * (1.0 + 0.3 * rng.normal());
      }
      params[p.offset + j] = float(v);
    }
  }
  int64_t n = m.batch * m.seqLen;
  std::vector<int32_t> tokens(2 * n);
  nfrt::Random tokenRng = nfrt::Random::forName("tokens", seed);
  for (auto &t : tokens)
    t = int32_t(tokenRng.below(uint64_t(m.vocab)));

  if (!writeFile(out + "/params.f32", params.data(), params.size() * 4) ||
      !writeFile(out + "/tokens.i32", tokens.data(), tokens.size() * 4)) {
    std::fprintf(stderr, "%s: error: cannot write into the directory\n",
                 out.c_str());
    return 1;
  }
  const std::vector<float> initial = params;
  float evalLoss = 0.f, loss = 0.f;
  // @forward updates running statistics (Derf-EMA): run it on a copy so
  // that the train step sees the same state as the reference.
  std::vector<float> scratch = params;
  m.forward(scratch.data(), A, tokens.data(), tokens.data() + n, &evalLoss);
  m.trainStep(params.data(), A, tokens.data(), tokens.data() + n, &loss,
              grads.data());
  {
    char text[32];
    int len = std::snprintf(text, sizeof text, "%.9g\n", evalLoss);
    writeFile(out + "/forward_loss.txt", text, size_t(len));
  }
  std::vector<float> result{loss};
  result.insert(result.end(), grads.begin(), grads.end());
  writeFile(out + "/result.f32", result.data(), result.size() * 4);
  if (opt) {
    float gradNorm = 0.f, lr = 0.f;
    m.optimizerStep(params.data(), A, grads.data(), &gradNorm, &lr);
    writeFile(out + "/after.f32", params.data(), params.size() * 4);
    std::printf("grad_norm %.9g lr %.9g\n", gradNorm, lr);
  }

  if (trajectory > 0) {
    // Full steps from the initial parameters, one fresh batch per step:
    // the losses, gradient norms and learning rates, and every batch.
    params = initial; // the state params.f32 holds
    std::vector<int32_t> all;
    std::string json = "{\"loss\": [";
    std::string norms = "], \"grad_norm\": [", lrs = "], \"lr\": [";
    nfrt::Random batchRng = nfrt::Random::forName("trajectory", seed);
    std::vector<unsigned char> text;
    if (!dataPath.empty()) {
      FILE *f = std::fopen(dataPath.c_str(), "rb");
      if (!f) {
        std::fprintf(stderr, "%s: error: cannot open\n", dataPath.c_str());
        return 1;
      }
      int c;
      while ((c = std::fgetc(f)) != EOF)
        text.push_back(static_cast<unsigned char>(c));
      std::fclose(f);
    }
    for (int64_t s = 0; s < trajectory; ++s) {
      if (text.size() > uint64_t(m.seqLen + 1)) {
        // B windows of T + 1 bytes: inputs and the targets shifted by one.
        for (int64_t b = 0; b < m.batch; ++b) {
          uint64_t at = batchRng.below(text.size() - m.seqLen - 1);
          for (int64_t t = 0; t < m.seqLen; ++t) {
            tokens[b * m.seqLen + t] = text[at + t];
            tokens[n + b * m.seqLen + t] = text[at + t + 1];
          }
        }
      } else {
        for (auto &tok : tokens)
          tok = int32_t(batchRng.below(uint64_t(m.vocab)));
      }
      all.insert(all.end(), tokens.begin(), tokens.end());
      float stepLoss = 0.f, gradNorm = 0.f, lr = 0.f;
      m.trainStep(params.data(), A, tokens.data(), tokens.data() + n, &stepLoss,
                  grads.data());
      m.optimizerStep(params.data(), A, grads.data(), &gradNorm, &lr);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%.9g", s ? ", " : "", stepLoss);
      json += buf;
      std::snprintf(buf, sizeof buf, "%s%.9g", s ? ", " : "", gradNorm);
      norms += buf;
      std::snprintf(buf, sizeof buf, "%s%.9g", s ? ", " : "", lr);
      lrs += buf;
    }
    json += norms + lrs + "]}\n";
    writeFile(out + "/trajectory_tokens.i32", all.data(), all.size() * 4);
    writeFile(out + "/trajectory_params.f32", params.data(), params.size() * 4);
    writeFile(out + "/trajectory.json", json.data(), json.size());
  }

  FILE *t = std::fopen((out + "/table.json").c_str(), "w");
  if (!t)
    return 1;
  std::fprintf(t, "{\"batch\": %lld, \"seq\": %lld, \"params\": [\n",
               (long long)m.batch, (long long)m.seqLen);
  for (int64_t i = 0; i < m.numParams; ++i) {
    const nfrt::ParamInfo &p = m.params[i];
    std::fprintf(
        t,
        "  {\"name\": \"%s\", \"offset\": %lld, \"grad\": %lld, \"shape\": [",
        p.name, (long long)p.offset, (long long)p.gradOffset);
    for (int32_t d = 0; d < p.rank; ++d)
      std::fprintf(t, "%s%lld", d ? ", " : "", (long long)p.shape[d]);
    std::fprintf(t, "]}%s\n", i + 1 < m.numParams ? "," : "");
  }
  std::fprintf(t, "]}\n");
  std::fclose(t);
  std::printf("forward_loss %.9g train_step_loss %.9g\n", evalLoss, loss);
  return 0;
}
