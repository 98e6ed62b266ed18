//===- StatisticsTest.cpp - seed statistics against hand computation ------===//
#include "normfuse/Sweep/Statistics.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace normfuse::sweep;

TEST(SweepStatistics, MeanAndSampleStd) {
  // mean 2.2; deviations -0.2, 0, 0.2; sample variance 0.08 / 2 = 0.04.
  Summary s = summarize({2.0, 2.2, 2.4});
  EXPECT_EQ(s.n, 3u);
  EXPECT_NEAR(s.mean, 2.2, 1e-15);
  EXPECT_NEAR(s.std, 0.2, 1e-15);
  EXPECT_NEAR(s.se, 0.2 / std::sqrt(3.0), 1e-15);
  EXPECT_EQ(s.min, 2.0);
  EXPECT_EQ(s.max, 2.4);
}

TEST(SweepStatistics, NoCancellationForCloseValues) {
  // E[x^2] - E[x]^2 would lose these to rounding.
  Summary s = summarize({1e8 + 1, 1e8 + 2, 1e8 + 3});
  EXPECT_NEAR(s.std, 1.0, 1e-9);
}

TEST(SweepStatistics, OneAndNoValues) {
  Summary one = summarize({3.5});
  EXPECT_EQ(one.n, 1u);
  EXPECT_EQ(one.mean, 3.5);
  EXPECT_TRUE(std::isnan(one.std));
  EXPECT_TRUE(std::isnan(one.se));
  Summary none = summarize({});
  EXPECT_EQ(none.n, 0u);
  EXPECT_TRUE(std::isnan(none.mean));
}

TEST(SweepStatistics, GapWithSpread) {
  Summary a = summarize({3.0, 3.2, 3.4}); // mean 3.2, se 0.2/sqrt 3
  Summary b = summarize({2.0, 2.2, 2.4}); // mean 2.2, se 0.2/sqrt 3
  Estimate g = difference(a, b);
  EXPECT_NEAR(g.value, 1.0, 1e-15);
  // sqrt(2 * 0.04 / 3)
  EXPECT_NEAR(g.spread, std::sqrt(0.08 / 3.0), 1e-15);
}

TEST(SweepStatistics, InteractionContrast) {
  // The paper's numbers as cell means: RMSNorm 3.00 / 3.10, Derf +0.31
  // under AdamW and +0.97 under Muon: interaction 0.66.
  Summary ref = summarize({2.9, 3.1}), rowRef = summarize({3.0, 3.2}),
          colRef = summarize({3.21, 3.41}), cell = summarize({3.97, 4.17});
  Estimate i = interaction(cell, rowRef, colRef, ref);
  EXPECT_NEAR(i.value, (4.07 - 3.1) - (3.31 - 3.0), 1e-12);
  EXPECT_NEAR(i.value, 0.66, 1e-12);
  // Each cell: std 0.1414..., se 0.1; four of them: sqrt(4 * 0.01) = 0.2.
  EXPECT_NEAR(i.spread, 0.2, 1e-12);
}
