//===- SpecLoaderTest.cpp - spec defaults and checks
//------------------------===//
//
// What `nfc import` cannot show directly: the defaults the loader resolves
// and the exact first error it reports.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Spec/SpecLoader.h"

#include <gtest/gtest.h>

using namespace normfuse;
namespace fbs = nf::spec;

namespace {

const char *kMinimal =
    "{ model: { d_model: 96, n_layers: 2, n_heads: 4, seq_len: 16 } }";

LoadedSpec load(const std::string &json, const char *path = "dir/m.json") {
  llvm::Expected<LoadedSpec> spec = parseSpec(json, path);
  if (!spec) {
    ADD_FAILURE() << llvm::toString(spec.takeError());
    return {};
  }
  return std::move(*spec);
}

std::string errorOf(const std::string &json) {
  llvm::Expected<LoadedSpec> spec = parseSpec(json, "s.json");
  if (spec)
    return "<accepted>";
  return llvm::toString(spec.takeError());
}

TEST(SpecLoader, ResolvesEveryOptionalTable) {
  LoadedSpec s = load(kMinimal);
  ASSERT_TRUE(s.spec);
  EXPECT_TRUE(s.spec->optimizer);
  EXPECT_TRUE(s.spec->schedule);
  EXPECT_TRUE(s.spec->scale_vectors);
  EXPECT_TRUE(s.spec->run);
  EXPECT_FALSE(s.spec->data);          // data stays optional until training
  EXPECT_EQ(s.spec->model->name, "m"); // the file's stem
  EXPECT_EQ(s.baseDir, "dir");
}

TEST(SpecLoader, FeedForwardDefaultsFollowTheMlp) {
  EXPECT_EQ(*load(kMinimal).spec->model->d_ff, 4 * 96);
  LoadedSpec swiglu = load("{ model: { d_model: 96, n_layers: 2, n_heads: 4, "
                           "seq_len: 16, mlp: \"swiglu\" } }");
  // 8/3 * 96 = 256, already a multiple of 8.
  EXPECT_EQ(*swiglu.spec->model->d_ff, 256);
  LoadedSpec odd = load("{ model: { d_model: 100, n_layers: 2, n_heads: 5, "
                        "seq_len: 16, mlp: \"swiglu\" } }");
  // 8/3 * 100 = 266 -> rounded up to 272.
  EXPECT_EQ(*odd.spec->model->d_ff, 272);
}

TEST(SpecLoader, PositionNormsInheritTheDefaultNormUnlessOverridden) {
  LoadedSpec s = load("{ model: { d_model: 64, n_layers: 1, n_heads: 4, "
                      "seq_len: 8, norm: { kind: \"dyt\", alpha: 0.7 }, "
                      "ffn_norm: { kind: \"derf\", alpha: 0.2 } } }");
  const fbs::ModelT &m = *s.spec->model;
  EXPECT_EQ(m.attention_norm->kind, fbs::NormKind_dyt);
  EXPECT_DOUBLE_EQ(m.attention_norm->alpha, 0.7);
  EXPECT_EQ(m.ffn_norm->kind, fbs::NormKind_derf);
  EXPECT_DOUBLE_EQ(m.ffn_norm->alpha, 0.2);
  EXPECT_EQ(m.final_norm->kind, fbs::NormKind_dyt);
  EXPECT_FALSE(m.qk_norm);
}

TEST(SpecLoader, ReportsTheFirstErrorWithFileLineAndField) {
  EXPECT_EQ(errorOf("{ model: { d_model: 64, n_layers: 2, n_heads: 5, "
                    "seq_len: 8 } }"),
            "s.json:1:21: error: model.d_model: 64 is not divisible by "
            "model.n_heads (5)");
  EXPECT_EQ(errorOf("{ model: { d_model: 64, n_layers: 0, n_heads: 4, "
                    "seq_len: 8 } }"),
            "s.json:1:35: error: model.n_layers: must be > 0, got 0");
}

TEST(SpecLoader, ErrorsInInheritedNormsNameTheWrittenTable) {
  // attention_norm copies norm: the error is reported once, at model.norm.
  EXPECT_EQ(errorOf("{ model: { d_model: 64, n_layers: 1, n_heads: 4, "
                    "seq_len: 8, norm: { kind: \"derf\", alpha: 0 } } }"),
            "s.json:1:91: error: model.norm.alpha: must be in (0, inf), "
            "got 0");
}

TEST(SpecLoader, TheEmbeddedSchemaIsTheOneFlatcCompiled) {
  llvm::StringRef schema = modelSpecSchema();
  EXPECT_TRUE(schema.contains("root_type Spec;"));
  EXPECT_TRUE(schema.contains("table Model"));
}

} // namespace
