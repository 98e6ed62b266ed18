//===- SpecJsonTest.cpp - nfc spec's strict JSON --------------------------===//
#include "normfuse/Spec/SpecJson.h"
#include "normfuse/Spec/SpecLoader.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace normfuse;

namespace {

std::string jsonOf(double initStd) {
  llvm::Expected<LoadedSpec> spec = parseSpec(
      "{ model: { d_model: 64, n_layers: 1, n_heads: 4, seq_len: 8 } }",
      "s.json");
  if (!spec) {
    ADD_FAILURE() << llvm::toString(spec.takeError());
    return "";
  }
  spec->spec->model->init_std = initStd;
  llvm::Expected<std::string> json = specToJson(*spec->spec);
  if (!json) {
    ADD_FAILURE() << llvm::toString(json.takeError());
    return "";
  }
  return *json;
}

std::string initStdText(double v) {
  std::string json = jsonOf(v);
  size_t at = json.find("\"init_std\": ");
  if (at == std::string::npos)
    return "<missing>";
  at += 12;
  return json.substr(at, json.find(',', at) - at);
}

// Doubles print as Python's repr() does: the shortest digits that read back
// to the same double, fixed notation for exponents -4..15 (always with a
// decimal point), scientific otherwise.
TEST(SpecJson, DoublesPrintAsPythonReprDoes) {
  EXPECT_EQ(initStdText(0.02), "0.02");
  EXPECT_EQ(initStdText(0.1), "0.1");
  EXPECT_EQ(initStdText(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(initStdText(10000.0), "10000.0");
  EXPECT_EQ(initStdText(0.0001), "0.0001");
  EXPECT_EQ(initStdText(1e-5), "1e-05");
  EXPECT_EQ(initStdText(1e-13), "1e-13");
  EXPECT_EQ(initStdText(1e16), "1e+16");
  EXPECT_EQ(initStdText(123456789012345.6), "123456789012345.6");
  EXPECT_EQ(initStdText(-2.5), "-2.5");
  EXPECT_EQ(initStdText(INFINITY), "null");
}

TEST(SpecJson, EveryDoubleRoundTrips) {
  for (double v : {0.1 + 0.2, M_PI, std::nextafter(1.0, 2.0), 5e-324,
                   1.7976931348623157e308, 2.0 / 3e-7}) {
    std::string text = initStdText(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
}

TEST(SpecJson, EveryTableAndDefaultIsWritten) {
  std::string json = jsonOf(0.02);
  for (const char *field :
       {"\"final_norm\": {", "\"qk_norm\": null", "\"d_ff\": 256",
        "\"kind\": \"adamw\"", "\"schedule\": {", "\"data\": null",
        "\"batch_size\": 8", "\"muon_nesterov\": true", "\"name\": \"s\""})
    EXPECT_NE(json.find(field), std::string::npos) << field;
}

} // namespace
