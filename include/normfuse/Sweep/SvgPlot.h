//===- SvgPlot.h - line plots as SVG ----------------------------*- C++ -*-===//
//
// Line plots for sweep results: axes with "nice" ticks (1, 2, 5 x 10^k),
// labels, a legend right of the plot area, and per series a line with an
// optional band (min/max or +-std over seeds). Lines are clipped to the
// plot area, so a y range can cut off the first steps' loss.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SWEEP_SVGPLOT_H
#define NORMFUSE_SWEEP_SVGPLOT_H

#include <optional>
#include <string>
#include <vector>

namespace normfuse::sweep {

struct PlotSeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> lo, hi; // a band around y; empty: none
};

struct PlotSpec {
  std::string title, xLabel, yLabel;
  std::vector<PlotSeries> series;
  std::optional<double> yMin, yMax; // default: the data's range
  /// Dashed horizontal reference lines (value, label).
  std::vector<std::pair<double, std::string>> hLines;
};

/// The layout, in SVG user units.
struct PlotLayout {
  static constexpr double width = 760, height = 420;
  static constexpr double left = 70, right = 560, top = 40, bottom = 360;
};

/// Tick positions covering [lo, hi] with about `target` intervals: the step
/// is 1, 2 or 5 times a power of ten, the first tick the largest multiple of
/// the step <= lo, the last the smallest >= hi.
std::vector<double> niceTicks(double lo, double hi, int target = 5);

/// A tick label: the value with as many decimals as the step needs.
std::string tickLabel(double value, double step);

/// The SVG document. Non-finite points split a line.
std::string renderSvg(const PlotSpec &plot);

} // namespace normfuse::sweep

#endif // NORMFUSE_SWEEP_SVGPLOT_H
