//===- Diagnostics.cpp - per-step diagnostics from the parameters
//-----------===//
#include "nfrt/Diagnostics.h"

#include "nfrt/Random.h"

#include <cmath>
#include <cstring>

using namespace nfrt;

ParamDiagnostics::ParamDiagnostics(const ModelInfo &model)
    : model(model), vectors(model.numParams) {}

/// sigma_max(W) for W [rows, cols]: v <- W^T W v / |.|, 8 times, starting
/// from the last call's v (a random unit vector the first time).
static double powerIteration(const float *w, int64_t rows, int64_t cols,
                             std::vector<double> &v, const char *name) {
  if (v.empty()) {
    Random rng = Random::forName(name, 0x5157);
    v.resize(cols);
    for (double &x : v)
      x = rng.normal();
  }
  std::vector<double> u(rows);
  double sigma = 0;
  for (int it = 0; it < 8; ++it) {
    double norm = 0;
    for (double x : v)
      norm += x * x;
    norm = std::sqrt(norm);
    if (norm == 0)
      return 0;
    for (double &x : v)
      x /= norm;
    for (int64_t r = 0; r < rows; ++r) {
      double s = 0;
      for (int64_t c = 0; c < cols; ++c)
        s += w[r * cols + c] * v[c];
      u[r] = s;
    }
    double un = 0;
    for (double x : u)
      un += x * x;
    sigma = std::sqrt(un);
    for (int64_t c = 0; c < cols; ++c) {
      double s = 0;
      for (int64_t r = 0; r < rows; ++r)
        s += w[r * cols + c] * u[r];
      v[c] = s;
    }
  }
  return sigma;
}

void ParamDiagnostics::add(const float *params, JsonRecord &record) {
  for (int64_t i = 0; i < model.numParams; ++i) {
    const ParamInfo &p = model.params[i];
    const float *x = params + p.offset;
    if (p.rank == 2 && p.gradOffset >= 0) {
      record.add(std::string("sigma_max.") + p.name,
                 powerIteration(x, p.shape[0], p.shape[1], vectors[i], p.name));
    } else if (std::strcmp(p.group, "scale") == 0) {
      double ss = 0;
      for (int64_t j = 0; j < p.numel; ++j)
        ss += double(x[j]) * x[j];
      record.add(std::string("gamma_rms.") + p.name, std::sqrt(ss / p.numel));
    }
  }
}
