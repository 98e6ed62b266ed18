//===- JsonLocatorTest.cpp - field paths and positions in spec JSON
//---------===//
#include "normfuse/Spec/JsonLocator.h"

#include <gtest/gtest.h>

using normfuse::JsonLocator;
using normfuse::TextPosition;

namespace {

const char *kSpec = "// a comment with { braces } and \"quotes\"\n"
                    "{\n"
                    "  model: {\n"
                    "    \"d_model\": 64,\n"
                    "    norm: { kind: \"dyt\", alpha: 0.5 } /* c */,\n"
                    "    name: \"a, b: {c}\"\n"
                    "  },\n"
                    "  run: { steps: 10 }\n"
                    "}\n";

TEST(JsonLocator, FindsValueStartsOfNestedFields) {
  JsonLocator loc(kSpec);
  std::optional<TextPosition> d = loc.find("model.d_model");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->line, 4u);
  EXPECT_EQ(d->col, 16u);
  std::optional<TextPosition> alpha = loc.find("model.norm.alpha");
  ASSERT_TRUE(alpha);
  EXPECT_EQ(alpha->line, 5u);
  EXPECT_EQ(alpha->col, 33u);
  std::optional<TextPosition> norm = loc.find("model.norm");
  ASSERT_TRUE(norm);
  EXPECT_EQ(norm->col, 11u);
  EXPECT_TRUE(loc.find("run.steps"));
}

TEST(JsonLocator, StringsWithPunctuationDoNotConfuseTheScan) {
  JsonLocator loc(kSpec);
  // The comma, colon and braces inside the name's string are not syntax.
  EXPECT_TRUE(loc.find("model.name"));
  EXPECT_TRUE(loc.find("run.steps"));
  EXPECT_FALSE(loc.find("model.b"));
  EXPECT_FALSE(loc.find("model.c"));
}

TEST(JsonLocator, AbsentFieldsAreNotFound) {
  JsonLocator loc(kSpec);
  EXPECT_FALSE(loc.find("model.n_heads"));
  EXPECT_FALSE(loc.find("optimizer"));
}

TEST(JsonLocator, PathBeforeNamesTheLastValueRead) {
  JsonLocator loc(kSpec);
  // Just after `"dyt"` on line 5.
  EXPECT_EQ(loc.pathBefore({5, 25}), "model.norm.kind");
  EXPECT_EQ(loc.pathBefore({8, 20}), "run.steps");
  EXPECT_EQ(loc.pathBefore({1, 1}), "");
  // A cursor column counts consumed characters: line 4 "    \"d_model\": 64"
  // has 17 characters up to and including the 4 of 64.
  EXPECT_EQ(loc.pathBeforeCursor(4, 17), "model.d_model");
}

TEST(JsonLocator, ArraysIndexTheirElements) {
  JsonLocator loc("{ a: [ 1, { b: 2 } ] }");
  EXPECT_TRUE(loc.find("a[0]"));
  EXPECT_TRUE(loc.find("a[1].b"));
}

TEST(JsonLocator, TruncatedTextIsScannedAsFarAsItGoes) {
  JsonLocator loc("{ model: { d_model: 64, n_heads: \"unterminated");
  EXPECT_TRUE(loc.find("model.d_model"));
  EXPECT_TRUE(loc.find("model.n_heads"));
}

// Nested 30,000 deep, the scan used to take seconds and gigabytes (a path
// string per value, as long as the depth): it now stops at the limit.
TEST(JsonLocator, StopsAtTheNestingLimit) {
  std::string deep = "{ model: { x:\n" + std::string(30000, '[') +
                     std::string(30000, ']') + " } }";
  JsonLocator loc(deep);
  std::optional<TextPosition> at = loc.tooDeep();
  ASSERT_TRUE(at);
  EXPECT_EQ(at->line, 2u);
  // Two objects are open, so the 31st '[' is the 33rd level.
  EXPECT_EQ(at->col, normfuse::kMaxJsonNesting - 2 + 1);
  EXPECT_FALSE(JsonLocator("{ a: [[[1]]] }").tooDeep());
}

TEST(JsonLocator, LongKeysAreCutInPaths) {
  std::string key(100000, 'k');
  JsonLocator loc("{ " + key + ": { a: 1, b: 2 } }");
  EXPECT_TRUE(loc.find(std::string(256, 'k') + ".b"));
}

} // namespace
