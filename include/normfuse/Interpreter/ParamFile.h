//===- ParamFile.h - the NFPARAM1 parameter file format ---------*- C++ -*-===//
//
// `nfc eval --save-params / --load-params` and the PyTorch reference model
// (test/torch/reference_model.py) exchange parameters in this format. All
// integers and floats are little-endian:
//
//   "NFPARAM1"                  8 bytes, the magic
//   u32 count                   number of tensors
//   count times:
//     u32 n, n bytes            the name, UTF-8 ("layers.0.attn.wq")
//     u32 rank                  0 (a scalar) .. 8
//     rank x i64                the dimensions, each >= 0
//     numel x f64               the values, row-major
//
// The file ends right after the last tensor; names are unique.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_INTERPRETER_PARAMFILE_H
#define NORMFUSE_INTERPRETER_PARAMFILE_H

#include "normfuse/Interpreter/Tensor.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace normfuse::interp {

struct NamedTensor {
  std::string name;
  Tensor value;
};

/// The bytes of a parameter file holding `tensors` in order.
std::string encodeParamFile(llvm::ArrayRef<NamedTensor> tensors);

/// Parses the bytes of a parameter file. Errors are one line that starts
/// with `path` ("p.nfp: error: truncated in tensor 'wq' ...").
llvm::Expected<std::vector<NamedTensor>> decodeParamFile(llvm::StringRef bytes,
                                                         llvm::StringRef path);

llvm::Error writeParamFile(llvm::StringRef path,
                           llvm::ArrayRef<NamedTensor> tensors);
llvm::Expected<std::vector<NamedTensor>> readParamFile(llvm::StringRef path);

} // namespace normfuse::interp

#endif // NORMFUSE_INTERPRETER_PARAMFILE_H
