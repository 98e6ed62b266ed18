//===- CppLiteralTest.cpp - spec strings in generated source --------------===//
//
// emit::cppStringLiteral is the one way a spec's strings reach generated
// code: whatever bytes go in, the literal reads back to exactly them, stays
// on its line, and leaves the tokens around it alone. The strict lexer the
// fuzz targets use to check this is itself checked here.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Codegen/CppLiteral.h"
#include "normfuse/Spec/SpecLoader.h"

#include "../support/CppTokens.h"

#include <gtest/gtest.h>

#include <random>

using normfuse::emit::cppStringLiteral;

namespace {

/// `s` printed in a comment and in a statement, as the emitters do.
std::string embed(const std::string &s) {
  std::string lit = cppStringLiteral(s);
  return "// for model " + lit + ". Do not edit\nconst char *name = " + lit +
         ";\nint after = 1;\n";
}

void expectSafe(const std::string &s) {
  std::vector<nftest::CppToken> tokens, plain;
  ASSERT_EQ(nftest::lexCpp(embed(s), tokens), "") << cppStringLiteral(s);
  ASSERT_EQ(nftest::lexCpp(embed("x"), plain), "");
  EXPECT_EQ(nftest::shapeOf(tokens), nftest::shapeOf(plain))
      << cppStringLiteral(s);
  EXPECT_TRUE(nftest::hasLiteral(tokens, s)) << cppStringLiteral(s);
}

TEST(CppLiteral, HostileStringsStayLiterals) {
  for (const char *s : {"gpt-tiny", "", "x\"; system(\"rm -rf ~\"); //", "a\\",
                        "a\\\nb", "line\nbreak */ /*", "?\?=define", "tri?\?/",
                        "\"\"\"", "\\\\\\", "tab\there", "0\0001"})
    expectSafe(s);
  expectSafe(std::string("nul\0inside", 10));
}

TEST(CppLiteral, EveryByteReadsBack) {
  std::string all;
  for (int b = 0; b < 256; ++b)
    all += char(b);
  expectSafe(all);
  // An escape is always three digits, so a digit after it is its own.
  EXPECT_EQ(cppStringLiteral(std::string("\x01") + "7"), "\"\\0017\"");
  EXPECT_EQ(cppStringLiteral("a\"b"), "\"a\\042b\"");
  EXPECT_EQ(cppStringLiteral("plain name-1.x=y"), "\"plain name-1.x=y\"");
}

TEST(CppLiteral, RandomBytesReadBack) {
  std::mt19937 rng(7);
  for (int n = 0; n < 2000; ++n) {
    std::string s(rng() % 40, '\0');
    for (char &c : s)
      c = char(rng() % 256);
    expectSafe(s);
  }
}

// The checker must catch what an unescaped string would do.
TEST(CppTokens, RefusesWhatTheEmittersNeverPrint) {
  std::vector<nftest::CppToken> t;
  EXPECT_NE(nftest::lexCpp("const char *s = \"a\nb\";", t), "");
  EXPECT_NE(nftest::lexCpp("// comment \\\nint x;", t), "");
  EXPECT_NE(nftest::lexCpp("const char *s = \"?"
                           "?=\";",
                           t),
            "");
  EXPECT_NE(nftest::lexCpp("const char *s = R\"(x)\";", t), "");
  EXPECT_NE(nftest::lexCpp("const char *s = \"\\q\";", t), "");
  // An unescaped quote changes the token stream, which shapeOf shows.
  std::vector<nftest::CppToken> a, b;
  ASSERT_EQ(nftest::lexCpp("f(\"x\"); g();", a), "");
  ASSERT_EQ(nftest::lexCpp("f(\"x\"); system(\"y\"); g();", b), "");
  EXPECT_NE(nftest::shapeOf(a), nftest::shapeOf(b));
}

TEST(ModelName, IsANameNeverAPath) {
  using normfuse::checkModelName;
  for (const char *ok :
       {"gpt-tiny", "a", "_x", "sweep-norm=dyt_lr3e-3", "v1.2", "0abc"})
    EXPECT_EQ(checkModelName(ok), "") << ok;
  for (const char *bad : {"", "..", ".", "../x", "a/b", "/abs", "-flag",
                          ".hidden", "a b", "a\"b", "a\\b", "a\nb", "é"})
    EXPECT_NE(checkModelName(bad), "") << bad;
  EXPECT_NE(checkModelName(std::string(129, 'a')), "");
  EXPECT_EQ(checkModelName(std::string(128, 'a')), "");
  // One line, whatever the name holds.
  EXPECT_EQ(checkModelName("a\nb").find('\n'), std::string::npos);
}

} // namespace
