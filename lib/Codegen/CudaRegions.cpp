//===- CudaRegions.cpp - the CUDA cache and scratch layout as IR ----------===//
//
// Part of nf-prepare-emission (target=cuda). After the values are placed
// and the caches chosen (nf.row_stats, nf.rope_table, nf.rope_copies,
// nf.weight_copies, nf.flash), this lays out the two regions a CUDA step
// function has besides its values:
//
//   cache    lives for the whole function: the bf16 weight copies first,
//            then, in op order, each op's saved row statistics, RoPE angle
//            table and kept rotated q and k;
//   scratch  is every op's for the length of its launches: each op's
//            pieces start at 0, one after the other, and the region is as
//            large as the largest op needs.
//
// Each piece is sized by the launcher that uses it (runtime/include/nfrt/
// cuda: LaunchShapes.h, LinearScratch.h, OptimizerScratch.h,
// EmbeddingScratch.h, RopeTable.h) and starts on a 64-byte line. The
// pieces an op needs follow what its launches take, in the order the
// CUDA emitter passes them; the emitter looks each one up by name and
// fails on a missing one, so the two cannot drift apart silently.
//
//===----------------------------------------------------------------------===//
#include "CudaRegions.h"

#include "normfuse/Codegen/EmissionPlan.h"
#include "normfuse/Codegen/EmitCommon.h"

#include "nf/NFOps.h"
#include "nfrt/cuda/EmbeddingScratch.h"
#include "nfrt/cuda/LaunchShapes.h"
#include "nfrt/cuda/LinearScratch.h"
#include "nfrt/cuda/OptimizerScratch.h"
#include "nfrt/cuda/RopeTable.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;
using namespace normfuse::emit;

namespace {

class RegionPlanner {
public:
  RegionPlanner(func::FuncOp fn, bool bf16, bool train)
      : fn(fn), b(fn.getContext()), bf16(bf16), train(train) {}

  void run() {
    weightCopies();
    for (Operation &op : fn.getBody().front()) {
      scratchPieces.clear();
      cachePieces.clear();
      opScratch = 0;
      plan(&op);
      if (!scratchPieces.empty())
        op.setAttr(kScratchAttr, b.getDictionaryAttr(scratchPieces));
      if (!cachePieces.empty())
        op.setAttr(kCacheAttr, b.getDictionaryAttr(cachePieces));
    }
    fn->setAttr(kCacheFloatsAttr, b.getI64IntegerAttr(cacheFloats));
    fn->setAttr(kScratchFloatsAttr, b.getI64IntegerAttr(scratchFloats));
  }

private:
  void scratch(StringRef piece, int64_t floats) {
    scratchPieces.push_back(
        b.getNamedAttr(piece, b.getI64IntegerAttr(opScratch)));
    opScratch += nfrt::cuda::alignedFloats(floats);
    scratchFloats = std::max(scratchFloats, opScratch);
  }
  void cache(StringRef piece, int64_t floats) {
    cachePieces.push_back(
        b.getNamedAttr(piece, b.getI64IntegerAttr(cacheFloats)));
    cacheFloats += nfrt::cuda::alignedFloats(floats);
  }
  /// The op keeps its rows' statistics (nf.row_stats on a forward).
  void rowStats(Operation *op, int64_t floats) {
    auto k = op->getAttrOfType<IntegerAttr>(kRowStatsAttr);
    if (!k)
      return;
    cache("row_stats", floats);
    savedStats.insert(k.getInt());
  }
  bool readsSavedStats(Operation *op) const {
    auto k = op->getAttrOfType<IntegerAttr>(kRowStatsAttr);
    return k && savedStats.count(k.getInt());
  }
  bool isBf16(Value v) const {
    std::optional<Placement> p = placementOf(v);
    return p && p->bf16;
  }
  bool isPitched(Value v) const {
    std::optional<Placement> p = placementOf(v);
    return p && p->pitch;
  }
  /// bf16 mode: whether W's GEMM reads the step's bf16 copy of it.
  bool hasCopy(Value w) const {
    auto get = w.getDefiningOp<GetParamOp>();
    return get && copied.contains(get.getName());
  }
  void gemm(StringRef piece, int64_t n, int64_t in, int64_t out, Value w,
            bool pitched) {
    if (bf16)
      scratch(piece, nfrt::cuda::linearBf16ScratchFloats(n, in, out, hasCopy(w),
                                                         pitched));
  }
  /// The train step's saturation and scale-blindness diagnostics of a
  /// point-wise norm reading x: their block partials and per-row log RMS.
  void saturation(Value x) {
    if (!train)
      return;
    int64_t s = numel(x);
    scratch("saturation", nfrt::cuda::saturationScratchFloats(s));
    scratch("saturation_1_5", nfrt::cuda::saturationScratchFloats(s));
    scratch("scale_blind", nfrt::cuda::scaleBlindScratchFloats(rows(x)));
  }
  /// nf.weight_copies = [@w, ...] becomes [{param = @w, cache = F}, ...]:
  /// each copy's place at the start of the cache.
  void weightCopies() {
    auto params = fn->getAttrOfType<ArrayAttr>(kWeightCopiesAttr);
    if (!params)
      return;
    SmallVector<Attribute> entries;
    for (auto sym : params.getAsRange<FlatSymbolRefAttr>()) {
      auto param = SymbolTable::lookupNearestSymbolFrom<ParamOp>(fn, sym);
      auto shape = param.getTensorType().getShape();
      entries.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("param", sym),
           b.getNamedAttr("cache", b.getI64IntegerAttr(cacheFloats))}));
      cacheFloats += nfrt::cuda::alignedFloats(
          nfrt::cuda::weightBf16Floats(shape[1], shape[0]));
      copied.insert(sym.getValue());
    }
    fn->setAttr(kWeightCopiesAttr, b.getArrayAttr(entries));
  }
  template <class A> void attention(A a);
  void plan(Operation *op);

  func::FuncOp fn;
  Builder b;
  bool bf16, train;
  SmallVector<NamedAttribute> scratchPieces, cachePieces;
  int64_t opScratch = 0, scratchFloats = 0, cacheFloats = 0;
  llvm::StringSet<> copied;
  DenseSet<int64_t> savedStats, ropeTables, ropeCopies;
};

template <class A> void RegionPlanner::attention(A a) {
  auto s = cast<RankedTensorType>(a.getQuery().getType()).getShape();
  int64_t bs = s[0], t = s[1], h = s[2], hd = s[3], size = bs * t * h * hd;
  bool flash = a->hasAttr(kFlashAttr);
  bool rope = a.getRopeTheta() && a.getRopeTheta()->convertToDouble() > 0;
  if (rope) {
    // The function's angle table, filled by its first reader.
    auto table = a->template getAttrOfType<IntegerAttr>(kRopeTableAttr);
    if (table && ropeTables.insert(table.getInt()).second)
      cache("rope_table", nfrt::cuda::ropeTableFloats(t, hd));
    // Rotated q and k: kept in the cache for the backward (nf.rope_copies),
    // read from there by it, else made in scratch.
    auto copies = a->template getAttrOfType<IntegerAttr>(kRopeCopiesAttr);
    if (!copies || !ropeCopies.count(copies.getInt())) {
      int64_t floats = nfrt::cuda::ropeCopyFloats(size, flash);
      for (const char *piece : {"rope_q", "rope_k"})
        copies ? cache(piece, floats) : scratch(piece, floats);
      if (copies)
        ropeCopies.insert(copies.getInt());
    }
  }
  if constexpr (std::is_same_v<A, AttentionOp>) {
    rowStats(a, nfrt::cuda::flashAttentionStatsFloats(bs, t, h));
  } else {
    // Flash attention's backward runs the forward again into its scratch
    // unless it has the forward's output and statistics.
    bool reuse = flash && a.getOutput() && readsSavedStats(a);
    scratch("attention", nfrt::cuda::attentionBackwardScratchFloats(
                             bs, t, h, hd, flash && !reuse));
    // RoPE's inverse reads dq and dk in fp32.
    if (rope && (isBf16(a.getQueryGrad()) || isBf16(a.getKeyGrad()))) {
      scratch("dq", size);
      scratch("dk", size);
    }
  }
}

void RegionPlanner::plan(Operation *op) {
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](ReduceToOp r) {
        int64_t m = numel(r), n = numel(r.getInput()) / m;
        scratch("partials", nfrt::cuda::columnSumScratchFloats(n, m));
      })
      .Case([&](ScaleGradOp s) {
        scratch("partials", nfrt::cuda::columnSumScratchFloats(
                                rows(s.getInput()), lastDim(s.getInput())));
      })
      .Case([&](AddRMSNormOp n) { rowStats(n, rows(n.getSum())); })
      .Case<NormScaleOp, RMSNormOp>(
          [&](auto n) { rowStats(n, rows(n.getInput())); })
      .Case([&](LayerNormOp n) { rowStats(n, 2 * rows(n.getInput())); })
      .Case([&](NormScaleGradOp g) {
        scratch("partials", nfrt::cuda::normScaleBackwardScratchFloats(
                                rows(g.getInput()), lastDim(g.getInput())));
      })
      .Case<DyTOp, DerfOp>([&](auto n) { saturation(n.getInput()); })
      .Case([&](DyTGradOp n) {
        scratch("partials",
                nfrt::cuda::dytBackwardScratchFloats(numel(n.getInput())));
      })
      .Case([&](DerfGradOp n) {
        scratch("partials",
                nfrt::cuda::derfBackwardScratchFloats(numel(n.getInput())));
      })
      .Case([&](DerfEMAOp n) {
        scratch("rms", nfrt::cuda::derfEmaScratchFloats(rows(n.getInput())));
        scratch("inv_scale", 1);
        saturation(n.getInput());
      })
      .Case([&](DerfEMAGradOp n) {
        scratch("inv_scale", 1);
        scratch("partials",
                nfrt::cuda::derfBackwardScratchFloats(numel(n.getInput())));
      })
      .Case([&](LinearOp l) {
        auto w = cast<RankedTensorType>(l.getWeight().getType()).getShape();
        gemm("gemm", rows(l.getInput()), w[1], w[0], l.getWeight(),
             isPitched(l.getResult()));
      })
      .Case([&](LinearGradOp l) {
        auto w = cast<RankedTensorType>(l.getWeight().getType()).getShape();
        gemm("gemm", rows(l.getInput()), w[1], w[0], l.getWeight(),
             isPitched(l.getGrad()));
      })
      .Case([&](EmbeddingGradOp e) {
        auto t = cast<RankedTensorType>(e.getType()).getShape();
        int64_t bytes = nfrt::cuda::embeddingBackwardScratchBytes(
            numel(e.getTokens()), t[0]);
        scratch("sort", nfrt::cuda::ceilDiv(bytes, 4));
      })
      .Case<AttentionOp, AttentionGradOp>([&](auto a) { attention(a); })
      .Case([&](CrossEntropyOp c) {
        int64_t n = rows(c.getLogits());
        scratch("row_loss", nfrt::cuda::crossEntropyScratchFloats(n));
        rowStats(c, 2 * n);
      })
      .Case([&](FusedCrossEntropyOp c) {
        scratch("row_loss",
                nfrt::cuda::crossEntropyScratchFloats(rows(c.getLogits())));
      })
      .Case([&](GlobalNormOp g) {
        SmallVector<int64_t> sizes;
        for (Value t : g.getTensors())
          sizes.push_back(numel(t));
        scratch("partials", nfrt::cuda::globalNormScratchFloats(sizes.data(),
                                                                sizes.size()));
      })
      .Case([&](NewtonSchulzOp n) {
        auto s = cast<RankedTensorType>(n.getType()).getShape();
        scratch("workspace", nfrt::cuda::newtonSchulzScratchFloats(s[0], s[1]));
      })
      .Case([&](FusedNormLinearOp f) {
        // The rows normalized once, then per branch scaled (and biased)
        // into a second buffer that feeds the branch's GEMM.
        int64_t n = rows(f.getInput()), d = lastDim(f.getInput());
        scratch("normalized", n * d);
        scratch("scaled", n * d);
        for (auto [i, w] : llvm::enumerate(f.getWeights())) {
          auto ws = cast<RankedTensorType>(w.getType()).getShape();
          gemm(("gemm_" + Twine(i)).str(), n, ws[1], ws[0], w, false);
        }
      });
}

} // namespace

void normfuse::planCudaRegions(func::FuncOp fn, bool bf16, bool train) {
  RegionPlanner(fn, bf16, train).run();
}
