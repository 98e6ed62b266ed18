//===- Importer.cpp - checked spec -> nf IR
//---------------------------------===//
//
// Parameter names follow PyTorch state_dict style ("layers.0.attn.wq") so
// that weights can be compared one to one with a reference model. Each op
// carries a NameLoc of the layer it belongs to, so diagnostics and
// -mlir-print-debuginfo say where it came from.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Spec/Importer.h"

#include "nf/NFOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;
namespace fbs = ::nf::spec;

namespace {

class SpecImporter {
public:
  SpecImporter(MLIRContext &ctx, const fbs::SpecT &spec)
      : ctx(ctx), spec(spec), model(*spec.model), b(&ctx), f32(b.getF32Type()) {
  }

  OwningOpRef<ModuleOp> run();

private:
  RankedTensorType tensor(ArrayRef<int64_t> shape, Type elt = {}) {
    return RankedTensorType::get(shape, elt ? elt : f32);
  }
  Location loc(const Twine &name) {
    return NameLoc::get(b.getStringAttr(name));
  }

  /// Declares a parameter at the module level and reads it in the function.
  Value param(const std::string &name, ArrayRef<int64_t> shape, InitKind init,
              double value, ParamGroup group);

  /// normalization + scale vector (+ bias) over the last dimension.
  Value norm(Value x, const fbs::NormT &cfg, const std::string &prefix);
  Value attention(Value x, const std::string &prefix);
  Value feedForward(Value x, const std::string &prefix);
  Value linear(Value x, const std::string &name, int64_t out, double std);

  MLIRContext &ctx;
  const fbs::SpecT &spec;
  const fbs::ModelT &model;
  OpBuilder b;
  Type f32;
  ModuleOp module;
  OpBuilder::InsertPoint paramInsertPoint;
  // GPT-2 scales the init of the projections that write into the residual
  // stream by 1/sqrt(2 * n_layers), so the stream's variance stays O(1).
  double residualStd() const {
    return model.init_std / std::sqrt(2.0 * *model.n_layers);
  }
};

Value SpecImporter::param(const std::string &name, ArrayRef<int64_t> shape,
                          InitKind init, double value, ParamGroup group) {
  RankedTensorType type = tensor(shape);
  {
    OpBuilder::InsertionGuard guard(b);
    b.restoreInsertionPoint(paramInsertPoint);
    b.create<ParamOp>(loc(name), b.getStringAttr(name), TypeAttr::get(type),
                      InitAttr::get(&ctx, init, llvm::APFloat(value)),
                      ParamGroupAttr::get(&ctx, group), NormRoleAttr(),
                      FloatAttr(), OptimizerKindAttr(), StringAttr());
    paramInsertPoint = b.saveInsertionPoint();
  }
  return b.create<GetParamOp>(loc(name), type,
                              FlatSymbolRefAttr::get(&ctx, name));
}

Value SpecImporter::norm(Value x, const fbs::NormT &cfg,
                         const std::string &prefix) {
  Location l = loc(prefix);
  Value y;
  switch (cfg.kind) {
  case fbs::NormKind_rmsnorm:
    y = b.create<RMSNormOp>(l, x, b.getF64FloatAttr(cfg.eps));
    break;
  case fbs::NormKind_layernorm:
    y = b.create<LayerNormOp>(l, x, b.getF64FloatAttr(cfg.eps));
    break;
  case fbs::NormKind_dyt: {
    Value alpha = param(prefix + ".alpha", {}, InitKind::Constant, cfg.alpha,
                        ParamGroup::Scalar);
    y = b.create<DyTOp>(l, x, alpha);
    break;
  }
  case fbs::NormKind_derf: {
    Value alpha = param(prefix + ".alpha", {}, InitKind::Constant, cfg.alpha,
                        ParamGroup::Scalar);
    Value shift = param(prefix + ".shift", {}, InitKind::Constant, cfg.shift,
                        ParamGroup::Scalar);
    y = b.create<DerfOp>(l, x, alpha, shift);
    break;
  }
  case fbs::NormKind_derf_ema: {
    Value alpha = param(prefix + ".alpha", {}, InitKind::Constant, cfg.alpha,
                        ParamGroup::Scalar);
    Value shift = param(prefix + ".shift", {}, InitKind::Constant, cfg.shift,
                        ParamGroup::Scalar);
    // The running RMS starts at 1: the first steps then behave as plain
    // Derf and the estimate moves towards the data
    // (docs/math.md#derf-ema-blend).
    std::string runningName = prefix + ".running_rms";
    Value running =
        param(runningName, {}, InitKind::Constant, 1.0, ParamGroup::State);
    auto op = b.create<DerfEMAOp>(
        l, x.getType(), running.getType(), x, alpha, shift, running,
        b.getF64FloatAttr(cfg.ema_momentum), b.getF64FloatAttr(cfg.ema_blend));
    b.create<AssignStateOp>(l, FlatSymbolRefAttr::get(&ctx, runningName),
                            op.getNewRunning());
    y = op.getResult();
    break;
  }
  }
  int64_t d = cast<RankedTensorType>(x.getType()).getShape().back();
  Value gamma =
      param(prefix + ".scale", {d}, InitKind::Ones, 1.0, ParamGroup::Scale);
  y = b.create<ScaleOp>(l, y, gamma);
  if (cfg.bias) {
    Value beta =
        param(prefix + ".bias", {d}, InitKind::Zeros, 0.0, ParamGroup::Bias);
    y = b.create<BiasAddOp>(l, y, beta);
  }
  return y;
}

Value SpecImporter::linear(Value x, const std::string &name, int64_t out,
                           double std) {
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t in = xType.getShape().back();
  Value w = param(name, {out, in}, InitKind::Normal, std, ParamGroup::Matrix);
  SmallVector<int64_t> shape(xType.getShape().drop_back());
  shape.push_back(out);
  return b.create<LinearOp>(loc(name), tensor(shape), x, w);
}

Value SpecImporter::attention(Value x, const std::string &prefix) {
  int64_t batch = spec.run->batch_size, seq = *model.seq_len;
  int64_t d = *model.d_model, heads = *model.n_heads, hd = d / heads;
  RankedTensorType headsType = tensor({batch, seq, heads, hd});
  Location l = loc(prefix);
  auto project = [&](const char *name) -> Value {
    Value p = linear(x, prefix + "." + name, d, model.init_std);
    return b.create<SplitHeadsOp>(l, headsType, p);
  };
  Value q = project("wq"), k = project("wk"), v = project("wv");
  if (model.qk_norm) {
    q = norm(q, *model.qk_norm, prefix + ".q_norm");
    k = norm(k, *model.qk_norm, prefix + ".k_norm");
  }
  FloatAttr theta = model.position == fbs::PositionKind_rope
                        ? b.getF64FloatAttr(model.rope_theta)
                        : FloatAttr();
  Value o = b.create<AttentionOp>(l, headsType, q, k, v, theta);
  o = b.create<MergeHeadsOp>(l, tensor({batch, seq, d}), o);
  return linear(o, prefix + ".wo", d, residualStd());
}

Value SpecImporter::feedForward(Value x, const std::string &prefix) {
  int64_t d = *model.d_model, dff = *model.d_ff;
  Location l = loc(prefix);
  Value h;
  if (model.mlp == fbs::MlpKind_swiglu) {
    Value gate = linear(x, prefix + ".w_gate", dff, model.init_std);
    Value up = linear(x, prefix + ".w_up", dff, model.init_std);
    h = b.create<MulOp>(l, b.create<SiluOp>(l, gate), up);
  } else {
    h = b.create<GeluOp>(l, linear(x, prefix + ".w_up", dff, model.init_std));
  }
  return linear(h, prefix + ".w_down", d, residualStd());
}

OwningOpRef<ModuleOp> SpecImporter::run() {
  OwningOpRef<ModuleOp> owned = ModuleOp::create(loc(model.name));
  module = *owned;
  module->setAttr("nf.model", b.getStringAttr(model.name));
  int64_t batch = spec.run->batch_size, seq = *model.seq_len;
  int64_t d = *model.d_model, vocab = model.vocab_size;
  RankedTensorType ids = tensor({batch, seq}, b.getI32Type());
  auto fn = func::FuncOp::create(loc("forward"), "forward",
                                 b.getFunctionType({ids, ids}, {tensor({})}));
  module.push_back(fn);
  // Parameters go before the function, in the order they are first used.
  paramInsertPoint =
      OpBuilder::InsertPoint(module.getBody(), fn->getIterator());
  fn.setArgAttr(0, "nf.name", b.getStringAttr("tokens"));
  fn.setArgAttr(1, "nf.name", b.getStringAttr("targets"));
  b.setInsertionPointToStart(fn.addEntryBlock());
  Value tokens = fn.getArgument(0), targets = fn.getArgument(1);

  // Embeddings: tokens (+ learned positions) (x learnable scale, as DyT's
  // LLaMA setup and Derf's nanoGPT patch do, initialised to sqrt(d)).
  Value table = param("embed.tokens", {vocab, d}, InitKind::Normal,
                      model.init_std, ParamGroup::Embedding);
  Value x = b.create<EmbeddingOp>(loc("embed"), tensor({batch, seq, d}), tokens,
                                  table);
  if (model.position == fbs::PositionKind_learned) {
    Value pos = param("embed.positions", {seq, d}, InitKind::Normal,
                      model.init_std, ParamGroup::Embedding);
    x = b.create<AddOp>(loc("embed"), x, pos);
  }
  if (model.embedding_scale) {
    Value s = param("embed.scale", {}, InitKind::Constant,
                    std::sqrt(static_cast<double>(d)), ParamGroup::Scalar);
    x = b.create<MulOp>(loc("embed"), x, s);
  }

  for (int32_t i = 0; i < *model.n_layers; ++i) {
    std::string layer = llvm::formatv("layers.{0}", i).str();
    Location l = loc(layer);
    switch (model.architecture) {
    case fbs::Architecture_pre_norm:
      x = b.create<AddOp>(
          l, x,
          attention(norm(x, *model.attention_norm, layer + ".attn_norm"),
                    layer + ".attn"));
      x = b.create<AddOp>(
          l, x,
          feedForward(norm(x, *model.ffn_norm, layer + ".ffn_norm"),
                      layer + ".ffn"));
      break;
    case fbs::Architecture_post_norm:
      x = norm(b.create<AddOp>(l, x, attention(x, layer + ".attn")),
               *model.attention_norm, layer + ".attn_norm");
      x = norm(b.create<AddOp>(l, x, feedForward(x, layer + ".ffn")),
               *model.ffn_norm, layer + ".ffn_norm");
      break;
    case fbs::Architecture_peri_norm: {
      // Peri-Norm: the branch output gets its own norm of the same kind.
      Value a = attention(norm(x, *model.attention_norm, layer + ".attn_norm"),
                          layer + ".attn");
      x = b.create<AddOp>(
          l, x, norm(a, *model.attention_norm, layer + ".attn_out_norm"));
      Value f = feedForward(norm(x, *model.ffn_norm, layer + ".ffn_norm"),
                            layer + ".ffn");
      x = b.create<AddOp>(l, x,
                          norm(f, *model.ffn_norm, layer + ".ffn_out_norm"));
      break;
    }
    }
  }

  if (model.architecture != fbs::Architecture_post_norm)
    x = norm(x, *model.final_norm, "final_norm");
  Value head = model.tie_embeddings
                   ? table
                   : param("lm_head.weight", {vocab, d}, InitKind::Normal,
                           model.init_std, ParamGroup::Head);
  Value logits =
      b.create<LinearOp>(loc("lm_head"), tensor({batch, seq, vocab}), x, head);
  Value loss =
      b.create<CrossEntropyOp>(loc("loss"), tensor({}), logits, targets);
  b.create<func::ReturnOp>(loc("forward"), loss);

  if (failed(verify(module)))
    return nullptr;
  return owned;
}

} // namespace

OwningOpRef<ModuleOp> normfuse::importSpec(MLIRContext &context,
                                           const LoadedSpec &spec) {
  return SpecImporter(context, *spec.spec).run();
}
