//===- CudaEmitter.cpp - nf IR -> CUDA C++ for NVIDIA GPUs ----------------===//
//
// One .cu translation unit per model: the same parameter table and step
// functions as the CPU target (nfrt/Model.h, deviceBuffers = true), each op
// printed as NF_LAUNCH of a shape-specialized kernel template from
// runtime/include/nfrt/cuda (or a cuBLAS GEMM), with the launch
// configuration chosen here from the shapes. The device memory plan is
// static: every function's arena is
//   [MemoryPlan values | per-row caches | per-op scratch | diagnostics]
// where caches hold statistics a forward op saves for its backward (rmsnorm
// rstd, layernorm mean/rstd, cross-entropy max/lse) and scratch is reused
// by every op (partial sums, RoPE copies, normalized rows).
//
// bf16 mode stores the activations the backward reads again in bf16
// (bf16Activations says which); the residual stream, every gradient,
// parameters, optimizer state, per-row statistics and reductions stay
// fp32. Kernels read into fp32, compute in fp32 and round once as they
// write (Storage.cuh); each launch names the storage type of its
// activation operands as template arguments after the shapes.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Codegen/CudaEmitter.h"
#include "normfuse/Codegen/AllReduceBuckets.h"
#include "normfuse/Codegen/EmitCommon.h"
#include "normfuse/Codegen/MemoryPlan.h"

#include "nf/NFOps.h"
#include "nfrt/cuda/EmbeddingScratch.h"
#include "nfrt/cuda/LinearScratch.h"
#include "nfrt/cuda/OptimizerScratch.h"
#include "nfrt/cuda/RopeTable.h"
#include "nfrt/cuda/RowLimits.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::nf;
using namespace normfuse;
using namespace normfuse::emit;

namespace {

/// The template arguments `leading` (shapes), then the storage types of the
/// activation operands when any is bf16; all fp32 leaves the types to the
/// kernels' float defaults, so fp32 mode prints what it always did.
std::string templateArgs(SmallVector<std::string> leading,
                         ArrayRef<std::string> types) {
  if (llvm::is_contained(types, "bf16"))
    leading.append(types.begin(), types.end());
  return llvm::join(leading, ", ");
}

constexpr int64_t kAlignFloats = 16; // 64 bytes

int64_t alignFloats(int64_t n) {
  return (n + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
}
/// Platform.cuh's strideBlocks: grid-stride grids of at most 1024 blocks.
int64_t strideBlocks(int64_t n, int64_t threads = 256) {
  return std::clamp<int64_t>((n + threads - 1) / threads, 1, 1024);
}
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
std::string str(int64_t v) { return std::to_string(v); }
/// Whether `text` names the identifier `id` (not as part of a longer one).
bool mentions(StringRef text, StringRef id) {
  auto isIdent = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  for (size_t at = text.find(id); at != StringRef::npos;
       at = text.find(id, at + 1)) {
    size_t end = at + id.size();
    if ((at == 0 || !isIdent(text[at - 1])) &&
        (end == text.size() || !isIdent(text[end])))
      return true;
  }
  return false;
}

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

class CudaEmitter {
public:
  CudaEmitter(ModuleOp module, raw_ostream &os, CudaEmitOptions options)
      : module(module), os(os), options(options) {}
  LogicalResult run(EmitReport *report);

private:
  LogicalResult emitOp(Operation *op);
  std::string name(Value v) { return names.lookup(v); }
  std::string paramPtr(StringRef sym) { return paramPointer(table, sym); }

  /// `NF_LAUNCH((kernel<dims>), dim3(grid), dim3(block), smem, stream,
  /// args);`
  /// `types` are the storage types of the kernel's activation operands
  /// (its template parameters after the shapes); all fp32 leaves them to
  /// their defaults.
  void launch(StringRef kernel, ArrayRef<int64_t> dims, std::string grid,
              std::string block, int64_t smem, ArrayRef<std::string> args,
              ArrayRef<std::string> types = {}) {
    std::string k = kernel.str();
    SmallVector<std::string> shapes;
    for (int64_t d : dims)
      shapes.push_back(str(d));
    std::string targs = templateArgs(shapes, types);
    if (!targs.empty())
      k += "<" + targs + ">";
    body += "    NF_LAUNCH((" + k + "), " + grid + ", " + block + ", " +
            str(smem) + ", stream";
    for (const std::string &a : args)
      body += ", " + a;
    body += ");\n";
  }
  static std::string dim(int64_t x) { return "dim3(" + str(x) + ")"; }
  static std::string dim(int64_t x, int64_t y) {
    return "dim3(" + str(x) + ", " + str(y) + ")";
  }
  /// A grid-stride elementwise launch over `n` items.
  void pointwise(StringRef kernel, ArrayRef<int64_t> dims, int64_t n,
                 ArrayRef<std::string> args, ArrayRef<std::string> types = {}) {
    launch(kernel, dims, dim(strideBlocks(n)), dim(256), 0, args, types);
  }
  /// A warp-per-row launch (8 rows per 256-thread block).
  void perRow(StringRef kernel, ArrayRef<int64_t> dims, int64_t n,
              ArrayRef<std::string> args, ArrayRef<std::string> types = {}) {
    launch(kernel, dims, dim(ceilDiv(n, 8)), dim(256), 0, args, types);
  }
  /// The storage type of `v`: "bf16" for a bf16-mode activation, else
  /// "float".
  std::string ty(Value v) const {
    return halfWidth.count(v) ? "bf16" : "float";
  }
  template <class... V> SmallVector<std::string> tys(V... vals) const {
    return {ty(vals)...};
  }
  /// `count` floats of this op's scratch (freed when the op ends).
  std::string scratch(int64_t count) {
    std::string s = "scratch + " + str(opScratch);
    opScratch += alignFloats(count);
    scratchMax = std::max(scratchMax, opScratch);
    return s;
  }
  /// `count` floats of cache that live for the whole function.
  std::string cache(int64_t count) {
    std::string s = "cache + " + str(cacheFloats);
    cacheFloats += alignFloats(count);
    return s;
  }
  /// Column sums of an [n, m] tensor (of a * b when b is given) into out;
  /// `types` are the storage types of a and b.
  void columnSum(int64_t n, int64_t m, std::string a, std::string b,
                 std::string out, ArrayRef<std::string> types = {}) {
    int64_t rpb = std::max<int64_t>(64, ceilDiv(n, 128));
    int64_t p = ceilDiv(n, rpb);
    std::string partials = scratch(p * m);
    launch("columnPartials", {n, m, rpb}, dim(ceilDiv(m, 32), p), dim(32, 8), 0,
           {a, b, partials}, types);
    launch("columnFinalize", {m, p}, dim(strideBlocks(m)), dim(256), 0,
           {partials, out});
  }
  /// bf16 mode: W's operand for a GEMM, the step's bf16 copy when it has
  /// one (`ready`), else the fp32 buffer the launcher rounds into scratch.
  std::string weightOperand(Value w, bool &ready) {
    auto get = w.getDefiningOp<GetParamOp>();
    auto it = get ? weightCopies.find(get.getName()) : weightCopies.end();
    ready = it != weightCopies.end();
    return ready ? it->second : name(w);
  }
  void stepWeightCopies(func::FuncOp fn);
  /// y[n, out] = x[n, in] W^T, through bf16 inputs in bf16 mode (x and y
  /// of storage types xType and yType; `pitched`: y's rows have the GEMM's
  /// padded pitch, pitchedLogits).
  void linear(int64_t n, int64_t in, int64_t out, std::string x, Value w,
              std::string y, std::string xType, std::string yType,
              bool pitched = false) {
    std::string dims =
        templateArgs({str(n), str(in), str(out)}, {xType, yType});
    if (pitched)
      dims += ", true";
    if (!options.bf16) {
      body += "    linearForward<" + dims + ">(blas, " + x + ", " + name(w) +
              ", " + y + ");\n";
      return;
    }
    bool ready;
    std::string wb = weightOperand(w, ready);
    body += "    linearForwardBf16<" + dims + ">(blas, stream, " + x + ", " +
            wb + ", " + y + ", " +
            scratch(nfrt::cuda::linearBf16ScratchFloats(n, in, out, ready,
                                                        pitched)) +
            ");\n";
  }
  /// out = scale * sum of `p` partials.
  void sumPartials(int64_t p, std::string partials, std::string out,
                   std::string scale = "1.f") {
    launch("sumPartials", {p}, dim(1), dim(32), 0, {partials, out, scale});
  }
  void saturation(Operation *op, Value x, std::string alpha, std::string shift,
                  std::string invScale);
  /// Copies fp32 `from` to `to` (values copied out of a function are
  /// never bf16: see bf16Activations).
  std::string copy(Value from, std::string to) {
    assert(!halfWidth.count(from) && "a bf16 value copied to an fp32 buffer");
    return "    NF_CUDA_CHECK(cudaMemcpyAsync(" + to + ", " + name(from) +
           ", " + str(numel(from) * 4) +
           ", cudaMemcpyDeviceToDevice, stream));\n";
  }

  ModuleOp module;
  raw_ostream &os;
  CudaEmitOptions options;
  ParamTable table;
  DenseMap<Value, std::string> names;
  /// bf16 mode: the values of the current function stored in bf16.
  DenseSet<Value> halfWidth;
  /// bf16 mode, the train step: the logits and dlogits stored with the
  /// head GEMM's padded row pitch (pitchedLogits).
  DenseSet<Value> pitched;
  /// Train step values computed in their gradient slot (float offset in G).
  DenseMap<Value, int64_t> inG;
  /// Data parallel: the train step's all-reduce buckets, and how many
  /// events the ones emitted so far used.
  BucketPlan buckets;
  int64_t eventsUsed = 0;
  /// Queues `bucket`'s all-reduce on the comm stream once `stream` got
  /// here (an event forks the comm stream from the compute stream).
  void allReduceBucket(const GradientBucket &bucket) {
    std::string e = "events.e[" + str(eventsUsed++) + "]";
    body += "    // all-reduce bucket " + str(eventsUsed) + "/" +
            str(buckets.count()) + ": " + str(bucket.floats) + " floats, " +
            str(bucket.params) + " gradient(s) (" + bucket.first + " .. " +
            bucket.last + ")\n";
    body += "    NF_CUDA_CHECK(cudaEventRecord(" + e + ", stream));\n";
    body += "    NF_CUDA_CHECK(cudaStreamWaitEvent(comm, " + e + ", 0));\n";
    body += "    NF_NCCL_CHECK(ncclAllReduce(G + " + str(bucket.begin) +
            ", G + " + str(bucket.begin) + ", " + str(bucket.floats) +
            ", ncclFloat, ncclAvg, context().comm, comm));\n";
  }
  std::string body;
  bool inTrainStep = false;
  int64_t opScratch = 0, scratchMax = 0, cacheFloats = 0;
  /// Statistics a forward op cached, by the value its backward reads.
  DenseMap<Value, std::string> rowCache;
  /// RoPE: the function's angle tables (cache), by (T, HD, theta), and the
  /// train step forward's rotated q and k (cache), by the query value.
  std::map<std::tuple<int64_t, int64_t, double>, std::string> ropeTables;
  struct RopeCopies {
    Value key;
    double theta;
    std::string q, k, type;
  };
  DenseMap<Value, RopeCopies> ropeCopies;
  /// bf16 mode: the bf16 copy of each weight the function's GEMMs read, by
  /// parameter (stepWeightCopies).
  llvm::StringMap<std::string> weightCopies;
  /// The tied embedding's nf.add and embedding_grad (tiedEmbeddingGrad).
  DenseSet<Operation *> tiedGrads;
  /// linear_grad ops with an addend whose dx the memory plan placed over
  /// the addend: the GEMM adds into it with no copy first.
  DenseSet<Operation *> accumulateInPlace;
  SmallVector<std::string> diagnosticNames;
};

void CudaEmitter::saturation(Operation *op, Value x, std::string alpha,
                             std::string shift, std::string invScale) {
  if (!inTrainStep)
    return;
  std::string layer = layerName(op, "norm");
  int64_t s = numel(x), p = strideBlocks(s);
  for (const char *threshold : {"2.f", "1.5f"}) {
    std::string slot = "diag + " + str(diagnosticNames.size());
    diagnosticNames.push_back(
        (threshold[0] == '2' ? "sat_frac." : "sat_frac_1.5.") + layer);
    std::string partials = scratch(p);
    launch("saturationCount", {s}, dim(p), dim(256), 0,
           {name(x), alpha, shift, invScale, threshold, partials}, tys(x));
    sumPartials(p, partials, slot, f32(1.0 / double(s)));
  }
  // Scale blindness, as the CPU binary's (scaleBlindness): each row's log
  // RMS of x and of y (two doubles a row), then their regression slope.
  int64_t r = rows(x), d = lastDim(x);
  std::string slot = "diag + " + str(diagnosticNames.size());
  diagnosticNames.push_back("scale_blind." + layer);
  std::string logRms = scratch(4 * r);
  perRow("scaleBlindRows", {r, d, isa<DyTOp>(op) ? 0 : 1}, r,
         {name(x), alpha, shift, invScale,
          "reinterpret_cast<double *>(" + logRms + ")"},
         tys(x));
  launch("scaleBlindSlope", {r}, dim(1), dim(256), 0,
         {"reinterpret_cast<const double *>(" + logRms + ")", slot});
}

/// bf16 mode: every parameter a GEMM of `fn` reads as its weight is
/// rounded to bf16 once, at the function's start, into the cache (one
/// batched launch, LinearKernels.cuh weightsToBf16); the forward's and the
/// backward's GEMMs read that copy instead of each launcher rounding W
/// again (75 of gpt-tiny's 251 launches per step on an H200 were such
/// conversions). The masters change only between steps, so the copy is
/// current for the whole step; made here rather than by the optimizer, it
/// is also right after anything else writes them (initialization, a
/// checkpoint load). Weights computed in the step are still rounded by the
/// launcher that reads them.
void CudaEmitter::stepWeightCopies(func::FuncOp fn) {
  weightCopies.clear();
  if (!options.bf16)
    return;
  std::string list;
  fn.walk([&](Operation *op) {
    SmallVector<Value> weights;
    if (auto l = dyn_cast<LinearOp>(op))
      weights.push_back(l.getWeight());
    else if (auto g = dyn_cast<LinearGradOp>(op))
      weights.push_back(g.getWeight());
    else if (auto f = dyn_cast<FusedNormLinearOp>(op))
      llvm::append_range(weights, f.getWeights());
    for (Value w : weights) {
      auto get = w.getDefiningOp<GetParamOp>();
      if (!get || weightCopies.count(get.getName()))
        continue;
      auto shape = cast<RankedTensorType>(w.getType()).getShape();
      std::string copy =
          "reinterpret_cast<bf16 *>(" +
          cache(nfrt::cuda::weightBf16Floats(shape[1], shape[0])) + ")";
      weightCopies[get.getName()] = copy;
      list += "          {" + paramPtr(get.getName()) + ", " + copy + ", " +
              str(shape[0]) + ", " + str(shape[1]) + "},\n";
    }
  });
  if (list.empty())
    return;
  body += "    {\n      // The step's bf16 weight copies.\n"
          "      const WeightCopy weights[] = {\n" +
          list + "      };\n      weightsToBf16(stream, weights);\n    }\n";
}

LogicalResult CudaEmitter::run(EmitReport *report) {
  table = layoutParams(module);
  FailureOr<StepModule> m = readStepModule(module, "CUDA");
  if (failed(m))
    return failure();
  func::FuncOp train = m->trainStep(), opt = m->optimizerStep();
  os << "// Generated by nfc (NormFuse) for model " << m->modelLiteral
     << ", CUDA target ("
     << (options.bf16 ? "bf16 activations and GEMM inputs, fp32 weights and "
                        "optimizer state"
                      : "fp32")
     << (options.ranks > 1 ? ", " + str(options.ranks) + " data-parallel ranks"
                           : std::string())
     << "). Do not edit: regenerate with `nfc build --target=cuda`.\n"
     << "// The same source compiles with nvcc and, for tests, with the host "
        "compiler (the SIMT harness).\n"
     << "#include \"nfrt/Model.h\"\n#include \"nfrt/cuda/Kernels.cuh\"\n\n"
     << "namespace {\nusing namespace nfrt::cuda;\n\n";
  printParamTable(table, os);
  os << "// Host copy of the saturation diagnostics (device: the arena's "
        "tail).\n";
  printDiagnosticsBuffer(*m, os);
  os << "\n";

  int64_t arena = 0, naive = 0;
  for (StepFunction &fn : m->fns) {
    // The train step's gradients are computed straight into G: no copies
    // at the end, and each is final where its last op runs (the bucketed
    // all-reduce starts there).
    inG.clear();
    DenseSet<Value> external;
    if (fn.op == train)
      for (auto [v, at] : gradientsInPlace(fn.op, table)) {
        inG[v] = at;
        external.insert(v);
      }
    tiedGrads.clear();
    if (fn.op == train)
      fn.op.walk([&](AddOp add) {
        auto tied = tiedEmbeddingGrad(add, inG);
        if (!tied)
          return;
        int64_t at = inG.lookup(add.getResult());
        for (Value v : {tied->head, Value(tied->grad.getResult())}) {
          inG[v] = at;
          external.insert(v);
        }
        tiedGrads.insert(add);
        tiedGrads.insert(tied->grad);
      });
    halfWidth.clear();
    if (options.bf16 && fn.op != opt)
      halfWidth = bf16Activations(fn.op, external);
    pitched.clear();
    DenseMap<Value, int64_t> stored;
    if (options.bf16 && fn.op == train)
      pitched = pitchedLogits(fn.op, halfWidth);
    for (Value v : pitched)
      stored[v] = rows(v) * nfrt::cuda::linearPitch(lastDim(v));
    // In place where the memory plan allows: the bf16 dlogits over the
    // logits; a GEMM's accumulated dx over its addend (cuBLAS beta = 1).
    DenseMap<Value, Value> inPlace = logitsGradsInPlace(fn.op, halfWidth);
    fn.op.walk([&](LinearGradOp l) {
      if (l.getAddend())
        inPlace[l.getInputGrad()] = l.getAddend();
    });
    MemoryPlan plan = planMemory(fn.op, external, halfWidth, inPlace, stored);
    accumulateInPlace.clear();
    fn.op.walk([&](LinearGradOp l) {
      if (l.getAddend() &&
          plan.root(l.getInputGrad()) == plan.root(l.getAddend()))
        accumulateInPlace.insert(l);
    });
    buckets = BucketPlan();
    eventsUsed = 0;
    if (fn.op == train && options.ranks > 1)
      buckets = planAllReduceBuckets(fn.op, table, inG, options.bucketBytes);
    names.clear();
    rowCache.clear();
    ropeTables.clear();
    ropeCopies.clear();
    body.clear();
    opScratch = scratchMax = cacheFloats = 0;
    inTrainStep = fn.op == train;
    for (auto [i, arg] : llvm::enumerate(fn.op.getArguments()))
      names[arg] = argumentName(fn.op, i, table);
    int64_t counter = 0;
    // (name, declaration) of every value's pointer, in order.
    SmallVector<std::pair<std::string, std::string>> decls;
    for (Operation &op : fn.op.getBody().front())
      for (Value r : op.getResults()) {
        std::string n = "v" + str(counter++);
        names[r] = n;
        std::string init =
            isa<GetParamOp>(op)     ? paramPtr(cast<GetParamOp>(op).getName())
            : inG.count(r)          ? "G + " + str(inG.lookup(r))
            : plan.aliases.count(r) ? names[plan.root(r)]
                                    : "reinterpret_cast<" + ty(r) + " *>(A + " +
                                          str(plan.offsets.lookup(r)) + ")";
        decls.push_back({n, "  " + ty(r) + " *" + n + " = " + init + ";\n"});
      }
    stepWeightCopies(fn.op);
    for (Operation &op : fn.op.getBody().front()) {
      opScratch = 0;
      if (failed(emitOp(&op)))
        return failure();
      for (const GradientBucket &b : buckets.after.lookup(&op))
        allReduceBucket(b);
    }
    // The arena: planned values, then caches, scratch and diagnostics.
    int64_t cacheAt = plan.arenaBytes;
    int64_t scratchAt = cacheAt + cacheFloats * 4;
    int64_t diagAt = scratchAt + scratchMax * 4;
    int64_t diagFloats = inTrainStep ? alignFloats(diagnosticNames.size()) : 0;
    int64_t total = diagAt + diagFloats * 4;
    arena = std::max(arena, total);
    naive = std::max(naive, plan.naiveBytes + total - plan.arenaBytes);
    os << "// @" << fn.op.getSymName() << ": arena " << total
       << " bytes: values " << plan.arenaBytes << " (" << plan.naiveBytes
       << " without reuse), caches " << cacheFloats * 4 << ", scratch "
       << scratchMax * 4 << ", diagnostics " << diagFloats * 4 << "\n";
    os << "void " << fn.name << "_launches" << fn.params << " {\n"
       << "  cudaStream_t stream = context().stream;\n"
       << (StringRef(body).contains("(blas")
               ? "  cublasHandle_t blas = context().blas;\n"
               : "");
    if (eventsUsed > 0)
      os << "  // The gradient all-reduce's stream and its fork/join events.\n"
         << "  cudaStream_t comm = context().commStream;\n"
         << "  static thread_local StepEvents<" << eventsUsed << "> events;\n";
    // The regions this function uses (an unused pointer is a warning).
    for (auto [region, at] :
         {std::pair<const char *, int64_t>{"cache", cacheAt},
          {"scratch", scratchAt},
          {"diag", diagAt}})
      if (StringRef(body).contains(std::string(region) + " + "))
        os << "  float *" << region << " = reinterpret_cast<float *>(A + " << at
           << ");\n";
    // Only the pointers the launches (or kept pointers) use: values fused
    // away or never read would be unused variables (nvcc warning 177).
    std::string used = body, kept;
    for (auto &[n, decl] : llvm::reverse(decls))
      if (mentions(used, n)) {
        used += decl;
        kept.insert(0, decl);
      }
    os << kept << body;
    os << "}\n\n";
    // The step as one CUDA graph, replayed while the buffers stay the
    // same (Platform.cuh StepGraph). The host copy of the diagnostics
    // stays outside: graphs do not copy into pageable host memory.
    os << "void " << fn.name << fn.params << " {\n";
    if (inTrainStep && options.ranks > 1)
      os << "  if (context().worldSize != " << options.ranks
         << ") {\n    std::fprintf(stderr, \"error: this model trains on "
         << options.ranks
         << " data-parallel ranks; call nfrt::cuda::initComm first\\n\");\n"
            "    std::exit(1);\n  }\n";
    // One graph per thread: a process drives one GPU, and the SIMT harness
    // runs each emulated rank as a thread.
    os << "  static thread_local StepGraph graph;\n"
       << "  graph.run(context().stream, {" << fn.args << "}, [&] { " << fn.name
       << "_launches(" << fn.args << "); });\n";
    if (inTrainStep && !diagnosticNames.empty())
      os << "  if (context().rank == 0)\n    "
            "NF_CUDA_CHECK(cudaMemcpyAsync(nf_diagnostics, "
            "reinterpret_cast<float *>(A + "
         << diagAt << "), " << diagnosticNames.size() * 4
         << ", cudaMemcpyDeviceToHost, context().stream));\n";
    os << "}\n\n";
  }

  if (failed(printModelInfo(*m, table, arena, naive, diagnosticNames,
                            "/*diagnosticsRequest=*/nullptr, "
                            "/*deviceBuffers=*/true,\n"
                            "    /*device=*/&nfrt::cuda::kDeviceApi",
                            os)))
    return failure();
  if (report) {
    report->arenaBytes = arena;
    report->naiveArenaBytes = naive;
    report->paramFloats = table.paramFloats;
  }
  return success();
}

/// An RMSNorm's backward: nf.rmsnorm_grad, or nf.add_rmsnorm_grad with the
/// gradient it adds (`addend`).
struct RMSNormGradRows {
  Operation *op;
  Value input, grad, addend, result;
  APFloat eps;
};
std::optional<RMSNormGradRows> rmsnormGradRows(Operation *op) {
  if (auto g = dyn_cast_or_null<RMSNormGradOp>(op))
    return RMSNormGradRows{g,       g.getInput(),  g.getGrad(),
                           Value(), g.getResult(), g.getEps()};
  if (auto g = dyn_cast_or_null<AddRMSNormGradOp>(op))
    return RMSNormGradRows{
        g, g.getInput(), g.getGrad(), g.getAddend(), g.getResult(), g.getEps()};
  return std::nullopt;
}

LogicalResult CudaEmitter::emitOp(Operation *op) {
  auto ops = [&](auto... vals) {
    return SmallVector<std::string>{name(vals)...};
  };
  auto optName = [&](Value v) { return v ? name(v) : std::string("nullptr"); };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<GetParamOp, SplitHeadsOp, MergeHeadsOp>(
          [&](auto) { return success(); }) // pointers only
      .Case([&](FillOp f) {
        pointwise("fill", {numel(f)}, numel(f), {name(f), f32(f.getValue())},
                  tys(f.getResult()));
        return success();
      })
      .Case([&](AddOp a) {
        if (tiedGrads.count(a))
          return success(); // the embedding backward added in place
        int64_t m = numel(a.getRhs()), n = numel(a.getLhs()) / m;
        pointwise("addBroadcast", {n, m}, n * m,
                  ops(a.getLhs(), a.getRhs(), a.getResult()),
                  tys(a.getLhs(), a.getRhs(), a.getResult()));
        return success();
      })
      .Case([&](MulOp a) {
        int64_t m = numel(a.getRhs()), n = numel(a.getLhs()) / m;
        pointwise("mulBroadcast", {n, m}, n * m,
                  ops(a.getLhs(), a.getRhs(), a.getResult()),
                  tys(a.getLhs(), a.getRhs(), a.getResult()));
        return success();
      })
      .Case([&](ReduceToOp r) {
        int64_t m = numel(r), n = numel(r.getInput()) / m;
        columnSum(n, m, name(r.getInput()), "nullptr", name(r),
                  {ty(r.getInput()), "float"});
        return success();
      })
      .Case([&](ScaleOp s) {
        int64_t n = rows(s.getInput()), d = lastDim(s.getInput());
        pointwise("mulBroadcast", {n, d}, n * d,
                  ops(s.getInput(), s.getGamma(), s.getResult()),
                  tys(s.getInput(), s.getGamma(), s.getResult()));
        return success();
      })
      .Case([&](ScaleGradOp s) {
        int64_t n = rows(s.getInput()), d = lastDim(s.getInput());
        // dx = gamma dy; dgamma = column sums of dy * x.
        pointwise("mulBroadcast", {n, d}, n * d,
                  ops(s.getGrad(), s.getGamma(), s.getInputGrad()),
                  tys(s.getGrad(), s.getGamma(), s.getInputGrad()));
        columnSum(n, d, name(s.getGrad()), name(s.getInput()),
                  name(s.getGammaGrad()), tys(s.getGrad(), s.getInput()));
        return success();
      })
      .Case([&](BiasAddOp s) {
        int64_t n = rows(s.getInput()), d = lastDim(s.getInput());
        pointwise("addBroadcast", {n, d}, n * d,
                  ops(s.getInput(), s.getBias(), s.getResult()),
                  tys(s.getInput(), s.getBias(), s.getResult()));
        return success();
      })
      .Case([&](AddRMSNormOp n) {
        int64_t r = rows(n.getSum()), d = lastDim(n.getSum());
        std::string stats = "nullptr";
        if (inTrainStep)
          rowCache[n.getSum()] = stats = cache(r);
        if (d > nfrt::cuda::kMaxRegisterRow) {
          // Rows too long for one warp's registers (nf-fuse-residual-norm
          // and nf-fuse-norm-scale leave these unfused; hand-written IR may
          // not): the add, the norm, the scale.
          pointwise("addBroadcast", {r, d}, r * d,
                    ops(n.getLhs(), n.getRhs(), n.getSum()),
                    tys(n.getLhs(), n.getRhs(), n.getSum()));
          perRow(
              "rmsnormForward", {r, d}, r,
              {name(n.getSum()), name(n.getResult()), stats, f32(n.getEps())},
              tys(n.getSum(), n.getResult()));
          if (Value g = n.getGamma())
            pointwise("mulBroadcast", {r, d}, r * d,
                      ops(n.getResult(), g, n.getResult()),
                      tys(n.getResult(), g, n.getResult()));
          return success();
        }
        // The sum, the norm and its scale vector (where nf-fuse-norm-scale
        // put one) in one pass (NormScaleKernels.cuh addRmsnormScaleForward).
        perRow("addRmsnormScaleForward", {r, d}, r,
               {name(n.getLhs()), name(n.getRhs()), name(n.getSum()),
                optName(n.getGamma()), "nullptr", name(n.getResult()), stats,
                f32(n.getEps())},
               tys(n.getLhs(), n.getRhs(), n.getSum(), n.getResult(),
                   n.getResult()));
        return success();
      })
      .Case([&](NormScaleOp n) -> LogicalResult {
        if (n.getKind() != NormKind::RMSNorm)
          return n.emitOpError("the CUDA target has no fused ")
                 << stringifyNormKind(n.getKind())
                 << " + scale kernel (nfc runs nf-fuse-norm-scale with "
                    "layernorm=false for it)";
        int64_t r = rows(n.getInput()), d = lastDim(n.getInput());
        std::string stats = "nullptr";
        if (inTrainStep)
          rowCache[n.getInput()] = stats = cache(r);
        if (d > nfrt::cuda::kMaxRegisterRow) {
          // Past the register limit (hand-written IR): norm, then scale.
          perRow(
              "rmsnormForward", {r, d}, r,
              {name(n.getInput()), name(n.getResult()), stats, f32(n.getEps())},
              tys(n.getInput(), n.getResult()));
          pointwise("mulBroadcast", {r, d}, r * d,
                    ops(n.getResult(), n.getGamma(), n.getResult()),
                    tys(n.getResult(), n.getGamma(), n.getResult()));
          return success();
        }
        // One pass: y = gamma x rstd; rstd cached for the backward.
        perRow("rmsnormScaleForward", {r, d}, r,
               {name(n.getInput()), name(n.getGamma()), "nullptr",
                name(n.getResult()), stats, f32(n.getEps())},
               tys(n.getInput(), n.getResult(), n.getResult()));
        return success();
      })
      .Case([&](NormScaleGradOp g) -> LogicalResult {
        if (g.getKind() != NormKind::RMSNorm)
          return g.emitOpError("the CUDA target has no fused ")
                 << stringifyNormKind(g.getKind()) << " + scale backward";
        int64_t n = rows(g.getInput()), d = lastDim(g.getInput());
        auto cached = rowCache.find(g.getInput());
        if (cached == rowCache.end() || d > nfrt::cuda::kMaxRegisterRow)
          return g.emitOpError("needs rows of at most ")
                 << nfrt::cuda::kMaxRegisterRow
                 << " values and the rstd its forward (nf.rmsnorm, "
                    "nf.add_rmsnorm or nf.norm_scale of the same rows, "
                    "earlier in this function) caches";
        // RMSNorm's and the scale's backward in one pass (NormScale-
        // Kernels.cuh); dgamma from per-block partials.
        int64_t p = std::min<int64_t>(ceilDiv(n, 8), 512);
        int64_t rpb = ceilDiv(n, p);
        p = ceilDiv(n, rpb);
        std::string partials = scratch(p * d);
        SmallVector<std::string> types =
            tys(g.getInput(), g.getGrad(), g.getInputGrad());
        if (g.getAddend())
          types.push_back(ty(g.getAddend()));
        launch("rmsnormScaleBackward", {n, d, rpb}, dim(p), dim(256), 8 * d * 4,
               {name(g.getInput()), name(g.getGamma()), name(g.getGrad()),
                cached->second, optName(g.getAddend()), name(g.getInputGrad()),
                partials},
               types);
        launch("columnFinalize", {d, p}, dim(strideBlocks(d)), dim(256), 0,
               {partials, name(g.getGammaGrad())});
        return success();
      })
      .Case([&](RMSNormOp n) {
        int64_t r = rows(n.getInput());
        std::string stats = "nullptr";
        if (inTrainStep)
          rowCache[n.getInput()] = stats = cache(r);
        perRow(
            "rmsnormForward", {r, lastDim(n.getInput())}, r,
            {name(n.getInput()), name(n.getResult()), stats, f32(n.getEps())},
            tys(n.getInput(), n.getResult()));
        return success();
      })
      .Case<RMSNormGradOp, AddRMSNormGradOp>([&](auto op) {
        // The norm's backward alone (a scale's gradient before it is
        // nf-fuse-norm-scale's), with the residual stream's gradient added
        // where there is one.
        RMSNormGradRows n = *rmsnormGradRows(op);
        int64_t r = rows(n.input);
        auto it = rowCache.find(n.input);
        SmallVector<std::string> types = tys(n.input, n.grad, n.result);
        if (n.addend)
          types.push_back(ty(n.addend));
        perRow("rmsnormBackward", {r, lastDim(n.input)}, r,
               {name(n.input), name(n.grad),
                it != rowCache.end() ? it->second : "nullptr",
                optName(n.addend), name(n.result),
                f32(n.eps.convertToDouble())},
               types);
        return success();
      })
      .Case([&](LayerNormOp n) {
        int64_t r = rows(n.getInput());
        std::string stats = "nullptr";
        if (inTrainStep)
          rowCache[n.getInput()] = stats = cache(2 * r);
        perRow(
            "layernormForward", {r, lastDim(n.getInput())}, r,
            {name(n.getInput()), name(n.getResult()), stats, f32(n.getEps())},
            tys(n.getInput(), n.getResult()));
        return success();
      })
      .Case([&](LayerNormGradOp n) {
        int64_t r = rows(n.getInput());
        auto it = rowCache.find(n.getInput());
        perRow("layernormBackward", {r, lastDim(n.getInput())}, r,
               {name(n.getInput()), name(n.getGrad()),
                it != rowCache.end() ? it->second : "nullptr",
                name(n.getResult()), f32(n.getEps())},
               tys(n.getInput(), n.getGrad(), n.getResult()));
        return success();
      })
      .Case([&](DyTOp n) {
        int64_t s = numel(n.getInput());
        pointwise("dytForward", {s}, s,
                  ops(n.getInput(), n.getAlpha(), n.getResult()),
                  tys(n.getInput(), n.getResult()));
        saturation(n, n.getInput(), name(n.getAlpha()), "nullptr", "nullptr");
        return success();
      })
      .Case([&](DyTGradOp n) {
        int64_t s = numel(n.getInput()), p = strideBlocks(s);
        std::string partials = scratch(p);
        launch("dytBackward", {s}, dim(p), dim(256), 0,
               {name(n.getInput()), name(n.getAlpha()), name(n.getGrad()),
                name(n.getInputGrad()), partials},
               tys(n.getInput(), n.getGrad(), n.getInputGrad()));
        sumPartials(p, partials, name(n.getAlphaGrad()));
        return success();
      })
      .Case([&](DerfOp n) {
        int64_t s = numel(n.getInput());
        pointwise("derfForward", {s}, s,
                  {name(n.getInput()), name(n.getAlpha()), name(n.getShift()),
                   "nullptr", name(n.getResult())},
                  tys(n.getInput(), n.getResult()));
        saturation(n, n.getInput(), name(n.getAlpha()), name(n.getShift()),
                   "nullptr");
        return success();
      })
      .Case([&](DerfGradOp n) {
        int64_t s = numel(n.getInput()), p = strideBlocks(s);
        std::string partials = scratch(2 * p);
        launch("derfBackward", {s}, dim(p), dim(256), 0,
               {name(n.getInput()), name(n.getAlpha()), name(n.getShift()),
                "nullptr", name(n.getGrad()), name(n.getInputGrad()), partials},
               tys(n.getInput(), n.getGrad(), n.getInputGrad()));
        sumPartials(p, partials, name(n.getAlphaGrad()));
        sumPartials(p, partials + " + " + str(p), name(n.getShiftGrad()));
        return success();
      })
      .Case([&](DerfEMAOp n) {
        int64_t r = rows(n.getInput()), d = lastDim(n.getInput()), s = r * d;
        std::string rms = scratch(r), inv = scratch(1);
        perRow("rowRms", {r, d}, r, {name(n.getInput()), rms},
               tys(n.getInput()));
        launch("emaUpdate", {r}, dim(1), dim(32), 0,
               {rms, name(n.getRunning()), name(n.getNewRunning()), inv,
                f32(n.getMomentum()), f32(n.getBlend())});
        pointwise("derfForward", {s}, s,
                  {name(n.getInput()), name(n.getAlpha()), name(n.getShift()),
                   inv, name(n.getResult())},
                  tys(n.getInput(), n.getResult()));
        saturation(n, n.getInput(), name(n.getAlpha()), name(n.getShift()),
                   inv);
        return success();
      })
      .Case([&](DerfEMAGradOp n) {
        int64_t s = numel(n.getInput()), p = strideBlocks(s);
        std::string inv = scratch(1), partials = scratch(2 * p);
        launch("emaInvScale", {}, dim(1), dim(1), 0,
               {name(n.getRunning()), inv, f32(n.getBlend())});
        launch("derfBackward", {s}, dim(p), dim(256), 0,
               {name(n.getInput()), name(n.getAlpha()), name(n.getShift()), inv,
                name(n.getGrad()), name(n.getInputGrad()), partials},
               tys(n.getInput(), n.getGrad(), n.getInputGrad()));
        sumPartials(p, partials, name(n.getAlphaGrad()));
        sumPartials(p, partials + " + " + str(p), name(n.getShiftGrad()));
        return success();
      })
      .Case([&](LinearOp l) {
        auto w = cast<RankedTensorType>(l.getWeight().getType()).getShape();
        linear(rows(l.getInput()), w[1], w[0], name(l.getInput()),
               l.getWeight(), name(l.getResult()), ty(l.getInput()),
               ty(l.getResult()), pitched.count(l.getResult()));
        return success();
      })
      .Case([&](LinearGradOp l) -> LogicalResult {
        auto w = cast<RankedTensorType>(l.getWeight().getType()).getShape();
        int64_t n = rows(l.getInput());
        SmallVector<std::string> types =
            tys(l.getInput(), l.getGrad(), l.getInputGrad());
        std::string dims = templateArgs({str(n), str(w[1]), str(w[0])}, types);
        // The pitched bf16 dlogits are the padded dy as they are.
        bool pitchedDy = pitched.count(l.getGrad());
        if (Value acc = l.getAddend()) {
          // dx = dy W + dx over the addend (nf-fuse-grad-accumulate): in
          // place where the memory plan put dx there, else a copy first.
          if (ty(acc) != ty(l.getInputGrad()))
            return l.emitOpError("the addend and dx are stored in different "
                                 "types; the CUDA emitter accumulates in one");
          if (!accumulateInPlace.count(l))
            body += "    NF_CUDA_CHECK(cudaMemcpyAsync(" +
                    name(l.getInputGrad()) + ", " + name(acc) + ", " +
                    str(numel(acc) * (halfWidth.count(acc) ? 2 : 4)) +
                    ", cudaMemcpyDeviceToDevice, stream));\n";
          if (options.bf16)
            dims = llvm::join(
                SmallVector<std::string>{str(n), str(w[1]), str(w[0]), types[0],
                                         types[1], types[2],
                                         pitchedDy ? "true" : "false", "true"},
                ", ");
          else
            dims += ", true";
        } else if (pitchedDy) {
          dims += ", true";
        }
        // bf16 mode reads W's step copy when it has one.
        bool ready = false;
        std::string wb = options.bf16 ? weightOperand(l.getWeight(), ready)
                                      : name(l.getWeight());
        std::string args = name(l.getInput()) + ", " + wb + ", " +
                           name(l.getGrad()) + ", " + name(l.getInputGrad()) +
                           ", " + name(l.getWeightGrad());
        if (options.bf16)
          body += "    linearBackwardBf16<" + dims + ">(blas, stream, " + args +
                  ", " +
                  scratch(nfrt::cuda::linearBf16ScratchFloats(
                      n, w[1], w[0], ready, pitchedDy)) +
                  ");\n";
        else
          body += "    linearBackward<" + dims + ">(blas, " + args + ");\n";
        return success();
      })
      .Case([&](EmbeddingOp e) {
        int64_t n = numel(e.getTokens()), d = lastDim(e.getTable());
        pointwise("embeddingForward", {n, d}, n * d,
                  ops(e.getTokens(), e.getTable(), e.getResult()),
                  tys(e.getResult()));
        return success();
      })
      .Case([&](EmbeddingGradOp e) {
        // Sorted by token, each dy row read once; the launcher owns its
        // kernels' grids and scratch layout (EmbeddingKernels.cuh).
        auto t = cast<RankedTensorType>(e.getType()).getShape();
        int64_t n = numel(e.getTokens());
        bool accumulate = tiedGrads.count(e);
        std::string args = str(n) + ", " + str(t[0]) + ", " + str(t[1]);
        if (accumulate || halfWidth.count(e.getGrad()))
          args += ", " + ty(e.getGrad());
        if (accumulate)
          args += ", true";
        int64_t bytes = nfrt::cuda::embeddingBackwardScratchBytes(n, t[0]);
        body += "    launchEmbeddingBackward<" + args + ">(stream, " +
                name(e.getTokens()) + ", " + name(e.getGrad()) + ", " +
                name(e.getResult()) + ", " + scratch(ceilDiv(bytes, 4)) +
                ");\n";
        return success();
      })
      .Case<AttentionOp, AttentionGradOp>([&](auto a) -> LogicalResult {
        auto s = cast<RankedTensorType>(a.getQuery().getType()).getShape();
        int64_t b = s[0], t = s[1], h = s[2], hd = s[3], size = b * t * h * hd;
        // bf16 mode runs flash attention on the tensor cores
        // (FlashAttentionKernels.cuh: any T, head dims 16..128 in steps of
        // 16); fp32 mode, and other head dims, the exact fp32 kernels with
        // a row of probabilities per warp in shared memory.
        bool flash = options.bf16 && hd % 16 == 0 && hd <= 128;
        int64_t smem = 4 * 2 * t * 4; // 4 warps x 2T floats
        if (!flash && smem > 48 * 1024)
          return a.emitOpError("sequence length ")
                 << t << " needs " << smem
                 << " bytes of shared memory in the fp32 CUDA attention "
                    "kernel (at most 49152; bf16 mode's flash attention "
                    "takes any length for head dims 16..128 in steps of 16)";
        double theta =
            a.getRopeTheta() ? a.getRopeTheta()->convertToDouble() : 0.0;
        std::string q = name(a.getQuery()), k = name(a.getKey());
        // q and k share a storage type (one template parameter).
        std::string qk = ty(a.getQuery());
        if (ty(a.getKey()) != qk)
          return a.emitOpError("query and key are stored in different types "
                               "(the CUDA attention kernels read both as one)");
        std::string dims =
            str(b) + ", " + str(t) + ", " + str(h) + ", " + str(hd);
        // RoPE reads its (cos, sin) from a table the function fills at its
        // first use (cache, RopeTable.h); launchRope owns the grid.
        std::string angles;
        auto rope = [&](const std::string &from, const std::string &fromType,
                        const std::string &to, const std::string &toType,
                        bool inverse) {
          body += "    launchRope<" + dims + ", " + fromType + ", " + toType +
                  ">(stream, " + from + ", " + to + ", " + angles + ", " +
                  (inverse ? "true" : "false") + ");\n";
        };
        if (theta > 0) {
          auto &tbl = ropeTables[{t, hd, theta}];
          if (tbl.empty()) {
            tbl = cache(nfrt::cuda::ropeTableFloats(t, hd));
            body += "    launchRopeTable<" + str(t) + ", " + str(hd) +
                    ">(stream, " + tbl + ", " + f64(theta) + ");\n";
          }
          angles = tbl;
          auto kept = ropeCopies.find(a.getQuery());
          if (kept != ropeCopies.end() && kept->second.key == a.getKey() &&
              kept->second.theta == theta) {
            // The backward reads the forward's rotated copies.
            q = kept->second.q;
            k = kept->second.k;
            qk = kept->second.type;
          } else {
            // Rotated copies of q and k: fp32 for the exact kernels, so the
            // rotation rounds nothing in bf16 mode (q and k were rounded
            // once, by their GEMM); bf16 for flash attention, which rounds
            // the rotated rows to bf16 as it stages them anyway (stageRows:
            // packBf16, the same round to nearest even as the rotation's
            // fromF32<bf16>, and a bf16 value widened and rounded again is
            // itself), so the bits it computes with are the same, with
            // half the bytes. The train step keeps them in the cache for
            // the backward, by q as the flash statistics; other functions
            // use scratch.
            bool keep = inTrainStep && std::is_same_v<decltype(a), AttentionOp>;
            std::string type = flash ? "bf16" : "float";
            int64_t floats = nfrt::cuda::ropeCopyFloats(size, flash);
            std::string qr = keep ? cache(floats) : scratch(floats);
            std::string kr = keep ? cache(floats) : scratch(floats);
            if (flash) {
              qr = "reinterpret_cast<bf16 *>(" + qr + ")";
              kr = "reinterpret_cast<bf16 *>(" + kr + ")";
            }
            rope(q, qk, qr, type, false);
            rope(k, qk, kr, type, false);
            q = qr;
            k = kr;
            qk = type;
            if (keep)
              ropeCopies[a.getQuery()] = {a.getKey(), theta, q, k, qk};
          }
        }
        std::string grid = dim(ceilDiv(b * h * t, 4));
        if constexpr (std::is_same_v<decltype(a), AttentionOp>) {
          // The train step keeps each row's softmax statistics (m, 1/l)
          // for the backward (FlashAttentionKernels.cuh), keyed by q as the
          // norms' row statistics are by their input.
          std::string stats = "nullptr";
          if (flash && inTrainStep)
            rowCache[a.getQuery()] = stats = cache(2 * b * h * t);
          if (flash)
            body += "    flashAttentionForward<" + dims + ", " + qk + ", " +
                    ty(a.getValue()) + ", " + ty(a.getResult()) + ">(stream, " +
                    q + ", " + k + ", " + name(a.getValue()) + ", " +
                    name(a.getResult()) + ", " + stats + ");\n";
          else
            launch("attentionForward", {b, t, h, hd}, grid, dim(128), smem,
                   {q, k, name(a.getValue()), name(a.getResult())},
                   {qk, ty(a.getValue()), ty(a.getResult())});
        } else {
          // Flash attention's backward reads the forward's output (for
          // D = rowsum(dO O)) and statistics; without both it runs the
          // forward again into its scratch.
          auto cached = rowCache.find(a.getQuery());
          bool reuse = flash && a.getOutput() && cached != rowCache.end();
          int64_t recompute = flash && !reuse ? size + 2 * b * h * t : 0;
          std::string stats = scratch(3 * b * h * t + recompute);
          std::string dq = name(a.getQueryGrad()), dk = name(a.getKeyGrad());
          std::string dqAt = ty(a.getQueryGrad()), dkAt = ty(a.getKeyGrad());
          // The un-rotation of dq and dk reads them in fp32 (scratch when
          // they are stored in bf16): it rounds once, as it writes them.
          bool unrotate = theta > 0;
          if (unrotate && (dqAt == "bf16" || dkAt == "bf16")) {
            dq = scratch(size);
            dk = scratch(size);
            dqAt = dkAt = "float";
          }
          if (flash) {
            std::string out = reuse ? name(a.getOutput()) : "nullptr";
            std::string outType = reuse ? ty(a.getOutput()) : "float";
            body += "    flashAttentionBackward<" + dims + ", " + qk + ", " +
                    ty(a.getValue()) + ", " + ty(a.getGrad()) + ", " + outType +
                    ", " + dqAt + ", " + dkAt + ", " + ty(a.getValueGrad()) +
                    ">(stream, " + q + ", " + k + ", " + name(a.getValue()) +
                    ", " + name(a.getGrad()) + ", " + out + ", " +
                    (reuse ? cached->second : "nullptr") + ", " + dq + ", " +
                    dk + ", " + name(a.getValueGrad()) + ", " + stats + ");\n";
          } else {
            launch("attentionBackwardQuery", {b, t, h, hd}, grid, dim(128),
                   smem,
                   {q, k, name(a.getValue()), name(a.getGrad()), dq, stats},
                   {qk, ty(a.getValue()), ty(a.getGrad()), dqAt});
            launch("attentionBackwardKey", {b, t, h, hd}, grid, dim(128), smem,
                   {q, k, name(a.getValue()), name(a.getGrad()), stats, dk,
                    name(a.getValueGrad())},
                   {qk, ty(a.getValue()), ty(a.getGrad()), dkAt,
                    ty(a.getValueGrad())});
          }
          if (unrotate)
            for (auto [from, fromType, g] :
                 {std::tuple{dq, dqAt, a.getQueryGrad()},
                  std::tuple{dk, dkAt, a.getKeyGrad()}})
              rope(from, fromType, name(g), ty(g), true);
        }
        return success();
      })
      .Case([&](GeluOp g) {
        pointwise("geluForward", {numel(g)}, numel(g),
                  ops(g.getInput(), g.getResult()),
                  tys(g.getInput(), g.getResult()));
        return success();
      })
      .Case([&](GeluGradOp g) {
        pointwise("geluBackward", {numel(g)}, numel(g),
                  ops(g.getInput(), g.getGrad(), g.getResult()),
                  tys(g.getInput(), g.getGrad(), g.getResult()));
        return success();
      })
      .Case([&](SiluOp g) {
        pointwise("siluForward", {numel(g)}, numel(g),
                  ops(g.getInput(), g.getResult()),
                  tys(g.getInput(), g.getResult()));
        return success();
      })
      .Case([&](SiluGradOp g) {
        pointwise("siluBackward", {numel(g)}, numel(g),
                  ops(g.getInput(), g.getGrad(), g.getResult()),
                  tys(g.getInput(), g.getGrad(), g.getResult()));
        return success();
      })
      .Case([&](CrossEntropyOp c) {
        int64_t n = rows(c.getLogits()), v = lastDim(c.getLogits());
        std::string rowLoss = scratch(n);
        std::string stats = "nullptr";
        if (inTrainStep)
          rowCache[c.getLogits()] = stats = cache(2 * n);
        perRow("crossEntropyForward", {n, v}, n,
               {name(c.getLogits()), name(c.getTargets()), rowLoss, stats},
               tys(c.getLogits()));
        sumPartials(n, rowLoss, name(c.getResult()), f32(1.0 / double(n)));
        return success();
      })
      .Case([&](FusedCrossEntropyOp c) {
        // The online softmax and, in bf16 mode where logitsGradsInPlace
        // allows, bf16 dlogits named with the logits' pointer (the memory
        // plan's alias): the kernel overwrites the logits in place.
        int64_t n = rows(c.getLogits()), v = lastDim(c.getLogits());
        std::string rowLoss = scratch(n);
        SmallVector<std::string> types = tys(c.getLogits(), c.getLogitsGrad());
        // Pitched logits (pitchedLogits): rows of the head GEMM's pitch,
        // and dlogits with zero pad columns; ONLINE (bf16) and PITCH.
        if (pitched.count(c.getLogits())) {
          assert(pitched.count(c.getLogitsGrad()) &&
                 "pitched logits with compact dlogits");
          types.append({"true", str(nfrt::cuda::linearPitch(v))});
        }
        perRow("crossEntropyFused", {n, v}, n,
               {name(c.getLogits()), name(c.getTargets()), rowLoss,
                name(c.getLogitsGrad()), f32(c.getSeed())},
               types);
        sumPartials(n, rowLoss, name(c.getLoss()), f32(1.0 / double(n)));
        return success();
      })
      .Case([&](CrossEntropyGradOp c) {
        int64_t n = rows(c.getLogits()), v = lastDim(c.getLogits());
        auto it = rowCache.find(c.getLogits());
        perRow("crossEntropyBackward", {n, v}, n,
               {name(c.getLogits()), name(c.getTargets()),
                it != rowCache.end() ? it->second : "nullptr",
                name(c.getGrad()), name(c.getResult())},
               tys(c.getLogits(), c.getResult()));
        return success();
      })
      .Case([&](AssignStateOp a) {
        body += copy(a.getValue(), paramPtr(a.getName()));
        return success();
      })
      .Case([&](UpdateParamOp a) {
        body += copy(a.getValue(), paramPtr(a.getName()));
        return success();
      })
      .Case([&](GlobalNormOp g) {
        // One multi-tensor sum of squares over every tensor (their block
        // partials side by side), then one sum in double: launchGlobalNorm
        // owns the grids and the batches, OptimizerScratch.h the scratch.
        SmallVector<int64_t> sizes;
        std::string table;
        for (Value t : g.getTensors()) {
          sizes.push_back(numel(t));
          table += "          {" + name(t) + ", " + str(numel(t)) + "},\n";
        }
        std::string partials = scratch(
            nfrt::cuda::globalNormScratchFloats(sizes.data(), sizes.size()));
        body += "    {\n      const SumSquaresTensor tensors[] = {\n" + table +
                "      };\n      launchGlobalNorm(stream, tensors, " +
                str(sizes.size()) + ", " + partials + ", " + name(g) +
                ");\n    }\n";
        return success();
      })
      .Case([&](ClipCoefOp c) {
        launch("clipCoef", {}, dim(1), dim(1), 0,
               {name(c.getNorm()), name(c), f32(c.getMaxNorm())});
        return success();
      })
      .Case([&](LRFactorOp l) {
        const char *kinds[] = {"Constant", "WarmupCosine", "WSD"};
        launch(
            "lrFactor", {}, dim(1), dim(1), 0,
            {name(l.getStep()), name(l),
             std::string("Schedule::") + kinds[static_cast<int>(l.getKind())],
             "int64_t(" + str(l.getWarmup()) + ")",
             "int64_t(" + str(l.getTotal()) + ")",
             "int64_t(" + str(l.getDecay()) + ")", f32(l.getMinRatio())});
        return success();
      })
      .Case([&](AdamWMultiOp a) {
        // nf-fuse-adamw's in-place update: one launcher call batches the
        // tensors and sizes each one's blocks (OptimizerKernels.cuh
        // launchAdamWMulti).
        body += "    {\n" +
                adamwTensorTable(a, table, [&](Value v) { return name(v); });
        body += "      launchAdamWMulti(stream, tensors, " +
                str(a.getGrads().size()) + ", " + name(a.getLr()) + ", " +
                name(a.getStep()) + ", " + optName(a.getGradScale()) + ", " +
                f32(a.getBeta1()) + ", " + f32(a.getBeta2()) + ", " +
                f32(a.getEps()) + ");\n    }\n";
        return success();
      })
      .Case([&](AdamWOp a) {
        pointwise("adamw", {numel(a.getParam())}, numel(a.getParam()),
                  {name(a.getParam()), name(a.getGrad()), name(a.getM()),
                   name(a.getV()), name(a.getLr()), name(a.getStep()),
                   optName(a.getGradScale()), f32(a.getBeta1()),
                   f32(a.getBeta2()), f32(a.getEps()), f32(a.getWeightDecay()),
                   name(a.getNewParam()), name(a.getNewM()),
                   name(a.getNewV())});
        return success();
      })
      .Case([&](MomentumOp m) {
        pointwise("momentum", {numel(m.getGrad())}, numel(m.getGrad()),
                  {name(m.getGrad()), name(m.getBuffer()),
                   optName(m.getGradScale()), f32(m.getBeta()),
                   m.getNesterov() ? "true" : "false", name(m.getNewBuffer()),
                   name(m.getUpdate())});
        return success();
      })
      .Case([&](NewtonSchulzOp n) {
        auto s = cast<RankedTensorType>(n.getType()).getShape();
        int64_t r = std::min(s[0], s[1]), c = std::max(s[0], s[1]);
        // LinearKernels.cuh newtonSchulzScratch: X, X', A, B, partials, sum.
        std::string buf =
            scratch(2 * r * c + 2 * r * r + strideBlocks(s[0] * s[1]) + 1 +
                    (r * c + 2 * r * r) / 2 + 64);
        body += "    newtonSchulz<" + str(s[0]) + ", " + str(s[1]) +
                (options.bf16 ? ", true" : "") + ">(blas, stream, " +
                name(n.getInput()) + ", " + name(n.getResult()) + ", " + buf +
                ", " + str(n.getSteps()) + ", " + f32(n.getA()) + ", " +
                f32(n.getB()) + ", " + f32(n.getC()) + ");\n";
        return success();
      })
      .Case([&](MuonApplyOp m) {
        pointwise("muonApply", {numel(m.getParam())}, numel(m.getParam()),
                  {name(m.getParam()), name(m.getOrtho()), name(m.getLr()),
                   f32(m.getFactor()), f32(m.getWeightDecay()),
                   name(m.getResult())});
        return success();
      })
      .Case([&](FusedNormLinearOp f) {
        // The rows normalized once into scratch; per branch, its scale and
        // bias applied into a second buffer that feeds the GEMM.
        int64_t n = rows(f.getInput()), d = lastDim(f.getInput());
        ValueRange sc = f.getNormScalars();
        std::string x = name(f.getInput()), xn = scratch(n * d);
        std::string eps = f.getEps() ? f32(*f.getEps()) : "0.f";
        // The normalized rows stay fp32 (scratch): the GEMM rounds them.
        SmallVector<std::string> types = {ty(f.getInput()), "float"};
        switch (f.getKind()) {
        case NormKind::RMSNorm:
          perRow("rmsnormForward", {n, d}, n, {x, xn, "nullptr", eps}, types);
          break;
        case NormKind::LayerNorm:
          perRow("layernormForward", {n, d}, n, {x, xn, "nullptr", eps}, types);
          break;
        case NormKind::DyT:
          pointwise("dytForward", {n * d}, n * d, {x, name(sc[0]), xn}, types);
          break;
        case NormKind::Derf:
          pointwise("derfForward", {n * d}, n * d,
                    {x, name(sc[0]), name(sc[1]), "nullptr", xn}, types);
          break;
        }
        std::string xs = scratch(n * d);
        for (auto [i, w] : llvm::enumerate(f.getWeights())) {
          auto ws = cast<RankedTensorType>(w.getType()).getShape();
          Value gamma = f.getGammaOf(i), beta = f.getBiasOf(i);
          std::string in = xn;
          if (gamma || beta) {
            pointwise("scaleBias", {n, d}, n * d,
                      {xn, optName(gamma), optName(beta), xs});
            in = xs;
          }
          linear(n, ws[1], ws[0], in, w, name(f.getResult(i)), "float",
                 ty(f.getResult(i)));
        }
        return success();
      })
      .Case([&](func::ReturnOp r) {
        auto fn = r->getParentOfType<func::FuncOp>();
        if (fn.getSymName() == "optimizer_step") {
          body += copy(r.getOperand(0), "out_grad_norm");
          body += copy(r.getOperand(1), "out_lr");
          return success();
        }
        body += copy(r.getOperand(0), "out_loss");
        for (unsigned i = 1; i < r.getNumOperands(); ++i) {
          if (inG.count(r.getOperand(i)))
            continue; // computed in place
          auto of = fn.getResultAttrOfType<StringAttr>(i, "nf.grad_of");
          body +=
              copy(r.getOperand(i),
                   "G + " + str(table.layout.lookup(of.getValue()).gradOffset));
        }
        if (inTrainStep && options.ranks > 1) {
          // Data parallel: the mean over the ranks of the gradients (the
          // buckets not started during the backward) and of the loss, so
          // every rank's optimizer sees the global batch's gradient. All of
          // NCCL runs on the comm stream, in the same order on every rank;
          // the compute stream joins it before the step ends.
          for (const GradientBucket &b : buckets.atEnd)
            allReduceBucket(b);
          std::string e = "events.e[" + str(eventsUsed++) + "]";
          body += "    NF_CUDA_CHECK(cudaEventRecord(" + e +
                  ", stream));\n"
                  "    NF_CUDA_CHECK(cudaStreamWaitEvent(comm, " +
                  e +
                  ", 0));\n"
                  "    NF_NCCL_CHECK(ncclAllReduce(out_loss, out_loss, 1, "
                  "ncclFloat, ncclAvg, context().comm, comm));\n";
          e = "events.e[" + str(eventsUsed++) + "]";
          body += "    NF_CUDA_CHECK(cudaEventRecord(" + e +
                  ", comm));\n"
                  "    NF_CUDA_CHECK(cudaStreamWaitEvent(stream, " +
                  e + ", 0));\n";
        }
        return success();
      })
      .Case([&](MuonOp m) {
        return m.emitOpError("run nf-lower-optimizer before emitting CUDA");
      })
      .Default([&](Operation *other) {
        return other->emitOpError("the CUDA emitter has no kernel for this op");
      });
}

} // namespace

LogicalResult normfuse::emitCuda(ModuleOp module, raw_ostream &os,
                                 EmitReport *report, CudaEmitOptions options) {
  return CudaEmitter(module, os, options).run(report);
}
