//===- ReferenceAttention.cpp - causal attention and RoPE, naive loops ----===//
//
// The semantics of nf.attention (NFOps.td): q, k, v are [B, T, H, hd];
// with rope(theta), rotary embeddings rotate q and k first; scores are
// q.k / sqrt(hd) with a causal mask (position i sees j <= i).
//
//===----------------------------------------------------------------------===//
#include "normfuse/Interpreter/ReferenceOps.h"

#include <cmath>

using namespace normfuse::interp;

// rope, on [B, T, H, hd], position t, channel pairs (2i, 2i+1), i < hd/2
// (interleaved pairs, as Meta's LLaMA code; not the half-split of GPT-NeoX):
//   angle = t * theta^(-2i / hd)
//   y[2i]   = x[2i] cos(angle) - x[2i+1] sin(angle)
//   y[2i+1] = x[2i] sin(angle) + x[2i+1] cos(angle)
Tensor normfuse::interp::rope(const Tensor &x, double theta) {
  Tensor y = x;
  int64_t b = x.shape[0], t = x.shape[1], h = x.shape[2], hd = x.shape[3];
  for (int64_t bi = 0; bi < b; ++bi)
    for (int64_t ti = 0; ti < t; ++ti)
      for (int64_t hi = 0; hi < h; ++hi)
        for (int64_t i = 0; i < hd / 2; ++i) {
          double angle = double(ti) * std::pow(theta, -2.0 * double(i) / hd);
          int64_t at = ((bi * t + ti) * h + hi) * hd + 2 * i;
          double x0 = x.data[at], x1 = x.data[at + 1];
          y.data[at] = x0 * std::cos(angle) - x1 * std::sin(angle);
          y.data[at + 1] = x0 * std::sin(angle) + x1 * std::cos(angle);
        }
  return y;
}

// attention, per batch b, head h and query position i:
//   s_j = q_i . k_j / sqrt(hd)                      for j <= i (causal)
//   p_j = exp(s_j - max_j s_j) / sum_j exp(s_j - max_j s_j)   (softmax)
//   o_i = sum_j p_j v_j
// (subtracting the max changes nothing mathematically and avoids overflow)
Tensor normfuse::interp::attention(const Tensor &q, const Tensor &k,
                                   const Tensor &v,
                                   std::optional<double> ropeTheta) {
  const Tensor &qr = ropeTheta ? rope(q, *ropeTheta) : q;
  const Tensor &kr = ropeTheta ? rope(k, *ropeTheta) : k;
  int64_t b = q.shape[0], t = q.shape[1], h = q.shape[2], hd = q.shape[3];
  auto at = [&](int64_t bi, int64_t ti, int64_t hi) {
    return ((bi * t + ti) * h + hi) * hd;
  };
  Tensor o = Tensor::zeros(q.shape);
  std::vector<double> p(t);
  for (int64_t bi = 0; bi < b; ++bi)
    for (int64_t hi = 0; hi < h; ++hi)
      for (int64_t i = 0; i < t; ++i) {
        double max = -INFINITY;
        for (int64_t j = 0; j <= i; ++j) {
          double dot = 0;
          for (int64_t c = 0; c < hd; ++c)
            dot += qr.data[at(bi, i, hi) + c] * kr.data[at(bi, j, hi) + c];
          p[j] = dot / std::sqrt(double(hd));
          max = std::max(max, p[j]);
        }
        double sum = 0;
        for (int64_t j = 0; j <= i; ++j)
          sum += (p[j] = std::exp(p[j] - max));
        for (int64_t j = 0; j <= i; ++j)
          for (int64_t c = 0; c < hd; ++c)
            o.data[at(bi, i, hi) + c] += p[j] / sum * v.data[at(bi, j, hi) + c];
      }
  return o;
}
