//===- ReferenceElementwise.cpp - elementwise ops, naive double loops -----===//
//
// Binary ops broadcast their second operand over the leading dimensions of
// the first: its shape is a suffix of the first's (a [d] scale vector, a
// [T, d] position table, a 0-D scalar). In row-major order that is
// out[i] = lhs[i] op rhs[i mod numel(rhs)].
//
//===----------------------------------------------------------------------===//
#include "normfuse/Interpreter/ReferenceOps.h"

#include <cmath>

using namespace normfuse::interp;

namespace {

template <typename Fn>
Tensor broadcast(const Tensor &lhs, const Tensor &rhs, Fn fn) {
  Tensor out = lhs;
  int64_t period = rhs.numel();
  for (int64_t i = 0; i < lhs.numel(); ++i)
    out.data[i] = fn(lhs.data[i], rhs.data[i % period]);
  return out;
}

template <typename Fn> Tensor pointwise(const Tensor &x, Fn fn) {
  Tensor y = x;
  for (double &v : y.data)
    v = fn(v);
  return y;
}

} // namespace

// scale:  y[..., j] = gamma[j] * x[..., j]
Tensor normfuse::interp::scale(const Tensor &x, const Tensor &gamma) {
  return broadcast(x, gamma, [](double a, double g) { return g * a; });
}

// bias_add:  y[..., j] = x[..., j] + beta[j]
Tensor normfuse::interp::biasAdd(const Tensor &x, const Tensor &beta) {
  return broadcast(x, beta, [](double a, double b) { return a + b; });
}

// add:  y = lhs + rhs  (rhs broadcast over lhs's leading dimensions)
Tensor normfuse::interp::add(const Tensor &lhs, const Tensor &rhs) {
  return broadcast(lhs, rhs, [](double a, double b) { return a + b; });
}

// mul:  y = lhs * rhs  (rhs broadcast over lhs's leading dimensions)
Tensor normfuse::interp::mul(const Tensor &lhs, const Tensor &rhs) {
  return broadcast(lhs, rhs, [](double a, double b) { return a * b; });
}

// gelu, exact (torch.nn.functional.gelu's default, not the tanh form):
//   y = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))
Tensor normfuse::interp::gelu(const Tensor &x) {
  return pointwise(x, [](double v) {
    return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
  });
}

// silu:  y = x * sigmoid(x) = x / (1 + exp(-x))
Tensor normfuse::interp::silu(const Tensor &x) {
  return pointwise(x, [](double v) { return v / (1.0 + std::exp(-v)); });
}
