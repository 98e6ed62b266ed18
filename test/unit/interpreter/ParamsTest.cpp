//===- ParamsTest.cpp - parameter values: init laws, loading, --set-param -===//
#include "normfuse/Interpreter/Params.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace normfuse::interp;

namespace {

ParamDecl decl(std::string name, std::vector<int64_t> shape, InitKind init,
               double value, ParamGroup group, std::string from = "") {
  ParamDecl d;
  d.name = std::move(name);
  d.shape = std::move(shape);
  d.init = init;
  d.initValue = value;
  d.group = group;
  d.derivedFrom = std::move(from);
  return d;
}

InitOptions options(ParamValues mode, uint64_t seed = 0) {
  InitOptions o;
  o.mode = mode;
  o.seed = seed;
  return o;
}

double mean(const Tensor &t) {
  double s = 0;
  for (double v : t.data)
    s += v;
  return s / t.data.size();
}

double stddev(const Tensor &t, double around) {
  double s = 0;
  for (double v : t.data)
    s += (v - around) * (v - around);
  return std::sqrt(s / t.data.size());
}

TEST(ParamInit, ValuesDependOnlyOnSeedAndName) {
  ParamDecl w = decl("w", {64, 64}, InitKind::Normal, 0.02, ParamGroup::Matrix);
  ParamDecl other = w;
  other.name = "other";
  Tensor a = initialValue(w, options(ParamValues::Init, 7));
  // Same (seed, name): same values, whatever else the module declares.
  ParamStore alone, together;
  initializeParams({w}, options(ParamValues::Init, 7), alone);
  initializeParams({other, w}, options(ParamValues::Init, 7), together);
  EXPECT_EQ(alone["w"].data, a.data);
  EXPECT_EQ(together["w"].data, a.data);
  // Another name or seed: other values.
  EXPECT_NE(together["other"].data, a.data);
  EXPECT_NE(initialValue(w, options(ParamValues::Init, 8)).data, a.data);
}

TEST(ParamInit, InitModeFollowsTheInitAttribute) {
  Tensor n = initialValue(
      decl("n", {100, 100}, InitKind::Normal, 0.02, ParamGroup::Matrix),
      options(ParamValues::Init));
  EXPECT_NEAR(mean(n), 0.0, 1e-3);
  EXPECT_NEAR(stddev(n, 0.0), 0.02, 5e-4);
  EXPECT_EQ(initialValue(decl("g", {3}, InitKind::Ones, 1, ParamGroup::Scale),
                         options(ParamValues::Init))
                .data,
            std::vector<double>(3, 1.0));
  EXPECT_EQ(initialValue(decl("b", {3}, InitKind::Zeros, 0, ParamGroup::Bias),
                         options(ParamValues::Init))
                .data,
            std::vector<double>(3, 0.0));
  EXPECT_EQ(
      initialValue(decl("a", {}, InitKind::Constant, 0.8, ParamGroup::Scalar),
                   options(ParamValues::Init))
          .data,
      std::vector<double>(1, 0.8));
}

TEST(ParamInit, RandomModeMovesEveryTrainedParameterOffItsInit) {
  InitOptions random = options(ParamValues::Random, 3);
  Tensor gamma = initialValue(
      decl("g", {10000}, InitKind::Ones, 1, ParamGroup::Scale), random);
  EXPECT_NEAR(mean(gamma), 1.0, 0.01);
  EXPECT_NEAR(stddev(gamma, 1.0), 0.3, 0.01);
  Tensor beta = initialValue(
      decl("b", {10000}, InitKind::Zeros, 0, ParamGroup::Bias), random);
  EXPECT_NEAR(stddev(beta, 0.0), 0.1, 0.005);
  // A matrix keeps its init's std, or N(0, matrixStd) when asked.
  ParamDecl w =
      decl("w", {100, 100}, InitKind::Normal, 0.02, ParamGroup::Matrix);
  EXPECT_EQ(initialValue(w, random).data,
            initialValue(w, options(ParamValues::Init, 3)).data);
  random.matrixStd = 0.1;
  EXPECT_NEAR(stddev(initialValue(w, random), 0.0), 0.1, 0.002);
  random.matrixStd = 0;
  // alpha = 0.8 (1 + 0.3 N(0, 1)); Derf's shift (0) gets 0.1 N(0, 1).
  Tensor alpha = initialValue(
      decl("alpha", {}, InitKind::Constant, 0.8, ParamGroup::Scalar), random);
  EXPECT_NE(alpha.data[0], 0.8);
  EXPECT_GT(alpha.data[0], 0.0);
  Tensor shift = initialValue(
      decl("shift", {}, InitKind::Constant, 0.0, ParamGroup::Scalar), random);
  EXPECT_NE(shift.data[0], 0.0);
  // Running statistics keep their init.
  EXPECT_EQ(
      initialValue(decl("r", {}, InitKind::Constant, 1.0, ParamGroup::State),
                   random)
          .data[0],
      1.0);
}

TEST(LoadParams, ByNameThenDerivedFromThenInit) {
  std::vector<ParamDecl> decls = {
      decl("w", {2}, InitKind::Zeros, 0, ParamGroup::Bias),
      decl("g.direction", {2}, InitKind::Ones, 1, ParamGroup::Direction, "g"),
      decl("g.magnitude", {}, InitKind::Constant, 1.0, ParamGroup::Magnitude),
      decl("own", {2}, InitKind::Ones, 1, ParamGroup::Direction, "g")};
  ParamStore store;
  initializeParams(decls, options(ParamValues::Init), store);
  std::vector<NamedTensor> file = {{"w", {{2}, {1, 2}}},
                                   {"g", {{2}, {3, 4}}},
                                   {"own", {{2}, {5, 6}}},
                                   {"stale", {{1}, {0}}}};
  auto unused = loadParams(decls, file, "p.nfp", store);
  ASSERT_TRUE(bool(unused)) << llvm::toString(unused.takeError());
  EXPECT_EQ(*unused, 1u); // "stale"; "g" was taken by g.direction
  EXPECT_EQ(store["w"].data, (std::vector<double>{1, 2}));
  EXPECT_EQ(store["g.direction"].data, (std::vector<double>{3, 4}));
  EXPECT_EQ(store["g.magnitude"].data, (std::vector<double>{1.0}));
  EXPECT_EQ(store["own"].data, (std::vector<double>{5, 6}));
}

TEST(LoadParams, ShapesMustMatch) {
  std::vector<ParamDecl> decls = {
      decl("layers.0.attn.wq", {128, 128}, InitKind::Normal, 0.02,
           ParamGroup::Matrix),
      decl("g.direction", {3}, InitKind::Ones, 1, ParamGroup::Direction, "g")};
  ParamStore store;
  auto byName =
      loadParams(decls, {{"layers.0.attn.wq", Tensor::zeros({64, 64})}},
                 "params.nfp", store);
  ASSERT_FALSE(bool(byName));
  EXPECT_EQ(llvm::toString(byName.takeError()),
            "params.nfp: error: tensor 'layers.0.attn.wq' has shape [64, 64], "
            "the module expects [128, 128]");
  auto derived =
      loadParams(decls, {{"g", Tensor::zeros({4})}}, "params.nfp", store);
  ASSERT_FALSE(bool(derived));
  EXPECT_EQ(llvm::toString(derived.takeError()),
            "params.nfp: error: tensor 'g' has shape [4], the module expects "
            "[3] (for @g.direction, derived from it)");
}

TEST(SetParam, FillsOrSetsEveryElement) {
  std::vector<ParamDecl> decls = {
      decl("w", {2, 2}, InitKind::Zeros, 0, ParamGroup::Matrix)};
  ParamStore store;
  ASSERT_FALSE(bool(setParam(decls, "w=1,2,3,4", store)));
  EXPECT_EQ(store["w"].data, (std::vector<double>{1, 2, 3, 4}));
  ASSERT_FALSE(bool(setParam(decls, "w=-0.5", store)));
  EXPECT_EQ(store["w"].data, (std::vector<double>(4, -0.5)));
  EXPECT_EQ(llvm::toString(setParam(decls, "w=1,2", store)),
            "--set-param 'w=1,2': @w has shape [2, 2] (4 values), got 2 "
            "values");
}

} // namespace
