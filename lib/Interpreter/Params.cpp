//===- Params.cpp - parameter values for the reference interpreter --------===//
#include "normfuse/Interpreter/Params.h"

#include "nfrt/Random.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

using namespace normfuse::interp;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static bool isMatrixLike(ParamGroup group) {
  return group == ParamGroup::Matrix || group == ParamGroup::Embedding ||
         group == ParamGroup::Head;
}

/// One element of `p`. The draws per element are those of the step checker
/// (runtime/tools/StepCheck.cpp --random): a normal(std) init draws once,
/// and the random mode draws once where it replaces the value.
static double drawOne(const ParamDecl &p, const InitOptions &options,
                      nfrt::Random &rng) {
  bool random = options.mode == ParamValues::Random;
  if (random && isMatrixLike(p.group)) {
    double std = options.matrixStd > 0        ? options.matrixStd
                 : p.init == InitKind::Normal ? p.initValue
                                              : 0.02;
    return std * rng.normal();
  }
  double init = p.init == InitKind::Normal  ? p.initValue * rng.normal()
                : p.init == InitKind::Ones  ? 1.0
                : p.init == InitKind::Zeros ? 0.0
                                            : p.initValue;
  if (!random)
    return init;
  switch (p.group) {
  case ParamGroup::Scale:
  case ParamGroup::Direction:
    // Scale vectors around their init of ones, so folding or moving them
    // (docs/math.md#rewrites) is not a multiplication by 1.
    return 1.0 + 0.3 * rng.normal();
  case ParamGroup::Bias:
    return 0.1 * rng.normal();
  case ParamGroup::Scalar:
  case ParamGroup::Magnitude:
    // Relative noise keeps DyT/Derf alpha and the embedding scale
    // positive-ish; a scalar that starts at 0 (Derf's shift) gets the
    // bias's 0.1 N(0, 1) so that the shift is exercised too.
    return init != 0.0 ? init * (1.0 + 0.3 * rng.normal()) : 0.1 * rng.normal();
  case ParamGroup::State:
    // Running statistics are not trained: they keep their init.
    return init;
  default:
    return init;
  }
}

Tensor normfuse::interp::initialValue(const ParamDecl &param,
                                      const InitOptions &options) {
  Tensor t = Tensor::zeros(param.shape);
  nfrt::Random rng = nfrt::Random::forName(param.name.c_str(), options.seed);
  for (double &v : t.data)
    v = drawOne(param, options, rng);
  return t;
}

void normfuse::interp::initializeParams(llvm::ArrayRef<ParamDecl> decls,
                                        const InitOptions &options,
                                        ParamStore &store) {
  for (const ParamDecl &p : decls)
    store[p.name] = initialValue(p, options);
}

llvm::Expected<unsigned>
normfuse::interp::loadParams(llvm::ArrayRef<ParamDecl> decls,
                             llvm::ArrayRef<NamedTensor> file,
                             llvm::StringRef path, ParamStore &store) {
  llvm::StringMap<const Tensor *> byName;
  for (const NamedTensor &t : file)
    byName[t.name] = &t.value;
  llvm::StringSet<> taken;
  for (const ParamDecl &p : decls) {
    llvm::StringRef from = p.name;
    if (!byName.count(from) && !p.derivedFrom.empty() &&
        byName.count(p.derivedFrom))
      from = p.derivedFrom;
    auto it = byName.find(from);
    if (it == byName.end())
      continue; // keeps its initial value
    const Tensor &value = *it->second;
    if (value.shape != p.shape) {
      std::string forWhom =
          from == p.name ? "" : " (for @" + p.name + ", derived from it)";
      return error(llvm::formatv("{0}: error: tensor '{1}' has shape {2}, "
                                 "the module expects {3}{4}",
                                 path, from, formatShape(value.shape),
                                 formatShape(p.shape), forWhom));
    }
    store[p.name] = value;
    taken.insert(from);
  }
  unsigned unused = 0;
  for (const NamedTensor &t : file)
    unused += !taken.contains(t.name);
  return unused;
}

llvm::Error normfuse::interp::saveParams(llvm::ArrayRef<ParamDecl> decls,
                                         const ParamStore &store,
                                         llvm::StringRef path) {
  std::vector<NamedTensor> tensors;
  for (const ParamDecl &p : decls) {
    auto it = store.find(p.name);
    if (it == store.end())
      return error(path + ": error: no value for parameter @" + p.name);
    tensors.push_back({p.name, it->second});
  }
  return writeParamFile(path, tensors);
}

llvm::Error normfuse::interp::setParam(llvm::ArrayRef<ParamDecl> decls,
                                       llvm::StringRef text,
                                       ParamStore &store) {
  auto [name, list] = text.split('=');
  std::string where = ("--set-param '" + text + "': ").str();
  const ParamDecl *decl = nullptr;
  for (const ParamDecl &p : decls)
    if (p.name == name)
      decl = &p;
  if (!decl)
    return error(where + "the module has no parameter @" + name);
  llvm::SmallVector<llvm::StringRef> items;
  list.split(items, ',');
  std::vector<double> values;
  for (llvm::StringRef item : items) {
    double v;
    if (item.trim().getAsDouble(v))
      return error(where + "'" + item.trim() + "' is not a number");
    values.push_back(v);
  }
  Tensor t = Tensor::zeros(decl->shape);
  if (values.size() == 1) {
    std::fill(t.data.begin(), t.data.end(), values[0]);
  } else if (int64_t(values.size()) == t.numel()) {
    t.data = values;
  } else {
    return error(where + llvm::formatv("@{0} has shape {1} ({2} values), got "
                                       "{3} values",
                                       name, formatShape(decl->shape),
                                       t.numel(), values.size()));
  }
  store[decl->name] = std::move(t);
  return llvm::Error::success();
}
