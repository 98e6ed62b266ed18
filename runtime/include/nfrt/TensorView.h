//===- TensorView.h - a named float32 tensor in caller memory ---*- C++ -*-===//
#ifndef NFRT_TENSORVIEW_H
#define NFRT_TENSORVIEW_H

#include <cstdint>
#include <string>
#include <vector>

namespace nfrt {

/// A name, a shape and a pointer to numel() floats owned by the caller
/// (usually a slice of the parameter or gradient buffer).
struct TensorView {
  std::string name;
  std::vector<int64_t> shape;
  float *data = nullptr;

  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

/// "[128, 64]"; "[]" for a scalar.
std::string formatShape(const std::vector<int64_t> &shape);

} // namespace nfrt

#endif // NFRT_TENSORVIEW_H
