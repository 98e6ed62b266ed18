//===- GridTest.cpp - grid files and run plans ----------------------------===//
#include "normfuse/Sweep/Grid.h"
#include "normfuse/Sweep/Plan.h"

#include <gtest/gtest.h>

using namespace normfuse::sweep;

static const char *kGrid = R"({
  // comments are allowed
  "base": "base.json",
  "factors": [
    { "name": "norm", "levels": [
      { "name": "rms", "set": { "model.norm": { "kind": "rmsnorm" } } },
      { "name": "derf", "set": { "model.norm.kind": "derf",
                                 "model.norm.alpha": 0.3 } } ] },
    { "name": "opt", "levels": [
      { "name": "adamw" },
      { "name": "muon", "set": { "optimizer.kind": "muon" },
        "build_flags": ["--fuse"] } ] }
  ],
  "lr": { "adamw": { "optimizer.lr": [1e-3, 3e-3] },
          "muon": { "optimizer.muon_lr": [0.02], "optimizer.lr": [3e-3] } },
  "seeds": [1, 2, 3],
  "baseline": { "norm": "rms" }
})";

static std::string gridError(const std::string &text) {
  llvm::Expected<Grid> g = parseGrid(text, "g.json");
  if (g)
    return "";
  return llvm::toString(g.takeError());
}

TEST(SweepGrid, Parses) {
  llvm::Expected<Grid> g = parseGrid(kGrid, "dir/g.json");
  ASSERT_TRUE(bool(g)) << llvm::toString(g.takeError());
  EXPECT_EQ(g->name, "g");
  EXPECT_EQ(g->base, "dir/base.json");
  ASSERT_EQ(g->factors.size(), 2u);
  // Overrides in path order: a table before its fields.
  ASSERT_EQ(g->factors[0].levels[1].set.size(), 2u);
  EXPECT_EQ(g->factors[0].levels[1].set[0].path, "model.norm.alpha");
  EXPECT_EQ(g->factors[1].levels[1].buildFlags[0], "--fuse");
  EXPECT_EQ(g->lr.at("adamw").size(), 2u);
  EXPECT_EQ(g->lr.at("muon")[0].label, "0.003/0.02");
  EXPECT_EQ(g->seeds, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(g->baseline, (std::vector<int>{0, -1}));
  EXPECT_EQ(g->referenceLevel(1), 0);
}

TEST(SweepGrid, Errors) {
  EXPECT_EQ(gridError("{ \"base\": \"b.json\", \"seeds\": [1], \"sedes\": 2 }"),
            "g.json:1:44: error: sedes: unknown field (expected one of: "
            "name, base, out_dir, set, factors, lr, seeds, baseline, jobs, "
            "threads_per_run)");
  EXPECT_EQ(
      gridError("{ \"base\": \"b.json\" }"),
      "g.json:1:1: error: needs \"seeds\": a non-empty array of integers, "
      "e.g. [1, 2, 3]");
  EXPECT_EQ(gridError("{ \"base\": \"b.json\", \"seeds\": [1, 1] }"),
            "g.json:1:34: error: seeds[1]: seed 1 appears twice");
  EXPECT_EQ(gridError("{ \"base\": \"b.json\", \"seeds\": [1],\n"
                      "  \"factors\": [ { \"name\": \"n\", \"levels\": "
                      "[ { \"name\": \"a\" }, { \"name\": \"a\" } ] } ] }"),
            "g.json:2:70: error: factors[0].levels[1].name: level 'a' appears "
            "twice in factor 'n'");
  EXPECT_EQ(gridError("{ \"base\": \"b.json\", \"seeds\": [1],\n"
                      "  \"lr\": { \"sgd\": { \"optimizer.lr\": [1] } } }"),
            "g.json:2:18: error: lr.sgd: unknown optimizer kind (expected "
            "adamw or muon)");
  EXPECT_EQ(gridError("{ \"base\": \"b.json\", \"seeds\": [1],\n"
                      "  \"factors\": [ { \"name\": \"n\", \"levels\": "
                      "[ { \"name\": \"a\" } ] } ],\n"
                      "  \"baseline\": { \"n\": \"b\" } }"),
            "g.json:3:22: error: baseline.n: expected a level of factor 'n' "
            "(one of: a)");
  EXPECT_EQ(gridError("{ \"base\": \"b.json\",\n  \"seeds\": [1] \"x\" }"),
            "g.json:2:16: error: syntax error: Expected , or } after object "
            "property");
}

static llvm::json::Object baseSpec() {
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(R"({
    "model": { "d_model": 16, "n_layers": 1, "n_heads": 2, "seq_len": 8 },
    "run": { "steps": 20 } })");
  return *v->getAsObject();
}

TEST(SweepPlan, CellsVariantsRuns) {
  llvm::Expected<Grid> g = parseGrid(kGrid, "g.json");
  ASSERT_TRUE(bool(g));
  llvm::Expected<Plan> p = planSweep(*g, baseSpec());
  ASSERT_TRUE(bool(p)) << llvm::toString(p.takeError());
  ASSERT_EQ(p->cells.size(), 4u);
  EXPECT_EQ(p->cells[1].id, "rms_muon");
  // AdamW cells sweep two learning rates, Muon cells one: 2+1+2+1.
  ASSERT_EQ(p->variants.size(), 6u);
  EXPECT_EQ(p->variants[0].id, "rms_adamw_lr0.001");
  EXPECT_EQ(p->variants[2].id, "rms_muon_lr0.003_0.02");
  EXPECT_EQ(p->variants[2].optimizer, "muon");
  EXPECT_EQ(p->variants[2].buildFlags, (std::vector<std::string>{"--fuse"}));
  EXPECT_EQ(p->variants[0].steps, 20);
  // Seed-major order.
  ASSERT_EQ(p->runs.size(), 18u);
  EXPECT_EQ(p->runs[5].seed, 1u);
  EXPECT_EQ(p->runs[6].seed, 2u);
  EXPECT_EQ(p->runs[6].dir, "runs/rms_adamw_lr0.001/seed-2");
  // The variant spec: the override and the lr, the name.
  llvm::Expected<llvm::json::Value> spec =
      llvm::json::parse(p->variants[4].specText); // derf_adamw_lr0.003
  ASSERT_TRUE(bool(spec));
  const llvm::json::Object &o = *spec->getAsObject();
  EXPECT_EQ(*o.getObject("model")->getObject("norm")->getString("kind"),
            "derf");
  EXPECT_EQ(*o.getObject("model")->getObject("norm")->getNumber("alpha"), 0.3);
  EXPECT_EQ(*o.getObject("optimizer")->getNumber("lr"), 3e-3);
  EXPECT_EQ(*o.getObject("model")->getString("name"), "g-derf_adamw_lr0.003");
}

TEST(SweepPlan, InvalidOverridesNameTheCell) {
  llvm::Expected<Grid> g = parseGrid(
      R"({ "base": "b.json", "seeds": [1], "factors": [ { "name": "n",
      "levels": [ { "name": "bad", "set": { "model.norm.kind": "dyx" } } ] } ] })",
      "g.json");
  ASSERT_TRUE(bool(g));
  llvm::Expected<Plan> p = planSweep(*g, baseSpec());
  ASSERT_FALSE(bool(p));
  EXPECT_EQ(llvm::toString(p.takeError()),
            "g.json: error: cell 'bad': model.norm.kind: unknown value 'dyx' "
            "(NormKind has: rmsnorm, layernorm, dyt, derf, derf_ema)");
  llvm::Expected<Grid> g2 = parseGrid(
      R"({ "base": "b.json", "seeds": [1], "set": { "model.d_model.x": 1 } })",
      "g.json");
  ASSERT_TRUE(bool(g2));
  llvm::Expected<Plan> p2 = planSweep(*g2, baseSpec());
  ASSERT_FALSE(bool(p2));
  EXPECT_EQ(llvm::toString(p2.takeError()),
            "g.json: error: cell 'base': model.d_model.x: 'model.d_model' is "
            "not a table, so it has no field 'x'");
}
