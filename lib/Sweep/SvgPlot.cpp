//===- SvgPlot.cpp - line plots as SVG ------------------------------------===//
#include "normfuse/Sweep/SvgPlot.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace normfuse::sweep;
using L = PlotLayout;

/// Matplotlib's "tab10": distinct, colour-blind-friendlier than pure hues.
static const char *const kColors[] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

/// Series past the palette repeat its colours, dashed.
static const char *dash(size_t k) {
  return k >= std::size(kColors) ? " stroke-dasharray=\"6 3\"" : "";
}

static double niceStep(double raw) {
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / mag;
  // Rounded "nice number" (Heckbert): the closest of 1, 2, 5, 10.
  double nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return nice * mag;
}

std::vector<double> normfuse::sweep::niceTicks(double lo, double hi,
                                               int target) {
  if (!(hi > lo)) { // one value (or none): a unit interval around it
    double c = std::isfinite(lo) ? lo : 0;
    double half = c == 0 ? 1 : std::abs(c) * 0.1;
    lo = c - half;
    hi = c + half;
  }
  double step = niceStep((hi - lo) / std::max(1, target));
  // A relative tolerance, so 0.3 / 0.1 = 2.9999999999999996 counts as 3.
  double first = std::floor(lo / step + 1e-9) * step;
  double last = std::ceil(hi / step - 1e-9) * step;
  std::vector<double> ticks;
  for (int i = 0;; ++i) {
    double t = first + i * step;
    if (std::abs(t) < step * 1e-9)
      t = 0; // no "-0" or 1e-17 labels
    ticks.push_back(t);
    if (t >= last - step * 1e-9)
      break;
  }
  return ticks;
}

std::string normfuse::sweep::tickLabel(double value, double step) {
  int decimals = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
  if (std::abs(value) >= 1e5 || (value != 0 && std::abs(value) < 1e-4))
    return llvm::formatv("{0}", llvm::format("%.3g", value)).str();
  return llvm::formatv("{0}", llvm::format("%.*f", decimals, value)).str();
}

static std::string escapeXml(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

static std::string num(double v) {
  return llvm::formatv("{0}", llvm::format("%.1f", v)).str();
}

std::string normfuse::sweep::renderSvg(const PlotSpec &plot) {
  // Data ranges: x over every point; y over lines and bands unless fixed.
  double xLo = INFINITY, xHi = -INFINITY, yLo = INFINITY, yHi = -INFINITY;
  for (const PlotSeries &s : plot.series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]))
        continue;
      xLo = std::min(xLo, s.x[i]);
      xHi = std::max(xHi, s.x[i]);
      for (double v : {s.y[i], i < s.lo.size() ? s.lo[i] : s.y[i],
                       i < s.hi.size() ? s.hi[i] : s.y[i]})
        if (std::isfinite(v)) {
          yLo = std::min(yLo, v);
          yHi = std::max(yHi, v);
        }
    }
  for (const auto &h : plot.hLines) {
    yLo = std::min(yLo, h.first);
    yHi = std::max(yHi, h.first);
  }
  if (!std::isfinite(xLo))
    xLo = xHi = 0;
  if (!std::isfinite(yLo))
    yLo = yHi = 0;
  if (plot.yMin)
    yLo = *plot.yMin;
  if (plot.yMax)
    yHi = *plot.yMax;
  std::vector<double> xt = niceTicks(xLo, xHi), yt = niceTicks(yLo, yHi);
  double x0 = xt.front(), x1 = xt.back(), y0 = yt.front(), y1 = yt.back();
  auto px = [&](double x) {
    return L::left + (x - x0) / (x1 - x0) * (L::right - L::left);
  };
  auto py = [&](double y) {
    return L::bottom - (y - y0) / (y1 - y0) * (L::bottom - L::top);
  };

  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                      "font-family=\"sans-serif\" font-size=\"12\">\n",
                      L::width, L::height);
  os << llvm::formatv("<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n",
                      L::width, L::height);
  os << "<defs><clipPath id=\"area\"><rect x=\"" << num(L::left) << "\" y=\""
     << num(L::top) << "\" width=\"" << num(L::right - L::left)
     << "\" height=\"" << num(L::bottom - L::top) << "\"/></clipPath></defs>\n";
  os << "<text x=\"" << num((L::left + L::right) / 2) << "\" y=\"22\" "
     << "text-anchor=\"middle\" font-size=\"14\">" << escapeXml(plot.title)
     << "</text>\n";
  // Grid lines and tick labels.
  double xStep = xt.size() > 1 ? xt[1] - xt[0] : 1;
  double yStep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double t : xt)
    os << "<line x1=\"" << num(px(t)) << "\" y1=\"" << num(L::top) << "\" x2=\""
       << num(px(t)) << "\" y2=\"" << num(L::bottom)
       << "\" stroke=\"#e5e5e5\"/>\n<text x=\"" << num(px(t)) << "\" y=\""
       << num(L::bottom + 16) << "\" text-anchor=\"middle\">"
       << tickLabel(t, xStep) << "</text>\n";
  for (double t : yt)
    os << "<line x1=\"" << num(L::left) << "\" y1=\"" << num(py(t))
       << "\" x2=\"" << num(L::right) << "\" y2=\"" << num(py(t))
       << "\" stroke=\"#e5e5e5\"/>\n<text x=\"" << num(L::left - 6) << "\" y=\""
       << num(py(t) + 4) << "\" text-anchor=\"end\">" << tickLabel(t, yStep)
       << "</text>\n";
  os << "<rect x=\"" << num(L::left) << "\" y=\"" << num(L::top)
     << "\" width=\"" << num(L::right - L::left) << "\" height=\""
     << num(L::bottom - L::top) << "\" fill=\"none\" stroke=\"black\"/>\n";
  os << "<text x=\"" << num((L::left + L::right) / 2) << "\" y=\""
     << num(L::bottom + 36) << "\" text-anchor=\"middle\">"
     << escapeXml(plot.xLabel) << "</text>\n";
  os << "<text x=\"16\" y=\"" << num((L::top + L::bottom) / 2)
     << "\" text-anchor=\"middle\" transform=\"rotate(-90 16 "
     << num((L::top + L::bottom) / 2) << ")\">" << escapeXml(plot.yLabel)
     << "</text>\n";

  os << "<g clip-path=\"url(#area)\">\n";
  for (const auto &h : plot.hLines)
    os << "<line x1=\"" << num(L::left) << "\" y1=\"" << num(py(h.first))
       << "\" x2=\"" << num(L::right) << "\" y2=\"" << num(py(h.first))
       << "\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n<text x=\""
       << num(L::right - 4) << "\" y=\"" << num(py(h.first) - 4)
       << "\" text-anchor=\"end\" fill=\"#555\">" << escapeXml(h.second)
       << "</text>\n";
  for (size_t k = 0; k < plot.series.size(); ++k) {
    const PlotSeries &s = plot.series[k];
    const char *color = kColors[k % std::size(kColors)];
    size_t n = std::min(s.x.size(), s.y.size());
    // The band: upper edge left to right, lower edge back, in finite runs.
    if (s.lo.size() >= n && s.hi.size() >= n && n > 0) {
      std::string upper, lower;
      auto flush = [&]() {
        if (!upper.empty())
          os << "<polygon points=\"" << upper << lower << "\" fill=\"" << color
             << "\" fill-opacity=\"0.18\" stroke=\"none\"/>\n";
        upper.clear();
        lower.clear();
      };
      for (size_t i = 0; i < n; ++i) {
        if (!std::isfinite(s.x[i]) || !std::isfinite(s.lo[i]) ||
            !std::isfinite(s.hi[i])) {
          flush();
          continue;
        }
        upper += num(px(s.x[i])) + "," + num(py(s.hi[i])) + " ";
        lower.insert(0, num(px(s.x[i])) + "," + num(py(s.lo[i])) + " ");
      }
      flush();
    }
    std::string points;
    auto line = [&]() {
      if (!points.empty()) {
        points.pop_back();
        os << "<polyline points=\"" << points << "\" fill=\"none\" stroke=\""
           << color << "\" stroke-width=\"1.6\"" << dash(k) << "/>\n";
      }
      points.clear();
    };
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
        line();
        continue;
      }
      points += num(px(s.x[i])) + "," + num(py(s.y[i])) + " ";
    }
    line();
  }
  os << "</g>\n";
  // The legend, right of the plot area.
  for (size_t k = 0; k < plot.series.size(); ++k) {
    double y = L::top + 8 + 18 * k;
    os << "<line x1=\"" << num(L::right + 14) << "\" y1=\"" << num(y)
       << "\" x2=\"" << num(L::right + 38) << "\" y2=\"" << num(y)
       << "\" stroke=\"" << kColors[k % std::size(kColors)]
       << "\" stroke-width=\"3\"" << dash(k) << "/>\n<text x=\""
       << num(L::right + 44) << "\" y=\"" << num(y + 4) << "\">"
       << escapeXml(plot.series[k].name) << "</text>\n";
  }
  os << "</svg>\n";
  return out;
}
