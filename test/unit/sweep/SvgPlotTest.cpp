//===- SvgPlotTest.cpp - ticks and coordinates by hand --------------------===//
#include "normfuse/Sweep/SvgPlot.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace normfuse::sweep;

static std::vector<double> ticks(double lo, double hi) {
  return niceTicks(lo, hi, 5);
}

TEST(SweepSvg, NiceTicks) {
  // range 1, 1/5 = 0.2: a nice step already.
  std::vector<double> t = ticks(0, 1);
  ASSERT_EQ(t.size(), 6u);
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(t[i], 0.2 * i, 1e-12);
  // range 1.25 / 5 = 0.25 -> 2.5 x 0.1 rounds to 2 x 0.1: 2.2 .. 3.6.
  t = ticks(2.21, 3.46);
  ASSERT_EQ(t.size(), 8u);
  EXPECT_NEAR(t.front(), 2.2, 1e-12);
  EXPECT_NEAR(t.back(), 3.6, 1e-12);
  // 300 / 5 = 60 -> 6 x 10 rounds to 5 x 10: 0, 50, ..., 300.
  t = ticks(0, 300);
  ASSERT_EQ(t.size(), 7u);
  EXPECT_EQ(t[1], 50);
  EXPECT_EQ(t.back(), 300);
  // A single value gets an interval around it.
  t = ticks(4, 4);
  EXPECT_LT(t.front(), 4);
  EXPECT_GT(t.back(), 4);
}

TEST(SweepSvg, TickLabels) {
  EXPECT_EQ(tickLabel(0.2, 0.2), "0.2");
  EXPECT_EQ(tickLabel(50, 50), "50");
  EXPECT_EQ(tickLabel(2.25, 0.05), "2.25");
  EXPECT_EQ(tickLabel(0, 0.5), "0.0");
}

TEST(SweepSvg, PointsMapToThePlotArea) {
  // x 0..10 (ticks 0, 2, ..., 10), y 0..1 (0, 0.2, ..., 1): the corners of
  // the plot area, left = 70, right = 560, top = 40, bottom = 360.
  PlotSpec p;
  p.title = "t";
  p.series.push_back({"a<b", {0, 5, 10}, {0, 0.5, 1}, {}, {}});
  std::string svg = renderSvg(p);
  EXPECT_NE(svg.find("<polyline points=\"70.0,360.0 315.0,200.0 560.0,40.0\""),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find(">a&lt;b</text>"), std::string::npos);
  EXPECT_NE(svg.find(">0.6</text>"), std::string::npos); // a y tick
  EXPECT_NE(svg.find(">10</text>"), std::string::npos);  // an x tick
}

TEST(SweepSvg, BandsAndGaps) {
  // The band: upper edge left to right, then the lower edge back.
  PlotSpec p;
  p.series.push_back({"s", {0, 10}, {0.5, 0.5}, {0, 0}, {1, 1}});
  std::string svg = renderSvg(p);
  EXPECT_NE(svg.find("<polygon points=\"70.0,40.0 560.0,40.0 560.0,360.0 "
                     "70.0,360.0 \""),
            std::string::npos)
      << svg;
  // A NaN splits the line into two polylines.
  PlotSpec q;
  q.series.push_back({"s", {0, 1, 2, 3}, {0, 1, NAN, 1}, {}, {}});
  std::string svg2 = renderSvg(q);
  size_t first = svg2.find("<polyline");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(svg2.find("<polyline", first + 1), std::string::npos);
}

TEST(SweepSvg, FixedRangeAndReferenceLine) {
  // y fixed to [2, 4]: 3 sits half-way between top 40 and bottom 360.
  PlotSpec p;
  p.yMin = 2;
  p.yMax = 4;
  p.hLines.push_back({3, "unigram"});
  p.series.push_back({"s", {0, 10}, {9, 9}, {}, {}});
  std::string svg = renderSvg(p);
  EXPECT_NE(svg.find("y1=\"200.0\" x2=\"560.0\" y2=\"200.0\" stroke=\"#555\""),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("clip-path=\"url(#area)\""), std::string::npos);
}

TEST(SweepSvg, SeriesPastThePaletteAreDashed) {
  PlotSpec p;
  for (int k = 0; k < 11; ++k)
    p.series.push_back({"s" + std::to_string(k), {0, 1}, {0, 1}, {}, {}});
  std::string svg = renderSvg(p);
  // The 11th line (and its legend entry) reuse the first colour, dashed.
  size_t dashed = svg.find("stroke-dasharray=\"6 3\"");
  ASSERT_NE(dashed, std::string::npos);
  EXPECT_EQ(svg.rfind("<polyline", dashed),
            svg.rfind("<polyline points=\"70.0,360.0 560.0,40.0\" "
                      "fill=\"none\" stroke=\"#1f77b4\""));
}
