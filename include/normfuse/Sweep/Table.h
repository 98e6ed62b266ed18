//===- Table.h - result tables as CSV and Markdown --------------*- C++ -*-===//
#ifndef NORMFUSE_SWEEP_TABLE_H
#define NORMFUSE_SWEEP_TABLE_H

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace normfuse::sweep {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

/// RFC 4180 CSV: a field with a comma, quote or newline is quoted, quotes
/// doubled; lines end in \n.
void writeCsv(const Table &table, llvm::raw_ostream &os);

/// A GitHub Markdown table; '|' inside a cell is escaped.
void writeMarkdown(const Table &table, llvm::raw_ostream &os);

} // namespace normfuse::sweep

#endif // NORMFUSE_SWEEP_TABLE_H
