//===- Interpreter.cpp - the reference interpreter of nf IR -----------------===//
//
// One function per op, the formula above it (MATH.md sections 1-3 and
// 'Our definitions'), in double precision and plain loops. Tensors are
// row-major; "rows" are every dimension but the last.
//
// Parameter file: "NFPARAM1", u32 count, then per tensor u32 name length,
// the name, u32 rank, i64 dims, f64 data (little-endian).
//
//===----------------------------------------------------------------------===//
#include "normfuse/Interpreter/Interpreter.h"

#include "nf/NFOps.h"
#include "nfrt/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;

namespace {

Tensor zeros(ArrayRef<int64_t> shape) {
  Tensor t;
  t.shape.assign(shape.begin(), shape.end());
  t.data.assign(t.numel(), 0.0);
  return t;
}

Tensor like(Value v) {
  return zeros(cast<RankedTensorType>(v.getType()).getShape());
}

int64_t lastDim(const Tensor &t) { return t.shape.empty() ? 1 : t.shape.back(); }
int64_t rows(const Tensor &t) { return t.numel() / lastDim(t); }

llvm::Error fail(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

// rmsnorm: y = x / sqrt(mean(x^2) + eps), per row.
Tensor rmsnorm(const Tensor &x, double eps) {
  Tensor y = x;
  int64_t d = lastDim(x);
  for (int64_t r = 0; r < rows(x); ++r) {
    double ss = 0;
    for (int64_t j = 0; j < d; ++j)
      ss += x.data[r * d + j] * x.data[r * d + j];
    double inv = 1.0 / std::sqrt(ss / d + eps);
    for (int64_t j = 0; j < d; ++j)
      y.data[r * d + j] *= inv;
  }
  return y;
}

// layernorm: y = (x - mean) / sqrt(var + eps), biased variance, per row.
Tensor layernorm(const Tensor &x, double eps) {
  Tensor y = x;
  int64_t d = lastDim(x);
  for (int64_t r = 0; r < rows(x); ++r) {
    double mean = 0, var = 0;
    for (int64_t j = 0; j < d; ++j)
      mean += x.data[r * d + j];
    mean /= d;
    for (int64_t j = 0; j < d; ++j)
      var += (x.data[r * d + j] - mean) * (x.data[r * d + j] - mean);
    double inv = 1.0 / std::sqrt(var / d + eps);
    for (int64_t j = 0; j < d; ++j)
      y.data[r * d + j] = (x.data[r * d + j] - mean) * inv;
  }
  return y;
}

// dyt: tanh(alpha x); derf: erf(alpha x + s).
Tensor pointwise(const Tensor &x, double alpha, double shift, bool isErf) {
  Tensor y = x;
  for (double &v : y.data)
    v = isErf ? std::erf(alpha * v + shift) : std::tanh(alpha * v);
  return y;
}

// derf_ema: r' = m r + (1 - m) mean_rows(rms(x)); y = erf(alpha x / (blend
// r' + 1 - blend) + s) ('Our definitions' 6).
std::pair<Tensor, double> derfEma(const Tensor &x, double alpha, double shift,
                                  double running, double m, double blend) {
  int64_t d = lastDim(x);
  double meanRms = 0;
  for (int64_t r = 0; r < rows(x); ++r) {
    double ss = 0;
    for (int64_t j = 0; j < d; ++j)
      ss += x.data[r * d + j] * x.data[r * d + j];
    meanRms += std::sqrt(ss / d);
  }
  double next = m * running + (1 - m) * meanRms / rows(x);
  double c = blend * next + (1 - blend);
  return {pointwise(x, alpha / c, shift, true), next};
}

// Elementwise with rhs broadcast over leading dimensions (its shape is a
// suffix of lhs's): out[i] = lhs[i] op rhs[i mod |rhs|].
Tensor broadcast(const Tensor &l, const Tensor &r, bool multiply) {
  Tensor y = l;
  int64_t m = r.numel();
  for (int64_t i = 0; i < l.numel(); ++i)
    y.data[i] = multiply ? l.data[i] * r.data[i % m] : l.data[i] + r.data[i % m];
  return y;
}

// linear: y[r, o] = sum_i x[r, i] W[o, i].
Tensor linear(const Tensor &x, const Tensor &w, Value result) {
  Tensor y = like(result);
  int64_t in = w.shape[1], out = w.shape[0];
  for (int64_t r = 0; r < rows(x); ++r)
    for (int64_t o = 0; o < out; ++o) {
      double s = 0;
      for (int64_t i = 0; i < in; ++i)
        s += x.data[r * in + i] * w.data[o * in + i];
      y.data[r * out + o] = s;
    }
  return y;
}

// RoPE: pairs (2i, 2i+1) of q/k at position t rotate by t theta^(-2i/hd).
Tensor rope(const Tensor &x, double theta) {
  Tensor y = x;
  int64_t b = x.shape[0], t = x.shape[1], h = x.shape[2], hd = x.shape[3];
  for (int64_t bi = 0; bi < b; ++bi)
    for (int64_t ti = 0; ti < t; ++ti)
      for (int64_t hi = 0; hi < h; ++hi)
        for (int64_t i = 0; i < hd / 2; ++i) {
          double angle = ti * std::pow(theta, -2.0 * i / hd);
          int64_t at = ((bi * t + ti) * h + hi) * hd + 2 * i;
          double x0 = x.data[at], x1 = x.data[at + 1];
          y.data[at] = x0 * std::cos(angle) - x1 * std::sin(angle);
          y.data[at + 1] = x0 * std::sin(angle) + x1 * std::cos(angle);
        }
  return y;
}

// Causal attention on [B, T, H, hd]: softmax(q.k / sqrt(hd)) over j <= i.
Tensor attention(Tensor q, Tensor k, const Tensor &v,
                 std::optional<double> theta) {
  if (theta) {
    q = rope(q, *theta);
    k = rope(k, *theta);
  }
  Tensor o = zeros(q.shape);
  int64_t b = q.shape[0], t = q.shape[1], h = q.shape[2], hd = q.shape[3];
  auto at = [&](int64_t bi, int64_t ti, int64_t hi) {
    return ((bi * t + ti) * h + hi) * hd;
  };
  std::vector<double> p(t);
  for (int64_t bi = 0; bi < b; ++bi)
    for (int64_t hi = 0; hi < h; ++hi)
      for (int64_t i = 0; i < t; ++i) {
        double mx = -INFINITY;
        for (int64_t j = 0; j <= i; ++j) {
          double s = 0;
          for (int64_t d = 0; d < hd; ++d)
            s += q.data[at(bi, i, hi) + d] * k.data[at(bi, j, hi) + d];
          p[j] = s / std::sqrt(double(hd));
          mx = std::max(mx, p[j]);
        }
        double sum = 0;
        for (int64_t j = 0; j <= i; ++j)
          sum += (p[j] = std::exp(p[j] - mx));
        for (int64_t j = 0; j <= i; ++j)
          for (int64_t d = 0; d < hd; ++d)
            o.data[at(bi, i, hi) + d] += p[j] / sum * v.data[at(bi, j, hi) + d];
      }
  return o;
}

// Mean over rows of logsumexp(logits) - logits[target].
llvm::Expected<double> crossEntropy(const Tensor &logits,
                                    const std::vector<int32_t> &targets) {
  int64_t v = lastDim(logits);
  double total = 0;
  for (int64_t r = 0; r < rows(logits); ++r) {
    int32_t t = targets[r];
    if (t < 0 || t >= v)
      return fail(llvm::formatv("target {0} at position {1} is outside the "
                                "vocabulary [0, {2})",
                                t, r, v));
    const double *row = logits.data.data() + r * v;
    double mx = row[0];
    for (int64_t j = 1; j < v; ++j)
      mx = std::max(mx, row[j]);
    double sum = 0;
    for (int64_t j = 0; j < v; ++j)
      sum += std::exp(row[j] - mx);
    total += std::log(sum) + mx - row[t];
  }
  return total / rows(logits);
}

double gelu(double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }
double silu(double x) { return x / (1 + std::exp(-x)); }

/// Evaluation state: values by SSA value; token ids kept apart.
struct Frame {
  DenseMap<Value, Tensor> values;
  DenseMap<Value, const std::vector<int32_t> *> ids;
  ParamStore &store;
  const Tensor &at(Value v) { return values[v]; }
  double scalar(Value v) { return values[v].data[0]; }
};

Tensor normalize(NormKind kind, Frame &f, FusedNormLinearOp op) {
  const Tensor &x = f.at(op.getInput());
  ValueRange s = op.getNormScalars();
  switch (kind) {
  case NormKind::RMSNorm:
    return rmsnorm(x, op.getEps()->convertToDouble());
  case NormKind::LayerNorm:
    return layernorm(x, op.getEps()->convertToDouble());
  case NormKind::DyT:
    return pointwise(x, f.scalar(s[0]), 0, false);
  case NormKind::Derf:
    return pointwise(x, f.scalar(s[0]), f.scalar(s[1]), true);
  }
  llvm_unreachable("unknown norm kind");
}

llvm::Error step(Operation *op, Frame &f) {
  auto set = [&](Value v, Tensor t) { f.values[v] = std::move(t); };
  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](GetParamOp g) -> llvm::Error {
        auto it = f.store.find(g.getName());
        if (it == f.store.end())
          return fail("no value for parameter @" + g.getName());
        set(g, it->second);
        return llvm::Error::success();
      })
      .Case([&](AssignStateOp a) {
        f.store[a.getName()] = f.at(a.getValue());
        return llvm::Error::success();
      })
      .Case([&](FillOp fill) {
        Tensor t = like(fill);
        std::fill(t.data.begin(), t.data.end(),
                  fill.getValue().convertToDouble());
        set(fill, t);
        return llvm::Error::success();
      })
      .Case([&](EmbeddingOp e) -> llvm::Error {
        const std::vector<int32_t> &ids = *f.ids.lookup(e.getTokens());
        const Tensor &table = f.at(e.getTable());
        int64_t d = table.shape[1];
        Tensor y = like(e);
        for (size_t n = 0; n < ids.size(); ++n) {
          if (ids[n] < 0 || ids[n] >= table.shape[0])
            return fail(llvm::formatv("token {0} at position {1} is outside "
                                      "the vocabulary [0, {2})",
                                      ids[n], n, table.shape[0]));
          for (int64_t j = 0; j < d; ++j)
            y.data[n * d + j] = table.data[ids[n] * d + j];
        }
        set(e, y);
        return llvm::Error::success();
      })
      .Case([&](RMSNormOp n) {
        set(n, rmsnorm(f.at(n.getInput()), n.getEps().convertToDouble()));
        return llvm::Error::success();
      })
      .Case([&](LayerNormOp n) {
        set(n, layernorm(f.at(n.getInput()), n.getEps().convertToDouble()));
        return llvm::Error::success();
      })
      .Case([&](DyTOp n) {
        set(n, pointwise(f.at(n.getInput()), f.scalar(n.getAlpha()), 0, false));
        return llvm::Error::success();
      })
      .Case([&](DerfOp n) {
        set(n, pointwise(f.at(n.getInput()), f.scalar(n.getAlpha()),
                         f.scalar(n.getShift()), true));
        return llvm::Error::success();
      })
      .Case([&](DerfEMAOp n) {
        auto [y, next] = derfEma(f.at(n.getInput()), f.scalar(n.getAlpha()),
                                 f.scalar(n.getShift()),
                                 f.scalar(n.getRunning()),
                                 n.getMomentum().convertToDouble(),
                                 n.getBlend().convertToDouble());
        set(n.getResult(), y);
        Tensor r = like(n.getNewRunning());
        r.data[0] = next;
        set(n.getNewRunning(), r);
        return llvm::Error::success();
      })
      .Case<ScaleOp, MulOp>([&](auto m) {
        set(m.getResult(), broadcast(f.at(m->getOperand(0)),
                                     f.at(m->getOperand(1)), true));
        return llvm::Error::success();
      })
      .Case<BiasAddOp, AddOp>([&](auto a) {
        set(a.getResult(), broadcast(f.at(a->getOperand(0)),
                                     f.at(a->getOperand(1)), false));
        return llvm::Error::success();
      })
      .Case([&](LinearOp l) {
        set(l, linear(f.at(l.getInput()), f.at(l.getWeight()), l));
        return llvm::Error::success();
      })
      .Case<SplitHeadsOp, MergeHeadsOp>([&](auto r) {
        Tensor t = f.at(r.getInput());
        auto shape = cast<RankedTensorType>(r.getType()).getShape();
        t.shape.assign(shape.begin(), shape.end());
        set(r.getResult(), t);
        return llvm::Error::success();
      })
      .Case([&](AttentionOp a) {
        std::optional<double> theta;
        if (auto t = a.getRopeTheta())
          theta = t->convertToDouble();
        set(a, attention(f.at(a.getQuery()), f.at(a.getKey()),
                         f.at(a.getValue()), theta));
        return llvm::Error::success();
      })
      .Case<GeluOp, SiluOp>([&](auto g) {
        Tensor t = f.at(g.getInput());
        for (double &v : t.data)
          v = isa<GeluOp>(g.getOperation()) ? gelu(v) : silu(v);
        set(g.getResult(), t);
        return llvm::Error::success();
      })
      .Case([&](CrossEntropyOp c) -> llvm::Error {
        llvm::Expected<double> loss =
            crossEntropy(f.at(c.getLogits()), *f.ids.lookup(c.getTargets()));
        if (!loss)
          return loss.takeError();
        Tensor t = like(c);
        t.data[0] = *loss;
        set(c, t);
        return llvm::Error::success();
      })
      // One normalization, then each branch's scale, bias and linear map.
      .Case([&](FusedNormLinearOp fused) {
        Tensor y = normalize(fused.getKind(), f, fused);
        for (auto [i, w] : llvm::enumerate(fused.getWeights())) {
          Tensor in = y;
          if (Value g = fused.getGammaOf(i))
            in = broadcast(in, f.at(g), true);
          if (Value b = fused.getBiasOf(i))
            in = broadcast(in, f.at(b), false);
          set(fused.getResult(i), linear(in, f.at(w), fused.getResult(i)));
        }
        return llvm::Error::success();
      })
      .Default([&](Operation *other) {
        return fail("the interpreter has no rule for '" +
                    other->getName().getStringRef() + "'");
      });
}

} // namespace

void normfuse::initializeParams(ModuleOp module, ParamInit mode,
                                uint64_t seed, ParamStore &store) {
  for (ParamOp p : module.getOps<ParamOp>()) {
    Tensor t = zeros(p.getTensorType().getShape());
    nfrt::Random rng =
        nfrt::Random::forName(p.getSymName().str().c_str(), seed);
    InitAttr init = p.getInit();
    double value = init.getValue().convertToDouble();
    ParamGroup g = p.getGroup();
    bool vectorLike = g == ParamGroup::Scale || g == ParamGroup::Direction;
    for (double &v : t.data) {
      v = init.getKind() == InitKind::Normal ? value * rng.normal() : value;
      if (mode != ParamInit::Random || g == ParamGroup::State)
        continue;
      // Random: scale vectors, biases and scalars away from their init too.
      if (vectorLike)
        v = 1.0 + 0.3 * rng.normal();
      else if (g == ParamGroup::Bias)
        v = 0.1 * rng.normal();
      else if (init.getKind() == InitKind::Constant)
        v = value * (1.0 + 0.3 * rng.normal());
    }
    store[p.getSymName()] = std::move(t);
  }
}

llvm::Error normfuse::saveParams(ModuleOp module, StringRef path,
                                 const ParamStore &store) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail(path + ": cannot write: " + ec.message());
  auto u32 = [&](uint32_t v) { os.write(reinterpret_cast<char *>(&v), 4); };
  SmallVector<ParamOp> params(module.getOps<ParamOp>());
  os << "NFPARAM1";
  u32(params.size());
  for (ParamOp p : params) {
    const Tensor &t = store.find(p.getSymName())->second;
    u32(p.getSymName().size());
    os << p.getSymName();
    u32(t.shape.size());
    os.write(reinterpret_cast<const char *>(t.shape.data()),
             8 * t.shape.size());
    os.write(reinterpret_cast<const char *>(t.data.data()), 8 * t.numel());
  }
  return llvm::Error::success();
}

llvm::Error normfuse::loadParams(ModuleOp module, StringRef path,
                                 ParamStore &store, unsigned &unused) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file)
    return fail(path + ": cannot read: " + file.getError().message());
  StringRef buf = (*file)->getBuffer();
  size_t at = 0;
  auto need = [&](size_t n) { return at + n <= buf.size(); };
  auto u32 = [&]() {
    uint32_t v;
    std::memcpy(&v, buf.data() + at, 4);
    at += 4;
    return v;
  };
  if (!buf.starts_with("NFPARAM1") || buf.size() < 12)
    return fail(path + ": not a parameter file (no NFPARAM1 header)");
  at = 8;
  uint32_t count = u32();
  ParamStore file_;
  for (uint32_t i = 0; i < count; ++i) {
    if (!need(4))
      return fail(path + ": truncated");
    uint32_t len = u32();
    if (!need(len + 4))
      return fail(path + ": truncated");
    std::string name = buf.substr(at, len).str();
    at += len;
    uint32_t rank = u32();
    if (rank > 8 || !need(8 * rank))
      return fail(path + ": corrupt tensor '" + name + "'");
    Tensor t;
    t.shape.resize(rank);
    std::memcpy(t.shape.data(), buf.data() + at, 8 * rank);
    at += 8 * rank;
    int64_t n = t.numel();
    if (n < 0 || !need(8 * size_t(n)))
      return fail(path + ": truncated in tensor '" + name + "'");
    t.data.resize(n);
    std::memcpy(t.data.data(), buf.data() + at, 8 * n);
    at += 8 * n;
    file_[name] = std::move(t);
  }
  unused = 0;
  llvm::StringSet<> used;
  for (ParamOp p : module.getOps<ParamOp>()) {
    StringRef from = p.getSymName();
    if (!file_.count(from) && p.getDerivedFrom() &&
        file_.count(*p.getDerivedFrom()))
      from = *p.getDerivedFrom();
    auto it = file_.find(from);
    if (it == file_.end())
      continue; // keeps its initial value
    auto shape = p.getTensorType().getShape();
    if (ArrayRef<int64_t>(it->second.shape) != shape)
      return fail(llvm::formatv("{0}: tensor '{1}' has {2} values in shape "
                                "[{3}], @{4} expects [{5}]",
                                path, from, it->second.numel(),
                                llvm::make_range(it->second.shape.begin(),
                                                 it->second.shape.end()),
                                p.getSymName(),
                                llvm::make_range(shape.begin(), shape.end())));
    store[p.getSymName()] = it->second;
    used.insert(from);
  }
  for (auto &entry : file_)
    if (!used.contains(entry.getKey()))
      ++unused;
  return llvm::Error::success();
}

llvm::Expected<double> normfuse::evaluate(ModuleOp module, StringRef function,
                                          const std::vector<int32_t> &tokens,
                                          const std::vector<int32_t> &targets,
                                          ParamStore &store) {
  auto fn = module.lookupSymbol<func::FuncOp>(function);
  if (!fn)
    return fail("no function @" + function + " to evaluate");
  if (fn.getNumArguments() != 2)
    return fail("@" + function + " must take (tokens, targets)");
  Frame f{{}, {}, store};
  for (auto [arg, ids] : llvm::zip(fn.getArguments(),
                                   std::array<const std::vector<int32_t> *, 2>{
                                       &tokens, &targets})) {
    auto type = cast<RankedTensorType>(arg.getType());
    if (type.getNumElements() != int64_t(ids->size()))
      return fail(llvm::formatv("@{0} takes {1} token ids per argument, got "
                                "{2}",
                                function, type.getNumElements(), ids->size()));
    f.ids[arg] = ids;
  }
  for (Operation &op : fn.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op))
      return f.scalar(ret.getOperand(0));
    if (llvm::Error e = step(&op, f))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "'" + op.getName().getStringRef() + "' at " +
              llvm::formatv("{0}", op.getLoc()).str() + ": " +
              llvm::toString(std::move(e)));
  }
  return fail("@" + function + " has no return");
}
