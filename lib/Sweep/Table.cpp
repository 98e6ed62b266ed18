//===- Table.cpp - result tables as CSV and Markdown ----------------------===//
#include "normfuse/Sweep/Table.h"

using namespace normfuse::sweep;

static void csvField(llvm::StringRef field, llvm::raw_ostream &os) {
  if (field.find_first_of(",\"\n\r") == llvm::StringRef::npos) {
    os << field;
    return;
  }
  os << '"';
  for (char c : field)
    os << (c == '"' ? "\"\"" : llvm::StringRef(&c, 1));
  os << '"';
}

static void csvLine(const std::vector<std::string> &fields,
                    llvm::raw_ostream &os) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i)
      os << ',';
    csvField(fields[i], os);
  }
  os << '\n';
}

void normfuse::sweep::writeCsv(const Table &table, llvm::raw_ostream &os) {
  csvLine(table.header, os);
  for (const std::vector<std::string> &row : table.rows)
    csvLine(row, os);
}

static void markdownLine(const std::vector<std::string> &fields,
                         llvm::raw_ostream &os) {
  os << '|';
  for (const std::string &f : fields) {
    os << ' ';
    for (char c : f) {
      if (c == '|')
        os << "\\|";
      else if (c == '\n')
        os << ' ';
      else
        os << c;
    }
    os << " |";
  }
  os << '\n';
}

void normfuse::sweep::writeMarkdown(const Table &table, llvm::raw_ostream &os) {
  markdownLine(table.header, os);
  os << '|';
  for (size_t i = 0; i < table.header.size(); ++i)
    os << "---|";
  os << '\n';
  for (const std::vector<std::string> &row : table.rows)
    markdownLine(row, os);
}
