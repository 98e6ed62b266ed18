//===- EmissionPlan.h - where every value lives, as IR attributes -*- C++
//-*-===//
//
// nf-prepare-emission (lib/Codegen/PrepareEmission.cpp) decides, for the
// target it is given, where each value of the three step functions is
// stored and in what precision, and records it on the IR; the emitters
// then only print what these attributes say. What it records:
//
//   - on every op result, `nf.buffers`, one dictionary per result:
//       {arena = B}            B bytes into the function's arena A
//       {grad = F}             F floats into the gradient buffer G
//       {param = @sym}         the parameter's (or state's) own storage in P
//       {operand = i}          operand i's storage (a reshape, or a value
//                              its kernel writes over that operand)
//     with `storage = bf16` when a CUDA bf16-mode activation is stored in
//     2 bytes, and `pitch = P` when its rows are P elements apart (the
//     padded bf16 logits);
//   - on each step function, `nf.arena_bytes` and
//     `nf.arena_bytes_without_reuse` (the memory plan's sizes);
//   - `nf.row_stats = k` on a forward op that keeps its rows' statistics
//     for its backward (CPU: nf.norm_scale; CUDA train step: the norms,
//     the cross-entropy and flash attention) and on the backward that
//     reads them (the k-th cache of the module);
//   - `nf.flash` on a CUDA attention (and its gradient) that runs as flash
//     attention on the tensor cores;
//   - CUDA RoPE: `nf.rope_table = k` on each attention that reads the
//     function's k-th angle table (the first fills it), `nf.rope_copies =
//     j` on a train-step attention that keeps its rotated q and k in the
//     cache and on the backward that reads them;
//   - `nf.weight_copies = [{param = @w, cache = F}, ...]` on a CUDA bf16
//     step function: the parameters its GEMMs read as weights, rounded to
//     bf16 once at its start into the cache, F floats in;
//   - the CUDA cache and scratch regions (lib/Codegen/CudaRegions.cpp):
//     `nf.cache = {piece = F, ...}` on an op that fills a piece of the
//     function's cache (row_stats, rope_table, rope_q, rope_k) and
//     `nf.scratch = {piece = F, ...}` on an op whose launches take
//     scratch (partials, gemm, rope_q, ...), F floats into the region;
//     `nf.cache_floats` and `nf.scratch_floats` on each step function;
//   - `nf.accumulate` on a CUDA nf.embedding_grad that adds into the tied
//     head's gradient in place;
//   - on the module, `nf.emission = {target = "cpu"|"cuda", precision =
//     "fp32"|"bf16"}`: the target the plan was made for.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_CODEGEN_EMISSIONPLAN_H
#define NORMFUSE_CODEGEN_EMISSIONPLAN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>

namespace normfuse {

/// Where one value is stored (one entry of `nf.buffers`).
struct Placement {
  enum class Kind { Arena, Gradient, Param, Operand };
  Kind kind = Kind::Arena;
  /// Arena: byte offset in A. Gradient: float offset in G. Operand: the
  /// operand's index.
  int64_t offset = 0;
  /// Param: the parameter's symbol.
  llvm::StringRef param;
  /// Stored in bf16 (2 bytes an element) instead of its element type.
  bool bf16 = false;
  /// Elements between rows when padded (0: rows are packed).
  int64_t pitch = 0;
};

constexpr llvm::StringLiteral kBuffersAttr = "nf.buffers";
constexpr llvm::StringLiteral kArenaBytesAttr = "nf.arena_bytes";
constexpr llvm::StringLiteral kArenaWithoutReuseAttr =
    "nf.arena_bytes_without_reuse";
constexpr llvm::StringLiteral kRowStatsAttr = "nf.row_stats";
constexpr llvm::StringLiteral kAccumulateAttr = "nf.accumulate";
constexpr llvm::StringLiteral kFlashAttr = "nf.flash";
constexpr llvm::StringLiteral kRopeTableAttr = "nf.rope_table";
constexpr llvm::StringLiteral kRopeCopiesAttr = "nf.rope_copies";
constexpr llvm::StringLiteral kWeightCopiesAttr = "nf.weight_copies";
constexpr llvm::StringLiteral kEmissionAttr = "nf.emission";
constexpr llvm::StringLiteral kCacheAttr = "nf.cache";
constexpr llvm::StringLiteral kScratchAttr = "nf.scratch";
constexpr llvm::StringLiteral kCacheFloatsAttr = "nf.cache_floats";
constexpr llvm::StringLiteral kScratchFloatsAttr = "nf.scratch_floats";

/// The dictionary of `p` as `nf.buffers` holds it.
mlir::DictionaryAttr placementAttr(mlir::MLIRContext *ctx, const Placement &p);

/// Where the result `v` is stored; std::nullopt (after an error on its
/// op) when the op has no valid `nf.buffers` entry for it.
std::optional<Placement> placementOf(mlir::Value v);

/// The arena sizes nf-prepare-emission recorded on `fn`.
struct ArenaSize {
  int64_t bytes = 0, withoutReuse = 0;
};
std::optional<ArenaSize> arenaOf(mlir::func::FuncOp fn);

/// The float offset of `op`'s piece `piece` of the region `regionAttr`
/// (kCacheAttr or kScratchAttr); std::nullopt (after an error on `op`)
/// when the plan has no such piece.
std::optional<int64_t> regionPiece(mlir::Operation *op,
                                   llvm::StringRef regionAttr,
                                   llvm::StringRef piece);

/// A CUDA step function's cache and scratch sizes, in floats.
struct RegionSizes {
  int64_t cacheFloats = 0, scratchFloats = 0;
};
std::optional<RegionSizes> regionsOf(mlir::func::FuncOp fn);

/// Checks that `module` was prepared for `target` ("cpu", "cuda") in
/// `precision` ("fp32", "bf16"); else an error that says which
/// nf-prepare-emission to run.
mlir::LogicalResult checkPreparedFor(mlir::ModuleOp module,
                                     llvm::StringRef target,
                                     llvm::StringRef precision);

} // namespace normfuse

#endif // NORMFUSE_CODEGEN_EMISSIONPLAN_H
