//===- Grid.h - the grid file of nfc sweep ----------------------*- C++ -*-===//
//
// A grid names a base spec, factors (each a list of named levels, each level
// a set of spec-field overrides by dotted path), a learning-rate sweep per
// optimizer kind, seeds and a baseline. docs/sweep.md documents the format.
// Every error is one line naming the grid file, the position and the field.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SWEEP_GRID_H
#define NORMFUSE_SWEEP_GRID_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace normfuse::sweep {

/// One spec-field override: "model.norm.kind" = "dyt".
struct Override {
  std::string path;
  llvm::json::Value value = nullptr;
};

struct Level {
  std::string name;
  std::vector<Override> set; // in path order: a table before its fields
  std::vector<std::string> buildFlags; // extra `nfc build` flags (--fuse)
};

struct Factor {
  std::string name;
  std::vector<Level> levels;
};

/// One learning-rate setting of an optimizer: the i-th value of each listed
/// field, applied together.
struct LrChoice {
  std::string label; // "3e-3" or "0.02/3e-3" with several fields
  std::vector<Override> set;
};

struct Grid {
  std::string path;   // the grid file as named
  std::string name;   // "name", default: the file's stem
  std::string base;   // the base spec, resolved against the grid's folder
  std::string outDir; // "out_dir" resolved against the grid's folder, or ""
  std::vector<Override> set; // applied to every run first
  std::vector<Factor> factors;
  std::map<std::string, std::vector<LrChoice>> lr; // optimizer kind -> values
  std::vector<uint64_t> seeds;
  /// Per factor: the baseline level, or -1 when "baseline" does not name it.
  std::vector<int> baseline;
  int jobs = 0;          // 0: cores / threads_per_run
  int threadsPerRun = 1; // OMP_NUM_THREADS of each run
  /// The reference level of factor `f` for gaps and interactions: the
  /// baseline's level when named, else the first.
  int referenceLevel(size_t f) const {
    return baseline[f] >= 0 ? baseline[f] : 0;
  }
};

/// Parses grid JSON (strict JSON plus // and /* */ comments).
llvm::Expected<Grid> parseGrid(llvm::StringRef text, llvm::StringRef path);

/// Reads and parses a grid file.
llvm::Expected<Grid> loadGridFile(llvm::StringRef path);

/// `text` with every comment replaced by spaces (newlines kept), so that
/// positions in the result are positions in `text`.
std::string blankJsonComments(llvm::StringRef text);

/// A name usable in file names: characters outside [A-Za-z0-9._=-] -> '_'.
std::string fileSafe(llvm::StringRef name);

} // namespace normfuse::sweep

#endif // NORMFUSE_SWEEP_GRID_H
