//===- FusedKernels.h - normalization + scale + linear maps -----*- C++ -*-===//
//
// nf.fused_norm_linear on the CPU: the rows of x are normalized once, then
// each branch's scale vector and bias are folded into its weights
// (FlashNorm, arXiv 2407.09577: W (g * x + b) = (W diag g) x + W b), so
// every branch is one GEMM on the same normalized rows. Folding costs
// OUT x IN per branch against N x IN x OUT for the GEMM.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CPU_FUSEDKERNELS_H
#define NFRT_CPU_FUSEDKERNELS_H

#include "nfrt/cpu/LinearKernels.h"
#include "nfrt/cpu/NormKernels.h"

#include <vector>

namespace nfrt::cpu {

enum class FusedNorm { RMSNorm, LayerNorm, DyT, Derf };

/// out = norm(x) for the normalization of a fused op.
template <int64_t N, int64_t D>
void fusedNormalize(FusedNorm kind, const float *x, const float *alpha,
                    const float *shift, float eps, float *out) {
  switch (kind) {
  case FusedNorm::RMSNorm:
    return rmsnormForward<N, D>(x, out, eps);
  case FusedNorm::LayerNorm:
    return layernormForward<N, D>(x, out, eps);
  case FusedNorm::DyT:
    return dytForward<N * D>(x, alpha, out);
  case FusedNorm::Derf:
    return derfForward<N * D>(x, alpha, shift, out);
  }
}

/// y = (xn * gamma + beta) W^T for one branch, with gamma and beta folded
/// into W (either may be null).
template <int64_t N, int64_t IN, int64_t OUT>
void foldedLinearForward(const float *xn, const float *w, const float *gamma,
                         const float *beta, float *y) {
  const float *weight = w;
  std::vector<float> folded;
  if (gamma) {
    folded.resize(OUT * IN);
    for (int64_t o = 0; o < OUT; ++o)
      for (int64_t i = 0; i < IN; ++i)
        folded[o * IN + i] = w[o * IN + i] * gamma[i];
    weight = folded.data();
  }
  linearForward<N, IN, OUT>(xn, weight, y);
  if (beta) {
    // The bias of the map: W beta (with the unfolded W).
    std::vector<float> wb(OUT, 0.f);
    for (int64_t o = 0; o < OUT; ++o)
      for (int64_t i = 0; i < IN; ++i)
        wb[o] += w[o * IN + i] * beta[i];
#pragma omp parallel for
    for (int64_t r = 0; r < N; ++r)
      for (int64_t o = 0; o < OUT; ++o)
        y[r * OUT + o] += wb[o];
  }
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_FUSEDKERNELS_H
