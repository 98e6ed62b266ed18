//===- TableTest.cpp - CSV quoting and Markdown escaping ------------------===//
#include "normfuse/Sweep/Table.h"

#include <gtest/gtest.h>

using namespace normfuse::sweep;

TEST(SweepTable, Csv) {
  Table t{{"a", "b"}, {{"1,5", "say \"hi\""}, {"x", ""}}};
  std::string out;
  llvm::raw_string_ostream os(out);
  writeCsv(t, os);
  EXPECT_EQ(out, "a,b\n\"1,5\",\"say \"\"hi\"\"\"\nx,\n");
}

TEST(SweepTable, Markdown) {
  Table t{{"a", "b"}, {{"x|y", "2"}}};
  std::string out;
  llvm::raw_string_ostream os(out);
  writeMarkdown(t, os);
  EXPECT_EQ(out, "| a | b |\n|---|---|\n| x\\|y | 2 |\n");
}
