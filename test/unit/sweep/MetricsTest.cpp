//===- MetricsTest.cpp - metrics files and failure flags ------------------===//
#include "normfuse/Sweep/FailureCheck.h"
#include "normfuse/Sweep/RunMetrics.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace normfuse::sweep;

TEST(SweepMetrics, LastRecordOfAStepWins) {
  // Resumed from a checkpoint at step 10: step 20 is logged twice; the kill
  // left half a line at the end.
  const char *text = "{\"step\":10,\"loss\":4.0,\"sat_frac.final_norm\":0.1}\n"
                     "{\"step\":20,\"loss\":3.5}\n"
                     "{\"step\":20,\"val_loss\":3.6}\n"
                     "{\"step\":20,\"loss\":3.4,\"grad_norm\":null}\n"
                     "{\"step\":30,\"lo";
  llvm::Expected<RunMetrics> m = parseMetrics(text, "m.jsonl");
  ASSERT_TRUE(bool(m));
  EXPECT_EQ(m->loss.size(), 2u);
  EXPECT_EQ(m->loss.at(20), 3.4);
  EXPECT_EQ(m->valLoss.at(20), 3.6);
  EXPECT_TRUE(std::isnan(m->fields.at("grad_norm").at(20)));
  EXPECT_EQ(m->fields.at("sat_frac.final_norm").at(10), 0.1);
  EXPECT_EQ(m->lastStep, 20);
}

TEST(SweepMetrics, BadLineInTheMiddle) {
  llvm::Expected<RunMetrics> m =
      parseMetrics("{\"step\":1}\nnot json\n{\"step\":2}\n", "m.jsonl");
  ASSERT_FALSE(bool(m));
  EXPECT_EQ(llvm::toString(m.takeError()),
            "m.jsonl:2: error: not a metrics record");
}

TEST(SweepFailure, UnigramEntropy) {
  EXPECT_NEAR(unigramEntropy("aabb"), std::log(2.0), 1e-15);
  EXPECT_EQ(unigramEntropy("aaaa"), 0.0);
  // p = 1/2, 1/4, 1/4: 1.5 bits.
  EXPECT_NEAR(unigramEntropy("aabc"), 1.5 * std::log(2.0), 1e-15);
}

static RunMetrics curve(std::vector<double> loss, int every = 10) {
  RunMetrics m;
  for (size_t i = 0; i < loss.size(); ++i)
    m.loss[int64_t(i + 1) * every] = loss[i];
  return m;
}

TEST(SweepFailure, Stuck) {
  // Unigram 3.0: the threshold is 2.85. Of 200 steps half is step 100; of
  // 100 steps, step 50.
  RunCheck healthy = checkRun(
      curve({5, 3.2, 2.8, 2.7, 2.6, 2.5, 2.4, 2.3, 2.2, 2.1}), 3.0, 200);
  EXPECT_EQ(healthy.leftUnigramAt, 30);
  EXPECT_FALSE(healthy.stuck);
  // One lucky batch at step 30 is not leaving: the median of three is.
  RunCheck late = checkRun(
      curve({5, 3.0, 2.8, 3.0, 3.0, 3.0, 2.8, 2.8, 2.7, 2.7}), 3.0, 100);
  EXPECT_EQ(late.leftUnigramAt, 70);
  EXPECT_TRUE(late.stuck);
  RunCheck never = checkRun(curve({5, 3.0, 3.0, 3.0}), 3.0, 40);
  EXPECT_FALSE(never.leftUnigramAt.has_value());
  EXPECT_TRUE(never.stuck);
  // An unknown unigram loss checks nothing.
  EXPECT_FALSE(checkRun(curve({5, 5, 5}), NAN, 30).stuck);
}

TEST(SweepFailure, Saturated) {
  RunMetrics m = curve({5, 3, 3, 3});
  // Layer a: the last three records average 0.9; layer b 0.2.
  m.fields["sat_frac.a"] = {{10, 0}, {20, 0.8}, {30, 0.9}, {40, 1.0}};
  m.fields["sat_frac.b"] = {{10, 0.2}, {20, 0.2}, {30, 0.2}, {40, 0.2}};
  m.fields["sat_frac_1.5.a"] = {{40, 1.0}}; // the other threshold: ignored
  RunCheck c = checkRun(m, 3.5, 40);
  EXPECT_NEAR(c.satFrac, 0.9, 1e-15);
  EXPECT_EQ(c.satLayer, "a");
  EXPECT_TRUE(c.saturated);
  EXPECT_TRUE(std::isnan(checkRun(curve({5}), 3.5, 10).satFrac));
}
