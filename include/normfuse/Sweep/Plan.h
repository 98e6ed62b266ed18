//===- Plan.h - the runs of a sweep -----------------------------*- C++ -*-===//
//
// A grid expands into cells (one level of every factor), each cell into
// variants (one learning rate of the cell's optimizer; each variant is one
// spec and one compiled binary) and each variant into runs (one per seed,
// sharing the variant's binary). Runs are ordered seed by seed, so a sweep
// stopped half-way has every cell at fewer seeds rather than some cells at
// all seeds.
//
// Variant specs are the base spec as its file writes it (defaults that
// derive from other fields, such as the per-branch norm tables and d_ff,
// stay derived) with the grid's overrides applied by dotted path, data
// paths made absolute, and model.name set to "<grid>-<variant>".
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SWEEP_PLAN_H
#define NORMFUSE_SWEEP_PLAN_H

#include "normfuse/Sweep/Grid.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace normfuse::sweep {

struct Cell {
  std::vector<int> levels; // per factor
  std::string id;          // level names joined by "_" (file-safe)
  std::vector<size_t> variants;
};

struct Variant {
  size_t cell = 0;
  size_t lrIndex = 0;
  std::string lrLabel; // "" when the optimizer has no lr sweep
  std::string id;      // cell id, then "_lr<label>"
  std::string optimizer;
  std::string specText; // strict JSON
  std::vector<std::string> buildFlags;
  int64_t steps = 0;
  std::string trainData; // absolute; "" without a data table
  bool textData = true;
};

struct Run {
  size_t variant = 0;
  uint64_t seed = 0;
  std::string dir; // runs/<variant>/seed-<seed>, relative to the sweep dir
};

struct Plan {
  std::vector<Cell> cells;
  std::vector<Variant> variants;
  std::vector<Run> runs;
};

/// The base spec as written, strict JSON: the checked, resolved spec (nfc
/// spec) less the fields its file leaves to derived defaults and less
/// nulls, data paths absolute.
llvm::Expected<llvm::json::Object> loadBaseSpec(llvm::StringRef path);

/// Sets `dotted` ("model.norm.kind") in `spec`, creating tables on the way.
/// Fails when a prefix names a value that is not a table.
llvm::Error setField(llvm::json::Object &spec, llvm::StringRef dotted,
                     const llvm::json::Value &value);

/// Expands `grid` over `base`; every variant spec is checked by the spec
/// loader, and an invalid one is an error naming the grid, cell and field.
llvm::Expected<Plan> planSweep(const Grid &grid,
                               const llvm::json::Object &base);

} // namespace normfuse::sweep

#endif // NORMFUSE_SWEEP_PLAN_H
