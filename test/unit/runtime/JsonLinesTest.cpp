//===- JsonLinesTest.cpp - metrics as JSON lines --------------------------===//
#include "TempDir.h"

#include "nfrt/JsonLines.h"

#include <gtest/gtest.h>

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
