//===- Params.h - parameter values of the interpreter -----------*- C++ -*-===//
//
// What the interpreter needs to know of each nf.param (ParamDecl, read from
// the IR by paramDecls() in Interpreter.h), where the values come from (the
// init attribute, random, a parameter file, the command line) and the store
// that holds them by name.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_INTERPRETER_PARAMS_H
#define NORMFUSE_INTERPRETER_PARAMS_H

#include "normfuse/Interpreter/ParamFile.h"
#include "normfuse/Interpreter/Tensor.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace normfuse::interp {

/// Mirrors #nf.init<...> and #nf.group<...> (NFAttrs.td) without MLIR.
enum class InitKind { Normal, Ones, Zeros, Constant };
enum class ParamGroup {
  Matrix,
  Embedding,
  Head,
  Scale,
  Bias,
  Scalar,
  State,
  Magnitude,
  Direction
};

struct ParamDecl {
  std::string name;
  std::vector<int64_t> shape;
  InitKind init = InitKind::Zeros;
  double initValue = 0; // the std of normal(std), the value of constant(v)
  ParamGroup group = ParamGroup::Matrix;
  std::string derivedFrom; // empty unless derived_from("other")
};

/// Every parameter's value by name: the store the interpreter reads
/// (nf.get_param) and writes (nf.assign_state).
using ParamStore = llvm::StringMap<Tensor>;

enum class ParamValues {
  /// Each parameter from its init attribute.
  Init,
  /// Every parameter away from its init, so that scale vectors, biases,
  /// DyT/Derf alpha and shift are not trivial in a numerical comparison:
  /// matrices, embeddings, head N(0, std of their init, else 0.02); scale
  /// vectors and directions 1 + 0.3 N(0, 1); biases 0.1 N(0, 1); scalars
  /// and magnitudes v (1 + 0.3 N(0, 1)) for an init value v != 0, else
  /// 0.1 N(0, 1); state keeps its init.
  Random,
};

struct InitOptions {
  ParamValues mode = ParamValues::Init;
  uint64_t seed = 0;
  /// Random mode: matrices, embeddings and the head from N(0, matrixStd)
  /// where > 0. At init scale (0.02) attention is nearly uniform and the
  /// logits nearly equal, so a comparison hardly sees positions or heads;
  /// 0.1 makes both matter.
  double matrixStd = 0;
};

/// The initial value of one parameter. Its stream of random numbers is
/// seeded by (seed, name) only (nfrt::Random::forName), so a parameter keeps
/// its values when a rewrite adds or removes other parameters.
Tensor initialValue(const ParamDecl &param, const InitOptions &options);

/// initialValue() for every parameter of `decls`, into `store`.
void initializeParams(llvm::ArrayRef<ParamDecl> decls,
                      const InitOptions &options, ParamStore &store);

/// Takes values from a parameter file's tensors (read from `path`): a
/// parameter present by name takes the file's value; else, if it is
/// derived_from("other") and `other` is in the file, other's value; else it
/// keeps what `store` holds. Shapes must match. Returns the number of file
/// tensors that no parameter took (names the module does not declare).
llvm::Expected<unsigned> loadParams(llvm::ArrayRef<ParamDecl> decls,
                                    llvm::ArrayRef<NamedTensor> file,
                                    llvm::StringRef path, ParamStore &store);

/// Writes every parameter of `decls` (in that order) from `store`.
llvm::Error saveParams(llvm::ArrayRef<ParamDecl> decls, const ParamStore &store,
                       llvm::StringRef path);

/// Sets one parameter from "name=v0,v1,..." (row-major; one value fills
/// the whole tensor): `nfc eval --set-param`.
llvm::Error setParam(llvm::ArrayRef<ParamDecl> decls, llvm::StringRef text,
                     ParamStore &store);

} // namespace normfuse::interp

#endif // NORMFUSE_INTERPRETER_PARAMS_H
