//===- JsonLinesTest.cpp - metrics as JSON lines --------------------------===//
#include "TempDir.h"

#include "nfrt/JsonLines.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cmath>
#include <cstdlib>
#include <limits>

using namespace nfrt;
using nfrt::test::TempDir;

namespace {

std::string quoted(const std::string &s) {
  std::string out;
  appendJsonString(out, s);
  return out;
}

} // namespace

TEST(JsonLines, Escaping) {
  EXPECT_EQ(quoted("plain"), "\"plain\"");
  EXPECT_EQ(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quoted("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(quoted(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(quoted(std::string("a\0b", 3)), "\"a\\u0000b\"");
  EXPECT_EQ(quoted("/ and \x7f stay"), "\"/ and \x7f stay\"");
  // Valid UTF-8 is kept as is: é, €, U+1F600.
  EXPECT_EQ(quoted("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
            "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
  // Invalid bytes become U+FFFD: a lone continuation byte, a truncated
  // sequence, an overlong '/', a surrogate, a byte that never occurs.
  EXPECT_EQ(quoted("\x80"), "\"\\ufffd\"");
  EXPECT_EQ(quoted("\xE2\x82"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(quoted("\xC0\xAF"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(quoted("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
  EXPECT_EQ(quoted("x\xFFy"), "\"x\\ufffdy\"");
}

TEST(JsonLines, RecordFields) {
  JsonRecord r;
  r.add("step", int64_t(12))
      .add("loss", 2.5)
      .add("lr", 3e-4f)
      .add("tokens", uint64_t(18446744073709551615ull))
      .add("ok", true)
      .add("name", "gpt \"tiny\"")
      .addNull("val_loss");
  // std::to_chars' shortest form; "3e-04" is valid JSON.
  EXPECT_EQ(r.str(), "{\"step\":12,\"loss\":2.5,\"lr\":3e-04,"
                     "\"tokens\":18446744073709551615,\"ok\":true,"
                     "\"name\":\"gpt \\\"tiny\\\"\",\"val_loss\":null}");
  EXPECT_EQ(JsonRecord().str(), "{}");
}

TEST(JsonLines, NumbersRoundTrip) {
  for (double v : {0.1, 1.0 / 3.0, 2.718281828459045, 1e-300, -123456.789,
                   5e-324, 1.7976931348623157e308}) {
    JsonRecord r;
    r.add("v", v);
    std::string text = r.str().substr(5, r.str().size() - 6);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
  for (float v : {0.1f, 1.0f / 3.0f, 3.4028235e38f, 1e-45f, 2.3456789f}) {
    JsonRecord r;
    r.add("v", v);
    std::string text = r.str().substr(5, r.str().size() - 6);
    EXPECT_EQ(std::strtof(text.c_str(), nullptr), v) << text;
  }
  // Shortest form: a float prints as the float it is, not its double.
  JsonRecord r;
  r.add("x", 0.1f);
  EXPECT_EQ(r.str(), "{\"x\":0.1}");
}

TEST(JsonLines, NonFiniteIsNullWithAFlag) {
  JsonRecord r;
  r.add("loss", std::numeric_limits<double>::quiet_NaN())
      .add("grad_norm", std::numeric_limits<float>::infinity())
      .add("x", -std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.str(), "{\"loss\":null,\"loss_nonfinite\":\"nan\","
                     "\"grad_norm\":null,\"grad_norm_nonfinite\":\"inf\","
                     "\"x\":null,\"x_nonfinite\":\"-inf\"}");
}

TEST(JsonLines, WriterWritesOneLinePerRecord) {
  TempDir dir;
  std::string path = dir.path("metrics.jsonl");
  {
    Expected<JsonLinesWriter> w = JsonLinesWriter::open(path, false);
    ASSERT_TRUE(w) << w.message();
    ASSERT_TRUE(w->write(JsonRecord().add("step", 1)));
    ASSERT_TRUE(w->write(JsonRecord().add("step", 2).add("s", "a\nb")));
    // Flushed at once: readable while the writer is still open.
    EXPECT_EQ(TempDir::read(path),
              "{\"step\":1}\n{\"step\":2,\"s\":\"a\\nb\"}\n");
  }
  {
    Expected<JsonLinesWriter> w = JsonLinesWriter::open(path, true);
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->write(JsonRecord().add("step", 3)));
  }
  EXPECT_EQ(TempDir::read(path),
            "{\"step\":1}\n{\"step\":2,\"s\":\"a\\nb\"}\n{\"step\":3}\n");
  {
    Expected<JsonLinesWriter> w = JsonLinesWriter::open(path, false);
    ASSERT_TRUE(w);
  }
  EXPECT_EQ(TempDir::read(path), "");
}

TEST(JsonLines, UnwritablePathIsAnError) {
  TempDir dir;
  std::string path = dir.path("no/such/dir/m.jsonl");
  Expected<JsonLinesWriter> w = JsonLinesWriter::open(path, false);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.message(), path + ": cannot open the metrics file: No such file "
                                "or directory");
}

TEST(JsonLines, SyntaxCheck) {
  for (const char *ok :
       {"{}", "{\"step\":1,\"loss\":2.5e-3,\"x\":null,\"b\":[true,false]}",
        "{\"s\":\"a\\\"b\\u00e9\\n\"}", " {\"a\" : { \"b\" : [ ] } } ", "-0.5",
        "\"x\""})
    EXPECT_TRUE(isValidJson(ok)) << ok;
  for (const char *bad :
       {"", "{", "{\"step\":1,\"lo", "{\"step\":1,}", "{\"a\":01}",
        "{\"a\":1.}", "{\"a\":.5}", "{\"a\":tru}", "{\"a\":\"\\x\"}",
        "{\"a\":1}{\"b\":2}", "{\"step\":30,\"lo{\"step\":21,\"loss\":1}",
        "[1,2", "{'a':1}", "{\"a\":1} x"})
    EXPECT_FALSE(isValidJson(bad)) << bad;
  // Nesting deeper than any metrics record is refused, not recursed into.
  EXPECT_FALSE(isValidJson(std::string(100000, '[')));
}

// After a crash at step 25 with the last checkpoint at step 20, the resumed
// run writes steps 21-25 again: the records after step 20 go first.
TEST(JsonLines, KeepRecordsUpToDropsLaterSteps) {
  TempDir dir;
  std::string path = dir.write(
      "m.jsonl", "{\"step\":10,\"loss\":3}\n{\"step\":20,\"loss\":2}\n"
                 "{\"step\":20,\"val_loss\":2.5}\n{\"step\":25,\"loss\":1.5}\n"
                 "{\"step\":30,\"loss\":1}\n");
  Expected<KeptRecords> k = keepRecordsUpTo(path, 20);
  ASSERT_TRUE(k) << k.message();
  EXPECT_EQ(k->kept, 3u);
  EXPECT_EQ(k->dropped, 2u);
  EXPECT_EQ(TempDir::read(path),
            "{\"step\":10,\"loss\":3}\n{\"step\":20,\"loss\":2}\n"
            "{\"step\":20,\"val_loss\":2.5}\n");
  struct stat st;
  EXPECT_NE(::stat((path + ".tmp").c_str(), &st), 0) << "temp file left";
}

// A full disk or a crash mid-write leaves a last line without its newline;
// it goes, even where its prefix parses, and a line that is not JSON goes.
TEST(JsonLines, KeepRecordsUpToDropsTornAndInvalidLines) {
  TempDir dir;
  std::string path =
      dir.write("m.jsonl", "{\"step\":1,\"loss\":3}\n{\"step\":2,\"lo\n"
                           "{\"step\":3,\"loss\":2}\n{\"step\":4,\"loss\":1}");
  Expected<KeptRecords> k = keepRecordsUpTo(path, 100);
  ASSERT_TRUE(k) << k.message();
  EXPECT_EQ(k->kept, 2u);
  EXPECT_EQ(k->dropped, 2u);
  EXPECT_EQ(TempDir::read(path),
            "{\"step\":1,\"loss\":3}\n{\"step\":3,\"loss\":2}\n");
}

TEST(JsonLines, KeepRecordsUpToLeavesACleanFileAlone) {
  TempDir dir;
  std::string text = "{\"step\":1,\"loss\":3}\n{\"step\":2,\"loss\":2}\n";
  std::string path = dir.write("m.jsonl", text);
  struct stat before, after;
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  Expected<KeptRecords> k = keepRecordsUpTo(path, 2);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->kept, 2u);
  EXPECT_EQ(k->dropped, 0u);
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino) << "rewritten without need";
  EXPECT_EQ(TempDir::read(path), text);
  // No file yet (a run that never logged): nothing to keep, no error.
  Expected<KeptRecords> none = keepRecordsUpTo(dir.path("absent.jsonl"), 5);
  ASSERT_TRUE(none) << none.message();
  EXPECT_EQ(none->kept + none->dropped, 0u);
}
