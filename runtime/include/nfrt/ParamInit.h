//===- ParamInit.h - initial parameter values of a model --------*- C++ -*-===//
//
// Every tensor from its table entry (normal(std), ones, zeros, constant),
// each from its own stream seeded by (seed, name) (nfrt/Random.h), so a
// parameter keeps its values when a rewrite adds or removes others. Header
// only: the step benchmark uses it without linking libnfrt.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_PARAMINIT_H
#define NFRT_PARAMINIT_H

#include "nfrt/Model.h"
#include "nfrt/Random.h"

namespace nfrt {

inline void initialiseParams(const ModelInfo &m, uint64_t seed, float *params) {
  for (int64_t i = 0; i < m.numParams; ++i) {
    const ParamInfo &p = m.params[i];
    Random rng = Random::forName(p.name, seed);
    float *x = params + p.offset;
    for (int64_t j = 0; j < p.numel; ++j)
      x[j] = p.init == InitKind::Normal  ? float(p.initValue * rng.normal())
             : p.init == InitKind::Ones  ? 1.f
             : p.init == InitKind::Zeros ? 0.f
                                         : float(p.initValue);
  }
}

} // namespace nfrt

#endif // NFRT_PARAMINIT_H
