//===- StepInputs.h - seeded parameters and tokens for step checks -*- C++
//-*-===//
//
// What the step-check tools feed a compiled step: every parameter from its
// table entry (nfrt/ParamInit.h's streams), or with `random` scale-like
// parameters perturbed away from their init (gamma ~ 1 + 0.3 N, biases
// ~ 0.1 N, constants x (1 + 0.3 N)), and B*T tokens then B*T targets. The
// CPU check (runtime/tools/StepCheck.cpp) and the CUDA check draw the same
// values for the same seed, so their outputs compare element by element.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_STEPINPUTS_H
#define NFRT_STEPINPUTS_H

#include "nfrt/Model.h"
#include "nfrt/Random.h"

#include <cstring>
#include <vector>

namespace nfrt {

inline std::vector<float> checkParams(const ModelInfo &m, uint64_t seed,
                                      bool random) {
  std::vector<float> params(m.paramFloats, 0.f);
  for (int64_t i = 0; i < m.numParams; ++i) {
    const ParamInfo &p = m.params[i];
    Random rng = Random::forName(p.name, seed);
    bool vectorLike = std::strcmp(p.group, "scale") == 0 ||
                      std::strcmp(p.group, "direction") == 0;
    for (int64_t j = 0; j < p.numel; ++j) {
      double v = p.init == InitKind::Normal  ? p.initValue * rng.normal()
                 : p.init == InitKind::Ones  ? 1.0
                 : p.init == InitKind::Zeros ? 0.0
                                             : p.initValue;
      if (random && std::strcmp(p.group, "state") != 0) {
        if (vectorLike)
          v = 1.0 + 0.3 * rng.normal();
        else if (std::strcmp(p.group, "bias") == 0)
          v = 0.1 * rng.normal();
        else if (p.init == InitKind::Constant)
          v = p.initValue * (1.0 + 0.3 * rng.normal());
      }
      params[p.offset + j] = float(v);
    }
  }
  return params;
}

/// B*T input tokens followed by B*T targets, for the global batch of
/// `ranks` data-parallel ranks of B sequences each.
inline std::vector<int32_t> checkTokens(const ModelInfo &m, uint64_t seed,
                                        int64_t ranks = 1) {
  std::vector<int32_t> tokens(2 * ranks * m.batch * m.seqLen);
  Random rng = Random::forName("tokens", seed);
  for (auto &t : tokens)
    t = int32_t(rng.below(uint64_t(m.vocab)));
  return tokens;
}

/// Rank `rank`'s share of a global batch laid out as checkTokens: its B
/// input rows, then its B target rows.
inline std::vector<int32_t> rankSlice(const std::vector<int32_t> &global,
                                      const ModelInfo &m, int64_t rank,
                                      int64_t ranks) {
  int64_t n = m.batch * m.seqLen;
  std::vector<int32_t> out(global.begin() + rank * n,
                           global.begin() + (rank + 1) * n);
  out.insert(out.end(), global.begin() + (ranks + rank) * n,
             global.begin() + (ranks + rank + 1) * n);
  return out;
}

} // namespace nfrt

#endif // NFRT_STEPINPUTS_H
