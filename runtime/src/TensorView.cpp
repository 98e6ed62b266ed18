//===- TensorView.cpp - a named float32 tensor in caller memory -----------===//
#include "nfrt/TensorView.h"

using namespace nfrt;

std::string nfrt::formatShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}
