//===- ReferenceNorms.cpp - normalizations, naive double loops ------------===//
//
// The parameter-free normalizations of docs/math.md: the scale vector (and
// bias) are separate ops (docs/math.md#norm-split). rmsnorm and layernorm
// reduce over the last dimension with eps inside the square root
// (torch.nn.RMSNorm / torch.nn.LayerNorm); DyT and Derf are pointwise.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Interpreter/ReferenceOps.h"

#include <cmath>

using namespace normfuse::interp;

namespace {

/// sqrt(mean(x^2)) of one row, no eps: the "rms" of the Derf EMA-blend.
double rowRms(const double *row, int64_t d) {
  double sumSq = 0;
  for (int64_t j = 0; j < d; ++j)
    sumSq += row[j] * row[j];
  return std::sqrt(sumSq / d);
}

} // namespace

// rmsnorm, per row of d:  y = x / sqrt(mean(x^2) + eps) (docs/math.md#rmsnorm)
Tensor normfuse::interp::rmsnorm(const Tensor &x, double eps) {
  Tensor y = x;
  int64_t d = x.lastDim();
  for (int64_t r = 0; r < x.rows(); ++r) {
    const double *in = &x.data[r * d];
    double sumSq = 0;
    for (int64_t j = 0; j < d; ++j)
      sumSq += in[j] * in[j];
    double rstd = 1.0 / std::sqrt(sumSq / d + eps);
    for (int64_t j = 0; j < d; ++j)
      y.data[r * d + j] = in[j] * rstd;
  }
  return y;
}

// layernorm, per row of d:  mu = mean(x),  var = mean((x - mu)^2)  (biased)
//   y = (x - mu) / sqrt(var + eps) (docs/math.md#layernorm)
Tensor normfuse::interp::layernorm(const Tensor &x, double eps) {
  Tensor y = x;
  int64_t d = x.lastDim();
  for (int64_t r = 0; r < x.rows(); ++r) {
    const double *in = &x.data[r * d];
    double mean = 0;
    for (int64_t j = 0; j < d; ++j)
      mean += in[j];
    mean /= d;
    double var = 0;
    for (int64_t j = 0; j < d; ++j)
      var += (in[j] - mean) * (in[j] - mean);
    var /= d;
    double rstd = 1.0 / std::sqrt(var + eps);
    for (int64_t j = 0; j < d; ++j)
      y.data[r * d + j] = (in[j] - mean) * rstd;
  }
  return y;
}

// dyt:  y = tanh(alpha * x) (docs/math.md#dyt)
Tensor normfuse::interp::dyt(const Tensor &x, double alpha) {
  Tensor y = x;
  for (double &v : y.data)
    v = std::tanh(alpha * v);
  return y;
}

// derf:  y = erf(alpha * x + s) (docs/math.md#derf)
Tensor normfuse::interp::derf(const Tensor &x, double alpha, double shift) {
  Tensor y = x;
  for (double &v : y.data)
    v = std::erf(alpha * v + shift);
  return y;
}

// derf_ema (docs/math.md#derf-ema-blend), with r the stored running RMS:
//   r' = m * r + (1 - m) * mean over rows of sqrt(mean(x_row^2))
//   y  = erf(alpha * x / (blend * r' + (1 - blend)) + s)
// The new r' is used at once (the batch's own statistics count) and is
// returned for nf.assign_state.
DerfEMAResult normfuse::interp::derfEma(const Tensor &x, double alpha,
                                        double shift, double running,
                                        double momentum, double blend) {
  int64_t d = x.lastDim(), rows = x.rows();
  double sumRms = 0;
  for (int64_t r = 0; r < rows; ++r)
    sumRms += rowRms(&x.data[r * d], d);
  double next = momentum * running + (1 - momentum) * (sumRms / rows);
  double divisor = blend * next + (1 - blend);
  Tensor y = x;
  for (double &v : y.data)
    v = std::erf(alpha * v / divisor + shift);
  return {std::move(y), next};
}
