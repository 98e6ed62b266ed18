//===- CudaEmitter.cpp - nf IR -> CUDA C++ for NVIDIA GPUs ----------------===//
//
// One .cu translation unit per model: the same parameter table and step
// functions as the CPU target (nfrt/Model.h, deviceBuffers = true), each op
// printed as a call of a shape-specialized launcher from
// runtime/include/nfrt/cuda, which owns its grid, block, shared memory and
// the layout inside its scratch. The device memory plan is static: every
// function's arena is
//   [planned values | cache | scratch | diagnostics]
// and nf-prepare-emission decides all but the diagnostics: where each
// value lives (nf.buffers: the arena, G, P or an operand's storage, in fp32
// or bf16, with a row pitch), and each op's pieces of the cache (what a
// forward keeps for its backward: row statistics, RoPE tables and rotated
// copies; bf16 weight copies) and of the scratch that every op reuses
// (partial sums, GEMM staging, normalized rows), nf.cache and nf.scratch,
// sized by the launchers' own formulas (lib/Codegen/CudaRegions.cpp). This
// file prints those offsets.
//
// bf16 mode stores the activations the backward reads again in bf16
// (nf-prepare-emission's bf16Activations says which); the residual stream,
// every gradient, parameters, optimizer state, per-row statistics and
// reductions stay fp32. Kernels read into fp32, compute in fp32 and round once
// as they write (Storage.cuh); each launch names the storage type of its
// activation operands as template arguments after the shapes.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Codegen/CudaEmitter.h"
#include "normfuse/Codegen/AllReduceBuckets.h"
#include "normfuse/Codegen/EmissionPlan.h"
#include "normfuse/Codegen/EmitCommon.h"

#include "nf/NFOps.h"
#include "nfrt/cuda/LaunchShapes.h"
#include "nfrt/cuda/RowLimits.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
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

/// Each region's buffers start on a 64-byte line (LaunchShapes.h).
int64_t alignFloats(int64_t n) { return nfrt::cuda::alignedFloats(n); }
std::string str(int64_t v) { return std::to_string(v); }

class CudaEmitter {
public:
  CudaEmitter(ModuleOp module, raw_ostream &os, CudaEmitOptions options)
      : module(module), os(os), options(options) {}
  LogicalResult run(EmitReport *report);

private:
  LogicalResult emitOp(Operation *op);
  /// The C++ name of `v`, which the function then declares (values no
  /// launch names get no pointer: an unused variable is nvcc warning 177).
  std::string name(Value v) {
    named.insert(v);
    return names.lookup(v);
  }
  /// The cuBLAS handle, which the function then declares.
  std::string blas() {
    usesBlas = true;
    return "blas";
  }
  std::string paramPtr(StringRef sym) { return paramPointer(table, sym); }

  /// `launcher<dims[, types]>(stream, args);`: a kernel header's launcher
  /// (runtime/include/nfrt/cuda), which owns the launch's grid, block,
  /// shared memory and scratch layout (LaunchShapes.h). `types` are the
  /// storage types of its activation operands (its template parameters
  /// after the shapes); all fp32 leaves them to their defaults.
  void call(StringRef launcher, ArrayRef<int64_t> dims,
            ArrayRef<std::string> args, ArrayRef<std::string> types = {}) {
    std::string k = launcher.str();
    SmallVector<std::string> shapes;
    for (int64_t d : dims)
      shapes.push_back(str(d));
    std::string targs = templateArgs(shapes, types);
    if (!targs.empty())
      k += "<" + targs + ">";
    body += "    " + k + "(stream";
    for (const std::string &a : args)
      body += ", " + a;
    body += ");\n";
  }
  /// The storage type of `v`: "bf16" for a bf16-mode activation, else
  /// "float".
  std::string ty(Value v) const {
    return halfWidth.count(v) ? "bf16" : "float";
  }
  template <class... V> SmallVector<std::string> tys(V... vals) const {
    return {ty(vals)...};
  }
  /// The current op's scratch piece `piece` (freed when the op ends) and
  /// its cache piece (kept for the whole function), where
  /// nf-prepare-emission put them (nf.scratch, nf.cache); a missing piece
  /// is an error on the op (`missingPiece`).
  std::string scratch(StringRef piece) {
    return regionPointer("scratch", kScratchAttr, piece);
  }
  std::string cache(StringRef piece) {
    return regionPointer("cache", kCacheAttr, piece);
  }
  bool hasPiece(StringRef attr, StringRef piece) const {
    auto pieces = current->getAttrOfType<DictionaryAttr>(attr);
    return pieces && pieces.contains(piece);
  }
  std::string regionPointer(StringRef region, StringRef attr, StringRef piece) {
    regions.insert(region);
    std::optional<int64_t> at = regionPiece(current, attr, piece);
    missingPiece |= !at;
    return (region + " + " + str(at.value_or(0))).str();
  }
  /// Column sums of an [n, m] tensor (of a * b when b is given) into out;
  /// `types` are the storage types of a and b.
  void columnSum(int64_t n, int64_t m, std::string a, std::string b,
                 std::string out, ArrayRef<std::string> types = {}) {
    call("launchColumnSum", {n, m}, {a, b, out, scratch("partials")}, types);
  }
  /// bf16 mode: W's operand for a GEMM, the step's bf16 copy when it has
  /// one, else the fp32 buffer the launcher rounds into scratch.
  std::string weightOperand(Value w) {
    auto get = w.getDefiningOp<GetParamOp>();
    auto it = get ? weightCopies.find(get.getName()) : weightCopies.end();
    return it != weightCopies.end() ? it->second : name(w);
  }
  LogicalResult stepWeightCopies(func::FuncOp fn);
  /// y[n, out] = x[n, in] W^T, through bf16 inputs in bf16 mode (x and y
  /// of storage types xType and yType; `pitched`: y's rows have the GEMM's
  /// padded pitch, nf-prepare-emission's pitchedLogits).
  void linear(int64_t n, int64_t in, int64_t out, std::string x, Value w,
              std::string y, std::string xType, std::string yType,
              bool pitched = false, StringRef gemmPiece = "gemm") {
    std::string dims =
        templateArgs({str(n), str(in), str(out)}, {xType, yType});
    if (pitched)
      dims += ", true";
    if (!options.bf16) {
      body += "    linearForward<" + dims + ">(" + blas() + ", " + x + ", " +
              name(w) + ", " + y + ");\n";
      return;
    }
    body += "    linearForwardBf16<" + dims + ">(" + blas() + ", stream, " + x +
            ", " + weightOperand(w) + ", " + y + ", " + scratch(gemmPiece) +
            ");\n";
  }
  void saturation(Operation *op, Value x, std::string alpha, std::string shift,
                  std::string invScale);
  /// Copies fp32 `from` to `to` (values copied out of a function are
  /// never bf16: see nf-prepare-emission's bf16Activations).
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
  /// head GEMM's padded row pitch (nf-prepare-emission's pitchedLogits),
  /// with that pitch.
  DenseMap<Value, int64_t> pitched;
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
  /// What the current function's launches use, so that it declares only
  /// those: values (name), the cuBLAS handle (blas) and the arena regions
  /// "cache", "scratch" and "diag".
  DenseSet<Value> named;
  bool usesBlas = false;
  llvm::StringSet<> regions;
  /// The next diagnostics slot (its name is pushed by the caller).
  std::string diagnosticSlot() {
    regions.insert("diag");
    return "diag + " + str(diagnosticNames.size());
  }
  bool inTrainStep = false;
  /// The op being printed (whose nf.scratch and nf.cache pieces scratch()
  /// and cache() read), and whether one of them was missing.
  Operation *current = nullptr;
  bool missingPiece = false;
  /// The row statistics caches of the function (nf-prepare-emission's
  /// nf.row_stats): a forward op with the attribute saves its statistics
  /// there, a backward with the same number reads them.
  DenseMap<int64_t, std::string> statsCache;
  std::string saveStats(Operation *op) {
    auto k = op->getAttrOfType<IntegerAttr>(kRowStatsAttr);
    if (!k)
      return "nullptr";
    return statsCache[k.getInt()] = cache("row_stats");
  }
  std::string savedStats(Operation *op) const {
    auto k = op->getAttrOfType<IntegerAttr>(kRowStatsAttr);
    return k && statsCache.count(k.getInt()) ? statsCache.lookup(k.getInt())
                                             : "nullptr";
  }
  /// RoPE: the function's angle tables (cache), by nf.rope_table, and the
  /// train step forward's rotated q and k (cache), by nf.rope_copies.
  DenseMap<int64_t, std::string> ropeTables;
  struct RopeCopies {
    std::string q, k, type;
  };
  DenseMap<int64_t, RopeCopies> ropeCopies;
  /// bf16 mode: the bf16 copy of each weight the function's GEMMs read, by
  /// parameter (stepWeightCopies).
  llvm::StringMap<std::string> weightCopies;
  /// The tied embedding's gradient sum: nf.add of two gradients that
  /// nf-prepare-emission placed in its own slot of G, the head gradient
  /// written there first and the nf.embedding_grad (nf.accumulate) adding
  /// into it, so the add itself has nothing left to do.
  bool summedInPlace(AddOp a) const {
    auto at = inG.find(a.getResult());
    auto same = [&](Value v) {
      auto it = inG.find(v);
      return at != inG.end() && it != inG.end() && it->second == at->second;
    };
    return same(a.getLhs()) && same(a.getRhs());
  }
  /// A linear_grad whose dx nf-prepare-emission placed over its addend:
  /// the GEMM adds into it with no copy first.
  static bool accumulatesInPlace(LinearGradOp l) {
    std::optional<Placement> p = placementOf(l.getInputGrad());
    return p && p->kind == Placement::Kind::Operand &&
           l->getOperand(p->offset) == l.getAddend();
  }
  SmallVector<std::string> diagnosticNames;
};

void CudaEmitter::saturation(Operation *op, Value x, std::string alpha,
                             std::string shift, std::string invScale) {
  if (!inTrainStep)
    return;
  std::string layer = layerName(op, "norm");
  int64_t s = numel(x);
  body += "    if (diagnostics) {\n";
  for (const char *threshold : {"2.f", "1.5f"}) {
    std::string slot = diagnosticSlot();
    diagnosticNames.push_back(
        (threshold[0] == '2' ? "sat_frac." : "sat_frac_1.5.") + layer);
    std::string partials =
        scratch(threshold[0] == '2' ? "saturation" : "saturation_1_5");
    call("launchSaturationFraction", {s},
         {name(x), alpha, shift, invScale, threshold, slot, partials}, tys(x));
  }
  // Scale blindness, as the CPU binary's (scaleBlindness): each row's log
  // RMS of x and of y, then their regression slope.
  int64_t r = rows(x), d = lastDim(x);
  std::string slot = diagnosticSlot();
  diagnosticNames.push_back("scale_blind." + layer);
  std::string logRms = scratch("scale_blind");
  call("launchScaleBlindness", {r, d, isa<DyTOp>(op) ? 0 : 1},
       {name(x), alpha, shift, invScale, slot, logRms}, tys(x));
  body += "    }\n";
}

/// bf16 mode: every parameter a GEMM of `fn` reads as its weight
/// (nf-prepare-emission's nf.weight_copies) is
/// rounded to bf16 once, at the function's start, into the cache (one
/// batched launch, LinearKernels.cuh weightsToBf16); the forward's and the
/// backward's GEMMs read that copy instead of each launcher rounding W
/// again (75 of gpt-tiny's 251 launches per step on an H200 were such
/// conversions). The masters change only between steps, so the copy is
/// current for the whole step; made here rather than by the optimizer, it
/// is also right after anything else writes them (initialization, a
/// checkpoint load). Weights computed in the step are still rounded by the
/// launcher that reads them.
LogicalResult CudaEmitter::stepWeightCopies(func::FuncOp fn) {
  weightCopies.clear();
  auto copies = fn->getAttrOfType<ArrayAttr>(kWeightCopiesAttr);
  if (!copies)
    return success();
  std::string list;
  for (Attribute c : copies) {
    auto entry = dyn_cast<DictionaryAttr>(c);
    auto sym = entry ? entry.getAs<FlatSymbolRefAttr>("param") : nullptr;
    auto at = entry ? entry.getAs<IntegerAttr>("cache") : nullptr;
    auto param =
        sym ? SymbolTable::lookupNearestSymbolFrom<ParamOp>(fn, sym) : nullptr;
    if (!param || !at)
      return fn.emitOpError()
             << "has a '" << kWeightCopiesAttr
             << "' entry that is not {param = @parameter, cache = offset} "
                "(the emitters print the plan of nf-prepare-emission; run it "
                "last)";
    auto shape = param.getTensorType().getShape();
    regions.insert("cache");
    std::string copy =
        "reinterpret_cast<bf16 *>(cache + " + str(at.getInt()) + ")";
    weightCopies[sym.getValue()] = copy;
    list += "          {" + paramPtr(sym.getValue()) + ", " + copy + ", " +
            str(shape[0]) + ", " + str(shape[1]) + "},\n";
  }
  body += "    {\n      // The step's bf16 weight copies.\n"
          "      const WeightCopy weights[] = {\n" +
          list + "      };\n      weightsToBf16(stream, weights);\n    }\n";
  return success();
}

LogicalResult CudaEmitter::run(EmitReport *report) {
  table = layoutParams(module);
  FailureOr<StepModule> m = readStepModule(module, "CUDA");
  if (failed(m) ||
      failed(checkPreparedFor(module, "cuda", options.bf16 ? "bf16" : "fp32")))
    return failure();
  func::FuncOp train = m->trainStep();
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
  // Set by the training binary for the steps it logs (nfrt/Model.h): the
  // train step then runs as the graph with the diagnostics' launches.
  os << "int nf_diagnostics_request = 1;\n\n";

  int64_t arena = 0, naive = 0;
  for (StepFunction &fn : m->fns) {
    // Where each value lives: nf-prepare-emission's plan (gradients in G,
    // bf16 and pitched activations, values written over an operand, the
    // memory plan's arena offsets).
    std::optional<ArenaSize> plan = arenaOf(fn.op);
    std::optional<RegionSizes> sizes = regionsOf(fn.op);
    if (!plan || !sizes)
      return failure();
    inG.clear();
    halfWidth.clear();
    pitched.clear();
    names.clear();
    inTrainStep = fn.op == train;
    // Every value's pointer, where the plan put it, and the value whose
    // storage it names (to declare only the pointers the launches use).
    auto pointers = valuePointers(fn.op, table, names, [](const Placement &p) {
      return "reinterpret_cast<" + std::string(p.bf16 ? "bf16" : "float") +
             " *>(A + " + str(p.offset) + ")";
    });
    if (failed(pointers))
      return failure();
    for (const ValuePointer &v : *pointers) {
      if (v.placement.bf16)
        halfWidth.insert(v.value);
      if (v.placement.pitch)
        pitched[v.value] = v.placement.pitch;
      if (v.placement.kind == Placement::Kind::Gradient)
        inG[v.value] = v.placement.offset;
    }
    buckets = BucketPlan();
    eventsUsed = 0;
    if (fn.op == train && options.ranks > 1)
      buckets = planAllReduceBuckets(fn.op, table, inG, options.bucketBytes);
    statsCache.clear();
    ropeTables.clear();
    ropeCopies.clear();
    body.clear();
    named.clear();
    regions.clear();
    usesBlas = false;
    if (failed(stepWeightCopies(fn.op)))
      return failure();
    for (Operation &op : fn.op.getBody().front()) {
      current = &op;
      if (failed(emitOp(&op)) || missingPiece)
        return failure();
      for (const GradientBucket &b : buckets.after.lookup(&op))
        allReduceBucket(b);
    }
    // The arena: planned values, then caches, scratch and diagnostics.
    int64_t cacheAt = plan->bytes;
    int64_t scratchAt = cacheAt + sizes->cacheFloats * 4;
    int64_t diagAt = scratchAt + sizes->scratchFloats * 4;
    int64_t diagFloats = inTrainStep ? alignFloats(diagnosticNames.size()) : 0;
    int64_t total = diagAt + diagFloats * 4;
    arena = std::max(arena, total);
    naive = std::max(naive, plan->withoutReuse + total - plan->bytes);
    os << "// @" << fn.op.getSymName() << ": arena " << total
       << " bytes: values " << plan->bytes << " (" << plan->withoutReuse
       << " without reuse), caches " << sizes->cacheFloats * 4 << ", scratch "
       << sizes->scratchFloats * 4 << ", diagnostics " << diagFloats * 4
       << "\n";
    // The train step of a model with diagnostics takes whether to compute
    // them (its launches are under `if (diagnostics)`).
    bool withDiagnostics = inTrainStep && !diagnosticNames.empty();
    std::string params = fn.params, args = fn.args;
    if (withDiagnostics) {
      params.insert(params.size() - 1, ", bool diagnostics");
      args += ", diagnostics";
    }
    os << "void " << fn.name << "_launches" << params << " {\n"
       << "  cudaStream_t stream = context().stream;\n"
       << (usesBlas ? "  cublasHandle_t blas = context().blas;\n" : "");
    if (eventsUsed > 0)
      os << "  // The gradient all-reduce's stream and its fork/join events.\n"
         << "  cudaStream_t comm = context().commStream;\n"
         << "  static thread_local StepEvents<" << eventsUsed << "> events;\n";
    // The regions this function uses (an unused pointer is a warning).
    for (auto [region, at] :
         {std::pair<const char *, int64_t>{"cache", cacheAt},
          {"scratch", scratchAt},
          {"diag", diagAt}})
      if (regions.contains(region))
        os << "  float *" << region << " = reinterpret_cast<float *>(A + " << at
           << ");\n";
    // Only the pointers the launches (or kept pointers) use: values fused
    // away or never read would be unused variables (nvcc warning 177).
    std::string kept;
    for (const ValuePointer &v : llvm::reverse(*pointers))
      if (named.count(v.value)) {
        named.insert(v.owner);
        kept.insert(0, "  " + ty(v.value) + " *" + v.name + " = " + v.init +
                           ";\n");
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
    // With diagnostics, two graphs: the logged steps' (diagnostics on)
    // and the others'.
    if (withDiagnostics)
      os << "  bool diagnostics = nf_diagnostics_request != 0;\n"
         << "  static thread_local StepGraph graphs[2];\n"
         << "  graphs[diagnostics].run(context().stream, {" << fn.args
         << "}, [&] { " << fn.name << "_launches(" << args << "); });\n";
    else
      os << "  static thread_local StepGraph graph;\n"
         << "  graph.run(context().stream, {" << fn.args << "}, [&] { "
         << fn.name << "_launches(" << args << "); });\n";
    if (withDiagnostics)
      os << "  if (diagnostics && context().rank == 0)\n    "
            "NF_CUDA_CHECK(cudaMemcpyAsync(nf_diagnostics, "
            "reinterpret_cast<float *>(A + "
         << diagAt << "), " << diagnosticNames.size() * 4
         << ", cudaMemcpyDeviceToHost, context().stream));\n";
    os << "}\n\n";
  }

  if (failed(printModelInfo(*m, table, arena, naive, diagnosticNames,
                            "&nf_diagnostics_request, "
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
        call("launchFill", {numel(f)}, {name(f), f32(f.getValue())},
             tys(f.getResult()));
        return success();
      })
      .Case([&](AddOp a) {
        if (summedInPlace(a))
          return success(); // the embedding backward added in place
        int64_t m = numel(a.getRhs()), n = numel(a.getLhs()) / m;
        call("launchAddBroadcast", {n, m},
             ops(a.getLhs(), a.getRhs(), a.getResult()),
             tys(a.getLhs(), a.getRhs(), a.getResult()));
        return success();
      })
      .Case([&](MulOp a) {
        int64_t m = numel(a.getRhs()), n = numel(a.getLhs()) / m;
        call("launchMulBroadcast", {n, m},
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
        call("launchMulBroadcast", {n, d},
             ops(s.getInput(), s.getGamma(), s.getResult()),
             tys(s.getInput(), s.getGamma(), s.getResult()));
        return success();
      })
      .Case([&](ScaleGradOp s) {
        int64_t n = rows(s.getInput()), d = lastDim(s.getInput());
        // dx = gamma dy; dgamma = column sums of dy * x.
        call("launchMulBroadcast", {n, d},
             ops(s.getGrad(), s.getGamma(), s.getInputGrad()),
             tys(s.getGrad(), s.getGamma(), s.getInputGrad()));
        columnSum(n, d, name(s.getGrad()), name(s.getInput()),
                  name(s.getGammaGrad()), tys(s.getGrad(), s.getInput()));
        return success();
      })
      .Case([&](BiasAddOp s) {
        int64_t n = rows(s.getInput()), d = lastDim(s.getInput());
        call("launchAddBroadcast", {n, d},
             ops(s.getInput(), s.getBias(), s.getResult()),
             tys(s.getInput(), s.getBias(), s.getResult()));
        return success();
      })
      .Case([&](AddRMSNormOp n) {
        int64_t r = rows(n.getSum()), d = lastDim(n.getSum());
        std::string stats = saveStats(n);
        if (d > nfrt::cuda::kMaxRegisterRow) {
          // Rows too long for one warp's registers (nf-fuse-residual-norm
          // and nf-fuse-norm-scale leave these unfused; hand-written IR may
          // not): the add, the norm, the scale.
          call("launchAddBroadcast", {r, d},
               ops(n.getLhs(), n.getRhs(), n.getSum()),
               tys(n.getLhs(), n.getRhs(), n.getSum()));
          call("launchRmsnormForward", {r, d},
               {name(n.getSum()), name(n.getResult()), stats, f32(n.getEps())},
               tys(n.getSum(), n.getResult()));
          if (Value g = n.getGamma())
            call("launchMulBroadcast", {r, d},
                 ops(n.getResult(), g, n.getResult()),
                 tys(n.getResult(), g, n.getResult()));
          return success();
        }
        // The sum, the norm and its scale vector (where nf-fuse-norm-scale
        // put one) in one pass (NormScaleKernels.cuh addRmsnormScaleForward).
        call("launchAddRmsnormScaleForward", {r, d},
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
        std::string stats = saveStats(n);
        if (d > nfrt::cuda::kMaxRegisterRow) {
          // Past the register limit (hand-written IR): norm, then scale.
          call(
              "launchRmsnormForward", {r, d},
              {name(n.getInput()), name(n.getResult()), stats, f32(n.getEps())},
              tys(n.getInput(), n.getResult()));
          call("launchMulBroadcast", {r, d},
               ops(n.getResult(), n.getGamma(), n.getResult()),
               tys(n.getResult(), n.getGamma(), n.getResult()));
          return success();
        }
        // One pass: y = gamma x rstd; rstd cached for the backward.
        call("launchRmsnormScaleForward", {r, d},
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
        std::string cached = savedStats(g);
        if (cached == "nullptr" || d > nfrt::cuda::kMaxRegisterRow)
          return g.emitOpError("needs rows of at most ")
                 << nfrt::cuda::kMaxRegisterRow
                 << " values and the rstd its forward (nf.rmsnorm, "
                    "nf.add_rmsnorm or nf.norm_scale of the same rows, "
                    "earlier in this function) caches";
        // RMSNorm's and the scale's backward in one pass, dgamma from
        // per-block partials (NormScaleKernels.cuh).
        SmallVector<std::string> types =
            tys(g.getInput(), g.getGrad(), g.getInputGrad());
        if (g.getAddend())
          types.push_back(ty(g.getAddend()));
        call("launchRmsnormScaleBackward", {n, d},
             {name(g.getInput()), name(g.getGamma()), name(g.getGrad()), cached,
              optName(g.getAddend()), name(g.getInputGrad()),
              name(g.getGammaGrad()), scratch("partials")},
             types);
        return success();
      })
      .Case([&](RMSNormOp n) {
        int64_t r = rows(n.getInput());
        std::string stats = saveStats(n);
        call("launchRmsnormForward", {r, lastDim(n.getInput())},
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

        SmallVector<std::string> types = tys(n.input, n.grad, n.result);
        if (n.addend)
          types.push_back(ty(n.addend));
        call("launchRmsnormBackward", {r, lastDim(n.input)},
             {name(n.input), name(n.grad), savedStats(n.op), optName(n.addend),
              name(n.result), f32(n.eps.convertToDouble())},
             types);
        return success();
      })
      .Case([&](LayerNormOp n) {
        int64_t r = rows(n.getInput());
        std::string stats = saveStats(n);
        call("launchLayernormForward", {r, lastDim(n.getInput())},
             {name(n.getInput()), name(n.getResult()), stats, f32(n.getEps())},
             tys(n.getInput(), n.getResult()));
        return success();
      })
      .Case([&](LayerNormGradOp n) {
        int64_t r = rows(n.getInput());
        call("launchLayernormBackward", {r, lastDim(n.getInput())},
             {name(n.getInput()), name(n.getGrad()), savedStats(n),
              name(n.getResult()), f32(n.getEps())},
             tys(n.getInput(), n.getGrad(), n.getResult()));
        return success();
      })
      .Case([&](DyTOp n) {
        int64_t s = numel(n.getInput());
        call("launchDytForward", {s},
             ops(n.getInput(), n.getAlpha(), n.getResult()),
             tys(n.getInput(), n.getResult()));
        saturation(n, n.getInput(), name(n.getAlpha()), "nullptr", "nullptr");
        return success();
      })
      .Case([&](DyTGradOp n) {
        int64_t s = numel(n.getInput());
        call("launchDytBackward", {s},
             {name(n.getInput()), name(n.getAlpha()), name(n.getGrad()),
              name(n.getInputGrad()), name(n.getAlphaGrad()),
              scratch("partials")},
             tys(n.getInput(), n.getGrad(), n.getInputGrad()));
        return success();
      })
      .Case([&](DerfOp n) {
        int64_t s = numel(n.getInput());
        call("launchDerfForward", {s},
             {name(n.getInput()), name(n.getAlpha()), name(n.getShift()),
              "nullptr", name(n.getResult())},
             tys(n.getInput(), n.getResult()));
        saturation(n, n.getInput(), name(n.getAlpha()), name(n.getShift()),
                   "nullptr");
        return success();
      })
      .Case([&](DerfGradOp n) {
        int64_t s = numel(n.getInput());
        call("launchDerfBackward", {s},
             {name(n.getInput()), name(n.getAlpha()), name(n.getShift()),
              "nullptr", name(n.getGrad()), name(n.getInputGrad()),
              name(n.getAlphaGrad()), name(n.getShiftGrad()),
              scratch("partials")},
             tys(n.getInput(), n.getGrad(), n.getInputGrad()));
        return success();
      })
      .Case([&](DerfEMAOp n) {
        int64_t r = rows(n.getInput()), d = lastDim(n.getInput()), s = r * d;
        // Each row's RMS (scratch), the running scale's update and 1 / c
        // (`inv`, which the saturation diagnostics read too).
        std::string rms = scratch("rms");
        std::string inv = scratch("inv_scale");
        call("launchRowRms", {r, d}, {name(n.getInput()), rms},
             tys(n.getInput()));
        call("launchEmaUpdate", {r},
             {rms, name(n.getRunning()), name(n.getNewRunning()), inv,
              f32(n.getMomentum()), f32(n.getBlend())});
        call("launchDerfForward", {s},
             {name(n.getInput()), name(n.getAlpha()), name(n.getShift()), inv,
              name(n.getResult())},
             tys(n.getInput(), n.getResult()));
        saturation(n, n.getInput(), name(n.getAlpha()), name(n.getShift()),
                   inv);
        return success();
      })
      .Case([&](DerfEMAGradOp n) {
        int64_t s = numel(n.getInput());
        std::string inv = scratch("inv_scale");
        std::string partials = scratch("partials");
        call("launchEmaInvScale", {},
             {name(n.getRunning()), inv, f32(n.getBlend())});
        call("launchDerfBackward", {s},
             {name(n.getInput()), name(n.getAlpha()), name(n.getShift()), inv,
              name(n.getGrad()), name(n.getInputGrad()), name(n.getAlphaGrad()),
              name(n.getShiftGrad()), partials},
             tys(n.getInput(), n.getGrad(), n.getInputGrad()));
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
          if (!accumulatesInPlace(l))
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
        std::string wb =
            options.bf16 ? weightOperand(l.getWeight()) : name(l.getWeight());
        std::string args = name(l.getInput()) + ", " + wb + ", " +
                           name(l.getGrad()) + ", " + name(l.getInputGrad()) +
                           ", " + name(l.getWeightGrad());
        if (options.bf16)
          body += "    linearBackwardBf16<" + dims + ">(" + blas() +
                  ", stream, " + args + ", " + scratch("gemm") + ");\n";
        else
          body += "    linearBackward<" + dims + ">(" + blas() + ", " + args +
                  ");\n";
        return success();
      })
      .Case([&](EmbeddingOp e) {
        int64_t n = numel(e.getTokens()), d = lastDim(e.getTable());
        call("launchEmbeddingForward", {n, d},
             ops(e.getTokens(), e.getTable(), e.getResult()),
             tys(e.getResult()));
        return success();
      })
      .Case([&](EmbeddingGradOp e) {
        // Sorted by token, each dy row read once; the launcher owns its
        // kernels' grids and scratch layout (EmbeddingKernels.cuh).
        auto t = cast<RankedTensorType>(e.getType()).getShape();
        int64_t n = numel(e.getTokens());
        bool accumulate = e->hasAttr(kAccumulateAttr);
        std::string args = str(n) + ", " + str(t[0]) + ", " + str(t[1]);
        if (accumulate || halfWidth.count(e.getGrad()))
          args += ", " + ty(e.getGrad());
        if (accumulate)
          args += ", true";
        body += "    launchEmbeddingBackward<" + args + ">(stream, " +
                name(e.getTokens()) + ", " + name(e.getGrad()) + ", " +
                name(e.getResult()) + ", " + scratch("sort") + ");\n";
        return success();
      })
      .Case<AttentionOp, AttentionGradOp>([&](auto a) -> LogicalResult {
        auto s = cast<RankedTensorType>(a.getQuery().getType()).getShape();
        int64_t b = s[0], t = s[1], h = s[2], hd = s[3];
        // nf-prepare-emission's nf.flash: flash attention on the tensor
        // cores (bf16 mode, FlashAttentionKernels.cuh: any T, head dims
        // 16..128 in steps of 16); else the exact fp32 kernels with a row
        // of probabilities per warp in shared memory.
        bool flash = a->hasAttr(kFlashAttr);
        int64_t smem = nfrt::cuda::attentionSharedBytes(t);
        if (!flash && smem > nfrt::cuda::kMaxSharedBytes)
          return a.emitOpError("sequence length ")
                 << t << " needs " << smem
                 << " bytes of shared memory in the fp32 CUDA attention "
                    "kernel (at most "
                 << nfrt::cuda::kMaxSharedBytes
                 << "; bf16 mode's flash attention takes any length for head "
                    "dims 16..128 in steps of 16)";
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
          auto table = a->template getAttrOfType<IntegerAttr>(kRopeTableAttr);
          if (!table)
            return a.emitOpError("has RoPE but no nf.rope_table (the "
                                 "emitter prints nf-prepare-emission's plan)");
          // The table's first reader has its cache piece and fills it.
          if (hasPiece(kCacheAttr, "rope_table")) {
            std::string tbl = ropeTables[table.getInt()] = cache("rope_table");
            body += "    launchRopeTable<" + str(t) + ", " + str(hd) +
                    ">(stream, " + tbl + ", " + f64(theta) + ");\n";
          }
          if (!ropeTables.count(table.getInt()))
            return a.emitOpError("reads RoPE angle table ")
                   << table.getInt()
                   << " before an op fills it (no earlier 'rope_table' piece "
                      "in nf.cache)";
          angles = ropeTables.lookup(table.getInt());
          auto copies = a->template getAttrOfType<IntegerAttr>(kRopeCopiesAttr);
          auto kept =
              copies ? ropeCopies.find(copies.getInt()) : ropeCopies.end();
          if (kept != ropeCopies.end()) {
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
            // the backward (nf.rope_copies, pieces of nf.cache); other
            // functions use scratch.
            bool keep = bool(copies) && hasPiece(kCacheAttr, "rope_q");
            std::string type = flash ? "bf16" : "float";
            std::string qr = keep ? cache("rope_q") : scratch("rope_q");
            std::string kr = keep ? cache("rope_k") : scratch("rope_k");
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
              ropeCopies[copies.getInt()] = {q, k, qk};
          }
        }
        if constexpr (std::is_same_v<decltype(a), AttentionOp>) {
          // The train step keeps each row's softmax statistics (m, 1/l)
          // for the backward (FlashAttentionKernels.cuh), keyed by q as the
          // norms' row statistics are by their input.
          std::string stats = saveStats(a);
          if (flash)
            body += "    flashAttentionForward<" + dims + ", " + qk + ", " +
                    ty(a.getValue()) + ", " + ty(a.getResult()) + ">(stream, " +
                    q + ", " + k + ", " + name(a.getValue()) + ", " +
                    name(a.getResult()) + ", " + stats + ");\n";
          else
            call("launchAttentionForward", {b, t, h, hd},
                 {q, k, name(a.getValue()), name(a.getResult())},
                 {qk, ty(a.getValue()), ty(a.getResult())});
        } else {
          // Flash attention's backward reads the forward's output (for
          // D = rowsum(dO O)) and statistics; without both it runs the
          // forward again into its scratch.
          std::string cached = savedStats(a);
          bool reuse = flash && a.getOutput() && cached != "nullptr";
          std::string stats = scratch("attention");
          std::string dq = name(a.getQueryGrad()), dk = name(a.getKeyGrad());
          std::string dqAt = ty(a.getQueryGrad()), dkAt = ty(a.getKeyGrad());
          // The un-rotation of dq and dk reads them in fp32 (scratch when
          // they are stored in bf16): it rounds once, as it writes them.
          bool unrotate = theta > 0;
          if (unrotate && (dqAt == "bf16" || dkAt == "bf16")) {
            dq = scratch("dq");
            dk = scratch("dk");
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
                    (reuse ? cached : "nullptr") + ", " + dq + ", " + dk +
                    ", " + name(a.getValueGrad()) + ", " + stats + ");\n";
          } else {
            call("launchAttentionBackward", {b, t, h, hd},
                 {q, k, name(a.getValue()), name(a.getGrad()), dq, dk,
                  name(a.getValueGrad()), stats},
                 {qk, ty(a.getValue()), ty(a.getGrad()), dqAt, dkAt,
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
        call("launchGeluForward", {numel(g)}, ops(g.getInput(), g.getResult()),
             tys(g.getInput(), g.getResult()));
        return success();
      })
      .Case([&](GeluGradOp g) {
        call("launchGeluBackward", {numel(g)},
             ops(g.getInput(), g.getGrad(), g.getResult()),
             tys(g.getInput(), g.getGrad(), g.getResult()));
        return success();
      })
      .Case([&](SiluOp g) {
        call("launchSiluForward", {numel(g)}, ops(g.getInput(), g.getResult()),
             tys(g.getInput(), g.getResult()));
        return success();
      })
      .Case([&](SiluGradOp g) {
        call("launchSiluBackward", {numel(g)},
             ops(g.getInput(), g.getGrad(), g.getResult()),
             tys(g.getInput(), g.getGrad(), g.getResult()));
        return success();
      })
      .Case([&](CrossEntropyOp c) {
        int64_t n = rows(c.getLogits()), v = lastDim(c.getLogits());
        std::string rowLoss = scratch("row_loss");
        std::string stats = saveStats(c);
        call("launchCrossEntropyForward", {n, v},
             {name(c.getLogits()), name(c.getTargets()), stats,
              name(c.getResult()), rowLoss},
             tys(c.getLogits()));
        return success();
      })
      .Case([&](FusedCrossEntropyOp c) {
        // The online softmax and, in bf16 mode where logitsGradsInPlace
        // (nf-prepare-emission) allows, bf16 dlogits named with the logits'
        // pointer (the memory plan's alias): the kernel overwrites the logits
        // in place.
        int64_t n = rows(c.getLogits()), v = lastDim(c.getLogits());
        std::string rowLoss = scratch("row_loss");
        SmallVector<std::string> types = tys(c.getLogits(), c.getLogitsGrad());
        // Pitched logits (nf-prepare-emission's pitchedLogits): rows of the
        // head GEMM's pitch, and dlogits with zero pad columns; ONLINE (bf16)
        // and PITCH.
        if (pitched.count(c.getLogits())) {
          assert(pitched.count(c.getLogitsGrad()) &&
                 "pitched logits with compact dlogits");
          types.append({"true", str(pitched.lookup(c.getLogits()))});
        }
        call("launchCrossEntropyFused", {n, v},
             {name(c.getLogits()), name(c.getTargets()),
              name(c.getLogitsGrad()), f32(c.getSeed()), name(c.getLoss()),
              rowLoss},
             types);
        return success();
      })
      .Case([&](CrossEntropyGradOp c) {
        int64_t n = rows(c.getLogits()), v = lastDim(c.getLogits());
        call("launchCrossEntropyBackward", {n, v},
             {name(c.getLogits()), name(c.getTargets()), savedStats(c),
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
        std::string partials = scratch("partials");
        body += "    {\n      const SumSquaresTensor tensors[] = {\n" + table +
                "      };\n      launchGlobalNorm(stream, tensors, " +
                str(sizes.size()) + ", " + partials + ", " + name(g) +
                ");\n    }\n";
        return success();
      })
      .Case([&](ClipCoefOp c) {
        call("launchClipCoef", {},
             {name(c.getNorm()), name(c), f32(c.getMaxNorm())});
        return success();
      })
      .Case([&](LRFactorOp l) {
        const char *kinds[] = {"Constant", "WarmupCosine", "WSD"};
        call("launchLrFactor", {},
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
        call("launchAdamW", {numel(a.getParam())},
             {name(a.getParam()), name(a.getGrad()), name(a.getM()),
              name(a.getV()), name(a.getLr()), name(a.getStep()),
              optName(a.getGradScale()), f32(a.getBeta1()), f32(a.getBeta2()),
              f32(a.getEps()), f32(a.getWeightDecay()), name(a.getNewParam()),
              name(a.getNewM()), name(a.getNewV())});
        return success();
      })
      .Case([&](MomentumOp m) {
        call("launchMomentum", {numel(m.getGrad())},
             {name(m.getGrad()), name(m.getBuffer()), optName(m.getGradScale()),
              f32(m.getBeta()), m.getNesterov() ? "true" : "false",
              name(m.getNewBuffer()), name(m.getUpdate())});
        return success();
      })
      .Case([&](NewtonSchulzOp n) {
        auto s = cast<RankedTensorType>(n.getType()).getShape();
        std::string buf = scratch("workspace");
        body += "    newtonSchulz<" + str(s[0]) + ", " + str(s[1]) +
                (options.bf16 ? ", true" : "") + ">(" + blas() + ", stream, " +
                name(n.getInput()) + ", " + name(n.getResult()) + ", " + buf +
                ", " + str(n.getSteps()) + ", " + f32(n.getA()) + ", " +
                f32(n.getB()) + ", " + f32(n.getC()) + ");\n";
        return success();
      })
      .Case([&](MuonApplyOp m) {
        call("launchMuonApply", {numel(m.getParam())},
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
        std::string x = name(f.getInput()), xn = scratch("normalized");
        std::string eps = f.getEps() ? f32(*f.getEps()) : "0.f";
        // The normalized rows stay fp32 (scratch): the GEMM rounds them.
        SmallVector<std::string> types = {ty(f.getInput()), "float"};
        switch (f.getKind()) {
        case NormKind::RMSNorm:
          call("launchRmsnormForward", {n, d}, {x, xn, "nullptr", eps}, types);
          break;
        case NormKind::LayerNorm:
          call("launchLayernormForward", {n, d}, {x, xn, "nullptr", eps},
               types);
          break;
        case NormKind::DyT:
          call("launchDytForward", {n * d}, {x, name(sc[0]), xn}, types);
          break;
        case NormKind::Derf:
          call("launchDerfForward", {n * d},
               {x, name(sc[0]), name(sc[1]), "nullptr", xn}, types);
          break;
        }
        std::string xs = scratch("scaled");
        for (auto [i, w] : llvm::enumerate(f.getWeights())) {
          auto ws = cast<RankedTensorType>(w.getType()).getShape();
          Value gamma = f.getGammaOf(i), beta = f.getBiasOf(i);
          std::string in = xn;
          if (gamma || beta) {
            call("launchScaleBias", {n, d},
                 {xn, optName(gamma), optName(beta), xs});
            in = xs;
          }
          linear(n, ws[1], ws[0], in, w, name(f.getResult(i)), "float",
                 ty(f.getResult(i)), false, "gemm_" + str(i));
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
