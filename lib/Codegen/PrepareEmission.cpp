//===- PrepareEmission.cpp - nf-prepare-emission --------------------------===//
//
// The storage decisions of both targets, made once, before printing, and
// recorded on the IR (normfuse/Codegen/EmissionPlan.h says what is
// recorded): which values go straight into a buffer outside the arena,
// which are stored in bf16 or with padded rows, which are written over an
// operand, the memory plan's offsets, and the statistics caches. The
// emitters read these attributes and decide nothing of their own.
//
//===----------------------------------------------------------------------===//
#include "CudaRegions.h"

#include "normfuse/Codegen/EmissionPlan.h"
#include "normfuse/Codegen/EmitCommon.h"
#include "normfuse/Codegen/MemoryPlan.h"
#include "normfuse/Transforms/Passes.h"

#include "nf/NFOps.h"
#include "nfrt/cuda/LaunchShapes.h"
#include "nfrt/cuda/LinearScratch.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <map>

namespace normfuse {
#define GEN_PASS_DEF_NFPREPAREEMISSION
#include "normfuse/Transforms/Passes.h.inc"
} // namespace normfuse

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;
using namespace normfuse::emit;

namespace {

//===----------------------------------------------------------------------===//
// The CUDA target's storage rules
//===----------------------------------------------------------------------===//

/// Whether `v` is a tensor of rank 3 or more indexed by the token batch
/// [B, T] (an activation or its gradient).
bool batchShaped(Value v, ArrayRef<int64_t> ids) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getElementType().isF32() && t.getRank() >= 3 &&
         ids.size() >= 2 && t.getDimSize(0) == ids[0] &&
         t.getDimSize(1) == ids[1];
}

/// bf16 mode, the train step: each cross-entropy gradient that
/// crossEntropyFused writes in bf16 over its logits (LossKernels.cuh: the
/// gradient pass reads each value and then overwrites it from the same
/// thread), mapped to the logits, given the bf16 values `half`. The memory
/// plan then gives the gradient the logits' storage (planMemory inPlace),
/// which needs the fused kernel to be the logits' last reader. Conditions:
///   - the cross-entropy is fused with its gradient (nf.fused_cross_entropy,
///     nf-fuse-loss: the train step's constant seed) and its logits are
///     stored in bf16;
///   - the logits are read by the cross-entropy and its gradient op alone:
///     no diagnostic, reshape or other op reads them after the kernel (the
///     row loss it writes comes from its own read of x_t);
///   - the gradient is read only as the dy of linear maps' backward (the
///     head; linearBackwardBf16 takes a bf16 dy), so it is neither returned,
///     added nor placed in G: the gradients bf16 mode keeps fp32.
/// The precision choice: the head's backward rounded this fp32 gradient
/// to bf16 for its GEMMs anyway, so writing it in bf16 rounds the same
/// fp32 values once, where they are computed (test/torch/bf16_policy.py
/// rounds it there too), and moves half the bytes of an fp32 dlogits
/// without its own [N, V] buffer (docs/cuda.md, The classifier).
DenseMap<Value, Value> logitsGradsInPlace(func::FuncOp fn,
                                          const DenseSet<Value> &half) {
  DenseMap<Value, Value> grads;
  fn.walk([&](FusedCrossEntropyOp ce) {
    Value logits = ce.getLogits();
    if (!half.count(logits))
      return;
    Value grad = ce.getLogitsGrad();
    bool readByLoss = llvm::all_of(logits.getUsers(), [&](Operation *u) {
      return u == ce.getOperation();
    });
    bool readAsDy =
        !grad.use_empty() && llvm::all_of(grad.getUsers(), [&](Operation *u) {
          auto l = dyn_cast<LinearGradOp>(u);
          return l && l.getGrad() == grad && l.getInput() != grad &&
                 l.getWeight() != grad;
        });
    if (readByLoss && readAsDy)
      grads[grad] = logits;
  });
  return grads;
}

/// bf16 mode, the train step: the values stored with a row pitch, the
/// logits and their gradient of each logitsGradsInPlace pair whose logits
/// are the result of a linear map (the head) with an OUT, the vocabulary V,
/// that is no multiple of 8 and whose gradient is bf16. The layout
/// decision: such a head's GEMM runs on the padded OUT P = linearPitch(V)
/// (LinearScratch.h: cuBLAS's aligned kernels), so its [N, V] logits are
/// stored as [N, P] rows, as the GEMM writes them (linearForwardBf16<...,
/// PITCHED = true>: no padded output in scratch and no compactRows);
/// crossEntropyFused<..., PITCH = P> reads rows of pitch P and writes the
/// bf16 dlogits, in place, with zero pad columns, which the head's backward
/// (linearBackwardBf16<..., PITCHED = true>) reads as its padded dy as they
/// are (no toBf16Padded copy): dx sums over P (W's zero pad rows meet dy's
/// zero pad columns), dW over the V real rows. Nothing else sees these
/// values (logitsGradsInPlace: the logits are read by the loss alone, the
/// gradient only as the head's dy); the memory plan sizes them N * P
/// (planMemory storedElements). At GPT-2's V 50257 (P 50304) this saves
/// two passes over the largest tensor (docs/cuda.md, The classifier). The
/// @forward function, fp32 mode and the unfused paths keep [N, V] rows.
DenseSet<Value> pitchedLogits(func::FuncOp fn, const DenseSet<Value> &half) {
  DenseSet<Value> pitched;
  for (auto [grad, logits] : logitsGradsInPlace(fn, half)) {
    int64_t v = lastDim(logits);
    if (nfrt::cuda::linearPitch(v) == v || !half.count(grad) ||
        !logits.getDefiningOp<LinearOp>())
      continue;
    pitched.insert(logits);
    pitched.insert(grad);
  }
  return pitched;
}

/// `v` and the head reshapes of it, when what they reach is only ever the
/// dy operand of nf.linear_grad ops (the adjoint of split_heads is a
/// merge_heads, and both are pointers only).
std::optional<SmallVector<Value>> onlyGemmGradInput(Value v) {
  SmallVector<Value> chain = {v};
  for (size_t i = 0; i < chain.size(); ++i)
    for (OpOperand &use : chain[i].getUses()) {
      Operation *user = use.getOwner();
      if (isa<SplitHeadsOp, MergeHeadsOp>(user)) {
        chain.push_back(user->getResult(0));
        continue;
      }
      auto lg = dyn_cast<LinearGradOp>(user);
      if (!lg || lg.getGrad() != chain[i] || lg.getInput() == chain[i] ||
          lg.getWeight() == chain[i])
        return std::nullopt;
    }
  return chain;
}

/// bf16 mode: the values of `fn` (@forward or @train_step) stored in
/// bf16: the activations the forward computes off the residual stream and
/// the backward reads again, i.e. the [B, T, ...] results of linear maps,
/// normalizations and their scales, nonlinearities, gated products and
/// attention (and reshapes of them). fp32 stay (docs/design.md#the-cuda-path:
/// say where rounding happens, accumulate in fp32):
///   - the residual stream: embedding and nf.add results, whatever is
///     added (a branch's output, a post-norm's output that is the next
///     skip), and these scaled or biased by parameters: the norms take
///     their variance of it, and rounding it first is what users report
///     losing accuracy to. nf.add keeps nothing for its backward, so these
///     cost transient arena only;
///   - every gradient: activation gradients are sums over branches (and
///     short-lived: the saved forward activations are what fills memory),
///     except the train step's cross-entropy gradient when it is written
///     over its bf16 logits (logitsGradsInPlace) and a gradient read only
///     as GEMMs' dy (onlyGemmGradInput), which those round to bf16 anyway;
///   - parameters, values placed outside the arena, returned values.
/// test/torch/bf16_policy.py is the same rule in PyTorch, the reference the
/// bf16 step is checked against (test/lit/Cuda/simt-bf16.test).
DenseSet<Value> bf16Activations(func::FuncOp fn,
                                const DenseSet<Value> &external) {
  auto ids = cast<RankedTensorType>(fn.getArgument(0).getType()).getShape();
  DenseSet<Value> half, fp32;
  fn.walk([&](func::ReturnOp r) {
    for (Value v : r.getOperands())
      fp32.insert(v);
  });
  // Whatever is added is fp32, down to the value a reshape chain starts at.
  for (Operation &op : fn.getBody().front())
    if (isa<AddOp, AddRMSNormOp>(op))
      for (Value v : op.getOperands()) {
        fp32.insert(v);
        while (Operation *def = v.getDefiningOp()) {
          if (!isa<SplitHeadsOp, MergeHeadsOp>(def))
            break;
          v = def->getOperand(0);
          fp32.insert(v);
        }
      }
  for (Operation &op : fn.getBody().front()) {
    if (isa<EmbeddingOp, AddOp>(op)) {
      fp32.insert(op.getResult(0));
      continue;
    }
    // nf.add_rmsnorm's sum is the residual; its normalized rows are not.
    if (isa<AddRMSNormOp>(op))
      fp32.insert(op.getResult(0));
    // The residual scaled or biased by a parameter is still the residual.
    if (isa<ScaleOp, MulOp, BiasAddOp>(op) && fp32.count(op.getOperand(0)) &&
        !batchShaped(op.getOperand(1), ids)) {
      fp32.insert(op.getResult(0));
      continue;
    }
    bool reshape = isa<SplitHeadsOp, MergeHeadsOp>(op);
    if (!reshape &&
        !isa<LinearOp, FusedNormLinearOp, RMSNormOp, AddRMSNormOp, NormScaleOp,
             LayerNormOp, DyTOp, DerfOp, DerfEMAOp, ScaleOp, BiasAddOp, GeluOp,
             SiluOp, MulOp, AttentionOp>(op))
      continue;
    for (Value r : op.getResults()) {
      if (fp32.count(r) || external.count(r))
        continue;
      if (reshape ? half.count(op.getOperand(0)) : batchShaped(r, ids))
        half.insert(r);
    }
  }
  for (auto [grad, logits] : logitsGradsInPlace(fn, half))
    if (!fp32.count(grad) && !external.count(grad))
      half.insert(grad);
  // A gradient read only as GEMMs' dy is stored in bf16 as its kernel
  // writes it: the launcher would round it to bf16 for the GEMM anyway, so
  // this is the same single rounding, bit for bit, with half the bytes and
  // no copy (GELU's and SiLU's input gradients before the MLP's input
  // projections, attention's dq, dk and dv before q, k and v's).
  for (Operation &op : fn.getBody().front()) {
    if (!isa<GeluGradOp, SiluGradOp, AttentionGradOp, MulOp>(op))
      continue;
    for (Value r : op.getResults())
      if (!half.count(r) && !fp32.count(r) && !external.count(r) &&
          batchShaped(r, ids))
        if (auto chain = onlyGemmGradInput(r))
          half.insert(chain->begin(), chain->end());
  }
  return half;
}

/// The tied embedding's gradient, nf.add of the head's weight gradient and
/// nf.embedding_grad (either order), when the embedding backward can add
/// its rows into the head gradient in place: the sum is computed in its
/// slot of G, and the head gradient (written before the embedding
/// backward) and the embedding gradient are read by the add alone. Both
/// are then placed in that slot too, the embedding backward accumulates
/// (dtable += sorted row sums, EmbeddingKernels.cuh), and the add emits
/// nothing: no [V, D] buffer for either gradient and no pass over three.
/// fp32 addition commutes, so the sum has the bits nf.add gives.
struct TiedEmbeddingGrad {
  EmbeddingGradOp grad;
  Value head;
};
std::optional<TiedEmbeddingGrad>
tiedEmbeddingGrad(AddOp add, const DenseMap<Value, int64_t> &inG) {
  if (!inG.count(add.getResult()))
    return std::nullopt;
  for (unsigned i : {0u, 1u}) {
    Value e = add->getOperand(i), head = add->getOperand(1 - i);
    auto grad = e.getDefiningOp<EmbeddingGradOp>();
    Operation *def = head.getDefiningOp();
    if (grad && def && e != head && e.hasOneUse() && head.hasOneUse() &&
        head.getType() == e.getType() &&
        !isa<GetParamOp, SplitHeadsOp, MergeHeadsOp>(def) &&
        def->isBeforeInBlock(grad))
      return TiedEmbeddingGrad{grad, head};
  }
  return std::nullopt;
}

/// bf16 mode runs attention (forward and backward) as flash attention on
/// the tensor cores where its tiles take the head dim (LaunchShapes.h);
/// fp32 mode, and other head dims, the exact fp32 kernels.
void cudaAttentionKernels(func::FuncOp fn, bool bf16) {
  if (!bf16)
    return;
  fn.walk([&](Operation *op) {
    if (!isa<AttentionOp, AttentionGradOp>(op))
      return;
    auto q = cast<RankedTensorType>(op->getOperand(0).getType());
    if (q.getRank() == 4 && nfrt::cuda::flashAttentionHeadDim(q.getDimSize(3)))
      op->setAttr(kFlashAttr, UnitAttr::get(op->getContext()));
  });
}

/// The rows a norm or its backward reads.
Value normInput(Operation *op) {
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case<RMSNormOp, NormScaleOp, LayerNormOp, NormScaleGradOp, RMSNormGradOp,
            AddRMSNormGradOp, LayerNormGradOp>(
          [](auto o) { return o.getInput(); })
      .Default([](Operation *) { return Value(); });
}

/// The train step's row statistics: every norm forward (RMSNorm, its
/// fused forms, LayerNorm), the cross-entropy and flash attention keep
/// their rows' statistics (rstd; mean and rstd; max and log-sum; m and
/// 1/l) in the function's cache, keyed by the rows they read; a backward
/// of the same rows reads them instead of reducing again. `next` numbers
/// the module's caches.
void cudaRowStatistics(func::FuncOp fn, int64_t &next) {
  Builder b(fn.getContext());
  DenseMap<Value, int64_t> saved;
  auto save = [&](Operation *op, Value rows) {
    op->setAttr(kRowStatsAttr, b.getI64IntegerAttr(next));
    saved[rows] = next++;
  };
  auto read = [&](Operation *op, Value rows) {
    if (auto it = saved.find(rows); it != saved.end())
      op->setAttr(kRowStatsAttr, b.getI64IntegerAttr(it->second));
  };
  for (Operation &op : fn.getBody().front()) {
    if (auto n = dyn_cast<AddRMSNormOp>(op))
      save(n, n.getSum());
    else if (isa<RMSNormOp, NormScaleOp, LayerNormOp>(op))
      save(&op, normInput(&op));
    else if (auto c = dyn_cast<CrossEntropyOp>(op))
      save(c, c.getLogits());
    else if (auto a = dyn_cast<AttentionOp>(op); a && a->hasAttr(kFlashAttr))
      save(a, a.getQuery());
    else if (isa<NormScaleGradOp, RMSNormGradOp, AddRMSNormGradOp,
                 LayerNormGradOp>(op))
      read(&op, normInput(&op));
    else if (auto c = dyn_cast<CrossEntropyGradOp>(op))
      read(c, c.getLogits());
    else if (auto a = dyn_cast<AttentionGradOp>(op);
             a && a->hasAttr(kFlashAttr))
      read(a, a.getQuery());
  }
}

/// RoPE's caches: a function fills one angle table per (T, HD, theta), at
/// its first use (nf.rope_table = k on every attention that reads table
/// k); the train step's forward keeps its rotated q and k in the cache,
/// and a backward of the same q, k and theta reads them (nf.rope_copies
/// = j on both). Elsewhere the rotated copies live in scratch.
void cudaRopeCaches(func::FuncOp fn, bool train) {
  Builder b(fn.getContext());
  std::map<std::tuple<int64_t, int64_t, double>, int64_t> tables;
  struct Kept {
    Value key;
    double theta;
    int64_t id;
  };
  DenseMap<Value, Kept> kept;
  int64_t copies = 0;
  for (Operation &op : fn.getBody().front()) {
    Value q, k;
    std::optional<APFloat> rope;
    if (auto a = dyn_cast<AttentionOp>(op))
      q = a.getQuery(), k = a.getKey(), rope = a.getRopeTheta();
    else if (auto g = dyn_cast<AttentionGradOp>(op))
      q = g.getQuery(), k = g.getKey(), rope = g.getRopeTheta();
    double theta = rope ? rope->convertToDouble() : 0.0;
    if (!q || !(theta > 0))
      continue;
    auto shape = cast<RankedTensorType>(q.getType()).getShape();
    auto table =
        tables.try_emplace({shape[1], shape[3], theta}, int64_t(tables.size()));
    op.setAttr(kRopeTableAttr, b.getI64IntegerAttr(table.first->second));
    auto it = kept.find(q);
    if (it != kept.end() && it->second.key == k && it->second.theta == theta) {
      op.setAttr(kRopeCopiesAttr, b.getI64IntegerAttr(it->second.id));
    } else if (train && isa<AttentionOp>(op)) {
      kept[q] = {k, theta, copies};
      op.setAttr(kRopeCopiesAttr, b.getI64IntegerAttr(copies++));
    }
  }
}

/// bf16 mode: every parameter a GEMM of `fn` reads as its weight, in the
/// order the GEMMs read them, rounded to bf16 once at the function's start
/// (LinearKernels.cuh weightsToBf16) for all of its GEMMs to read.
void cudaWeightCopies(func::FuncOp fn) {
  SmallVector<Attribute> params;
  llvm::StringSet<> seen;
  fn.walk([&](Operation *op) {
    SmallVector<Value> weights;
    if (auto l = dyn_cast<LinearOp>(op))
      weights.push_back(l.getWeight());
    else if (auto g = dyn_cast<LinearGradOp>(op))
      weights.push_back(g.getWeight());
    else if (auto f = dyn_cast<FusedNormLinearOp>(op))
      llvm::append_range(weights, f.getWeights());
    for (Value w : weights)
      if (auto get = w.getDefiningOp<GetParamOp>())
        if (seen.insert(get.getName()).second)
          params.push_back(get.getNameAttr());
  });
  if (!params.empty())
    fn->setAttr(kWeightCopiesAttr, ArrayAttr::get(fn.getContext(), params));
}

//===----------------------------------------------------------------------===//
// The CPU target's storage rules
//===----------------------------------------------------------------------===//

/// The optimizer step's values the CPU target computes over a buffer
/// outside the arena (with `in-place`):
/// - a parameter or state update is computed in place when an
///   element-wise op (AdamW, momentum, Muon's apply, add, mul) produces it
///   and nothing reads the old value after that op;
/// - the clipped gradient overwrites its G argument the same way.
/// Element-wise ops read element i of every full-shape operand before
/// writing element i of their results, so in place is safe for them.
DenseMap<Value, Placement> cpuOptimizerUpdatesInPlace(func::FuncOp fn) {
  DenseMap<Value, Placement> out;
  Block &block = fn.getBody().front();
  DenseMap<Operation *, int64_t> index;
  int64_t n = 0;
  for (Operation &op : block)
    index[&op] = n++;
  // A buffer outside the arena: a parameter symbol or a G argument. The
  // last op that reads it.
  auto bufferOf = [&](Value v) -> std::string {
    if (auto get = v.getDefiningOp<GetParamOp>())
      return ("P:" + get.getName()).str();
    if (auto arg = dyn_cast<BlockArgument>(v))
      return "G:" + std::to_string(arg.getArgNumber());
    return "";
  };
  llvm::StringMap<int64_t> lastRead;
  for (Operation &op : block)
    for (Value operand : op.getOperands())
      if (std::string buf = bufferOf(operand); !buf.empty())
        lastRead[buf] = std::max(lastRead.lookup(buf), index[&op]);
  auto elementwise = [](Operation *op) {
    return isa<AdamWOp, MomentumOp, MuonApplyOp, AddOp, MulOp>(op);
  };
  llvm::StringSet<> taken;
  auto claim = [&](Value v, StringRef buf, Placement where) {
    Operation *def = v.getDefiningOp();
    if (!def || !elementwise(def) || taken.contains(buf) ||
        lastRead.lookup(buf) > index[def])
      return;
    taken.insert(buf);
    out[v] = where;
  };
  for (Operation &op : block) {
    // Updates: the new value takes the parameter's own storage.
    if (isa<UpdateParamOp, AssignStateOp>(op)) {
      Value v = op.getOperand(0);
      StringRef sym = isa<UpdateParamOp>(op)
                          ? cast<UpdateParamOp>(op).getName()
                          : cast<AssignStateOp>(op).getName();
      Placement p;
      p.kind = Placement::Kind::Param;
      p.param = sym;
      if (v.hasOneUse())
        claim(v, ("P:" + sym).str(), p);
      continue;
    }
    // Gradient rescaling (clipping): the result takes its full-shape G
    // operand's storage.
    if (isa<MulOp>(op) &&
        op.getOperand(0).getType() == op.getResult(0).getType())
      if (auto arg = dyn_cast<BlockArgument>(op.getOperand(0))) {
        Placement p;
        p.kind = Placement::Kind::Operand;
        p.offset = 0;
        claim(op.getResult(0), bufferOf(arg), p);
      }
  }
  return out;
}

/// Gives each nf.norm_scale_grad of `fn` the statistics its forward (the
/// nf.norm_scale of the same rows, kind and eps before it) caches: the
/// backward then rebuilds xhat without a reduction. A backward with no
/// such forward recomputes the statistics itself. `next` numbers the
/// module's caches.
void cpuNormStatistics(func::FuncOp fn, int64_t &next) {
  Builder b(fn.getContext());
  DenseMap<Value, NormScaleOp> forwards;
  for (Operation &op : fn.getBody().front()) {
    if (auto f = dyn_cast<NormScaleOp>(op)) {
      forwards[f.getInput()] = f;
      continue;
    }
    auto g = dyn_cast<NormScaleGradOp>(op);
    NormScaleOp f = g ? forwards.lookup(g.getInput()) : NormScaleOp();
    if (!f || f.getKind() != g.getKind() || f.getEps() != g.getEps())
      continue;
    if (!f->hasAttr(kRowStatsAttr))
      f->setAttr(kRowStatsAttr, b.getI64IntegerAttr(next++));
    g->setAttr(kRowStatsAttr, f->getAttr(kRowStatsAttr));
  }
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct PrepareEmission
    : normfuse::impl::NFPrepareEmissionBase<PrepareEmission> {
  using NFPrepareEmissionBase::NFPrepareEmissionBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool cuda = target == EmissionTarget::Cuda;
    if (bf16 && !cuda) {
      module.emitError("nf-prepare-emission: bf16 needs target=cuda (the CPU "
                       "target is fp32)");
      return signalPassFailure();
    }
    FailureOr<StepModule> m = readStepModule(module, cuda ? "CUDA" : "CPU");
    if (failed(m))
      return signalPassFailure();
    ParamTable table = layoutParams(module);
    // A plan made before (for another target) goes first.
    module.walk([](Operation *op) {
      for (StringRef attr :
           {kBuffersAttr.data(), kRowStatsAttr.data(), kAccumulateAttr.data(),
            kFlashAttr.data(), kRopeTableAttr.data(), kRopeCopiesAttr.data(),
            kWeightCopiesAttr.data(), kCacheAttr.data(), kScratchAttr.data(),
            kCacheFloatsAttr.data(), kScratchFloatsAttr.data()})
        op->removeAttr(attr);
    });
    int64_t statsCaches = 0;
    for (StepFunction &fn : m->fns) {
      if (cuda)
        planCuda(fn.op, *m, table, statsCaches);
      else
        planCpu(fn.op, *m, table, statsCaches);
    }
    Builder b(module.getContext());
    module->setAttr(
        kEmissionAttr,
        b.getDictionaryAttr(
            {b.getNamedAttr("precision",
                            b.getStringAttr(bf16 ? "bf16" : "fp32")),
             b.getNamedAttr("target",
                            b.getStringAttr(cuda ? "cuda" : "cpu"))}));
  }

private:
  void planCpu(func::FuncOp fn, const StepModule &m, const ParamTable &table,
               int64_t &statsCaches) {
    // Gradients go straight into G, updates into P (with in-place).
    DenseMap<Value, Placement> placed;
    if (inPlace && fn == m.trainStep())
      for (auto [v, at] : gradientsInPlace(fn, table))
        placed[v] = gradient(at);
    if (inPlace && fn == m.optimizerStep())
      placed = cpuOptimizerUpdatesInPlace(fn);
    DenseSet<Value> external;
    for (auto &entry : placed)
      external.insert(entry.first);
    MemoryPlan plan = planMemory(fn, external);
    record(fn, plan, placed, DenseSet<Value>(), DenseMap<Value, int64_t>());
    cpuNormStatistics(fn, statsCaches);
  }

  void planCuda(func::FuncOp fn, const StepModule &m, const ParamTable &table,
                int64_t &statsCaches) {
    bool train = fn == m.trainStep();
    // The train step's gradients are computed straight into G: no copies
    // at the end, and each is final where its last op runs (the bucketed
    // all-reduce starts there).
    DenseMap<Value, Placement> placed;
    DenseMap<Value, int64_t> inG;
    DenseSet<Value> external;
    if (train)
      for (auto [v, at] : gradientsInPlace(fn, table)) {
        inG[v] = at;
        external.insert(v);
      }
    if (train)
      fn.walk([&](AddOp add) {
        auto tied = tiedEmbeddingGrad(add, inG);
        if (!tied)
          return;
        int64_t at = inG.lookup(add.getResult());
        for (Value v : {tied->head, Value(tied->grad.getResult())}) {
          inG[v] = at;
          external.insert(v);
        }
        tied->grad->setAttr(kAccumulateAttr, UnitAttr::get(fn.getContext()));
      });
    for (auto [v, at] : inG)
      placed[v] = gradient(at);
    DenseSet<Value> half, pitched;
    if (bf16 && fn != m.optimizerStep())
      half = bf16Activations(fn, external);
    DenseMap<Value, int64_t> stored, pitches;
    if (bf16 && train)
      pitched = pitchedLogits(fn, half);
    for (Value v : pitched) {
      pitches[v] = nfrt::cuda::linearPitch(lastDim(v));
      stored[v] = rows(v) * pitches[v];
    }
    // In place where the memory plan allows: the bf16 dlogits over the
    // logits; a GEMM's accumulated dx over its addend (cuBLAS beta = 1).
    DenseMap<Value, Value> inPlaceOver = logitsGradsInPlace(fn, half);
    fn.walk([&](LinearGradOp l) {
      if (l.getAddend())
        inPlaceOver[l.getInputGrad()] = l.getAddend();
    });
    MemoryPlan plan = planMemory(fn, external, half, inPlaceOver, stored);
    record(fn, plan, placed, half, pitches);
    cudaAttentionKernels(fn, bf16);
    if (train)
      cudaRowStatistics(fn, statsCaches);
    cudaRopeCaches(fn, train);
    if (bf16)
      cudaWeightCopies(fn);
    planCudaRegions(fn, bf16, train);
  }

  static Placement gradient(int64_t at) {
    Placement p;
    p.kind = Placement::Kind::Gradient;
    p.offset = at;
    return p;
  }

  /// Writes `nf.buffers` on every op of `fn` with results, and the arena
  /// sizes on `fn`.
  void record(func::FuncOp fn, const MemoryPlan &plan,
              const DenseMap<Value, Placement> &placed,
              const DenseSet<Value> &half,
              const DenseMap<Value, int64_t> &pitches) {
    MLIRContext *ctx = fn.getContext();
    Builder b(ctx);
    for (Operation &op : fn.getBody().front()) {
      if (op.getNumResults() == 0)
        continue;
      SmallVector<Attribute> entries;
      for (Value r : op.getResults()) {
        Placement p;
        if (auto get = dyn_cast<GetParamOp>(op)) {
          p.kind = Placement::Kind::Param;
          p.param = get.getName();
        } else if (auto it = placed.find(r); it != placed.end()) {
          p = it->second;
        } else if (plan.aliases.count(r)) {
          // The operand whose storage this result shares.
          Value root = plan.root(r);
          auto shares = llvm::find_if(
              op.getOperands(), [&](Value v) { return plan.root(v) == root; });
          if (shares == op.getOperands().end()) {
            op.emitOpError("nf-prepare-emission: a result shares storage with "
                           "no operand (internal error)");
            return signalPassFailure();
          }
          p.kind = Placement::Kind::Operand;
          p.offset = shares - op.getOperands().begin();
        } else {
          p.kind = Placement::Kind::Arena;
          p.offset = plan.offsets.lookup(r);
        }
        p.bf16 = half.count(r);
        p.pitch = pitches.lookup(r);
        entries.push_back(placementAttr(ctx, p));
      }
      op.setAttr(kBuffersAttr, b.getArrayAttr(entries));
    }
    fn->setAttr(kArenaBytesAttr, b.getI64IntegerAttr(plan.arenaBytes));
    fn->setAttr(kArenaWithoutReuseAttr, b.getI64IntegerAttr(plan.naiveBytes));
  }
};

} // namespace
