//===- Report.cpp - tables and plots of a sweep ---------------------------===//
#include "normfuse/Sweep/Report.h"
#include "normfuse/Sweep/Statistics.h"
#include "normfuse/Sweep/SvgPlot.h"
#include "normfuse/Sweep/Table.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace llvm;
using namespace normfuse::sweep;

namespace {

std::string fmt(double v, int decimals = 4) {
  if (std::isnan(v))
    return "n/a";
  return formatv("{0}", format("%.*f", decimals, v)).str();
}

std::string signedFmt(double v, int decimals = 4) {
  if (std::isnan(v))
    return "n/a";
  return formatv("{0}", format("%+.*f", decimals, v)).str();
}

/// What the sweep knows about one variant (cell x learning rate).
struct VariantStats {
  Summary finals; // final validation loss of the finished runs
  size_t runs = 0, ok = 0, diverged = 0, failed = 0, missing = 0;
  std::vector<size_t> runIndices;
  std::string flags;
  double satFrac = NAN; // mean over finished runs with diagnostics
};

/// Seeds' curves on a common step axis: mean, min and max at every step
/// that at least one run logged.
struct Band {
  std::vector<double> x, mean, lo, hi;
};

Band aggregate(ArrayRef<StepSeries> runs) {
  std::map<int64_t, std::vector<double>> at;
  for (const StepSeries &s : runs)
    for (auto [step, v] : s)
      if (std::isfinite(v))
        at[step].push_back(v);
  Band b;
  for (auto &[step, values] : at) {
    Summary s = summarize(values);
    b.x.push_back(double(step));
    b.mean.push_back(s.mean);
    b.lo.push_back(s.min);
    b.hi.push_back(s.max);
  }
  return b;
}

PlotSeries series(StringRef name, const Band &b) {
  return {name.str(), b.x, b.mean, b.lo, b.hi};
}

/// "layers.3.attn.wq" -> "attn.wq": the weight group over layers.
std::string groupOf(StringRef name) {
  SmallVector<StringRef> m;
  if (Regex("^layers\\.[0-9]+\\.(.*)$").match(name, &m))
    return m[1].str();
  return name.str();
}

/// Per run: the mean over the fields `prefix` + name whose name maps to
/// `group` (all when group is empty), at each step.
StepSeries groupMean(const RunMetrics &m, StringRef prefix,
                     function_ref<bool(StringRef)> member) {
  std::map<int64_t, std::pair<double, int>> acc;
  for (const auto &[key, series] : m.fields) {
    StringRef k(key);
    if (!k.consume_front(prefix) || !member(k))
      continue;
    for (auto [step, v] : series) {
      acc[step].first += v;
      acc[step].second += 1;
    }
  }
  StepSeries out;
  for (auto &[step, sn] : acc)
    out[step] = sn.first / sn.second;
  return out;
}

/// Per run: the maximum over the fields with `prefix`, at each step.
StepSeries groupMax(const RunMetrics &m, StringRef prefix) {
  StepSeries out;
  for (const auto &[key, series] : m.fields) {
    if (!StringRef(key).starts_with(prefix))
      continue;
    for (auto [step, v] : series) {
      auto [it, inserted] = out.try_emplace(step, v);
      if (!inserted)
        it->second = std::max(it->second, v);
    }
  }
  return out;
}

/// The field names (after `prefix`) any run of `runs` logged.
std::set<std::string> fieldNames(ArrayRef<const RunResult *> runs,
                                 StringRef prefix) {
  std::set<std::string> names;
  for (const RunResult *r : runs)
    for (const auto &kv : r->metrics.fields)
      if (StringRef(kv.first).starts_with(prefix))
        names.insert(kv.first.substr(prefix.size()));
  return names;
}

class ReportWriter {
public:
  ReportWriter(const Grid &grid, const Plan &plan, ArrayRef<RunResult> results,
               double unigram, StringRef dir)
      : grid(grid), plan(plan), results(results), unigram(unigram),
        dir(dir.str()) {}

  Error write();

private:
  const Grid &grid;
  const Plan &plan;
  ArrayRef<RunResult> results;
  double unigram;
  std::string dir;
  std::vector<VariantStats> stats;   // per variant
  std::vector<int> best;             // per cell: variant index or -1
  std::vector<std::string> plotList; // relative paths, for summary.md

  Error save(StringRef relative, StringRef text) {
    SmallString<256> path(dir);
    sys::path::append(path, relative);
    if (std::error_code ec =
            sys::fs::create_directories(sys::path::parent_path(path)))
      return createStringError(ec, "%s: error: %s", path.c_str(),
                               ec.message().c_str());
    std::error_code ec;
    ToolOutputFile file(path, ec, sys::fs::OF_Text);
    if (ec)
      return createStringError(ec, "%s: error: %s", path.c_str(),
                               ec.message().c_str());
    file.os() << text;
    file.keep();
    return Error::success();
  }

  std::string cellName(size_t c) const {
    std::vector<std::string> parts;
    for (size_t f = 0; f < grid.factors.size(); ++f)
      parts.push_back(grid.factors[f].name + "=" +
                      grid.factors[f].levels[plan.cells[c].levels[f]].name);
    return parts.empty() ? "base" : join(parts, ", ");
  }

  /// The cell with `levels`.
  size_t cellAt(ArrayRef<int> levels) const {
    for (size_t c = 0; c < plan.cells.size(); ++c)
      if (ArrayRef(plan.cells[c].levels) == levels)
        return c;
    return 0; // unreachable for levels of the grid
  }

  bool hasBaseline() const {
    return llvm::any_of(grid.baseline, [](int l) { return l >= 0; });
  }

  size_t baselineOf(size_t c) const {
    std::vector<int> levels = plan.cells[c].levels;
    for (size_t f = 0; f < levels.size(); ++f)
      if (grid.baseline[f] >= 0)
        levels[f] = grid.baseline[f];
    return cellAt(levels);
  }

  const Summary *bestSummary(size_t c) const {
    return best[c] >= 0 ? &stats[best[c]].finals : nullptr;
  }

  std::vector<const RunResult *> finishedRuns(size_t v) const {
    std::vector<const RunResult *> out;
    for (size_t r : stats[v].runIndices)
      if (results[r].state == RunState::Ok)
        out.push_back(&results[r]);
    return out;
  }

  void computeStats();
  std::string flagsOf(const std::vector<size_t> &runIndices) const;
  std::string leftUnigramOf(const std::vector<size_t> &runIndices) const;
  Table summaryTable(bool markdown) const;
  Table lrTable(bool markdown) const;
  Table interactionTable(bool markdown) const;
  Error writePlots();
  Error plotDiagnostics(size_t c);
  std::string markdown(const Table &summary, const Table &lr,
                       const Table &interaction) const;
};

void ReportWriter::computeStats() {
  stats.assign(plan.variants.size(), {});
  for (size_t r = 0; r < plan.runs.size(); ++r)
    stats[plan.runs[r].variant].runIndices.push_back(r);
  for (size_t v = 0; v < plan.variants.size(); ++v) {
    VariantStats &s = stats[v];
    std::vector<double> finals, sats;
    for (size_t r : s.runIndices) {
      const RunResult &res = results[r];
      ++s.runs;
      switch (res.state) {
      case RunState::Ok:
        ++s.ok;
        if (std::isfinite(res.finalValLoss))
          finals.push_back(res.finalValLoss);
        if (std::isfinite(res.check.satFrac))
          sats.push_back(res.check.satFrac);
        break;
      case RunState::Diverged:
        ++s.diverged;
        break;
      case RunState::Failed:
        ++s.failed;
        break;
      case RunState::Missing:
        ++s.missing;
        break;
      }
    }
    s.finals = summarize(finals);
    if (!sats.empty())
      s.satFrac = summarize(sats).mean;
    s.flags = flagsOf(s.runIndices);
  }
  best.assign(plan.cells.size(), -1);
  for (size_t c = 0; c < plan.cells.size(); ++c)
    for (size_t v : plan.cells[c].variants) {
      if (stats[v].finals.n == 0)
        continue;
      auto key = [&](size_t x) {
        return std::make_pair(stats[x].diverged > 0, stats[x].finals.mean);
      };
      if (best[c] < 0 || key(v) < key(best[c]))
        best[c] = int(v);
    }
}

std::string ReportWriter::flagsOf(const std::vector<size_t> &runIndices) const {
  size_t n = runIndices.size();
  std::vector<std::string> flags, divergedAt, stuckAt;
  size_t failed = 0, missing = 0, saturated = 0;
  std::map<std::string, int> satLayers;
  double satSum = 0;
  for (size_t r : runIndices) {
    const RunResult &res = results[r];
    if (res.state == RunState::Diverged)
      divergedAt.push_back(std::to_string(res.stopStep));
    else if (res.state == RunState::Failed)
      ++failed;
    else if (res.state == RunState::Missing)
      ++missing;
    if (res.state != RunState::Ok)
      continue;
    if (res.check.stuck)
      stuckAt.push_back(res.check.leftUnigramAt
                            ? std::to_string(*res.check.leftUnigramAt)
                            : std::string("never"));
    if (res.check.saturated) {
      ++saturated;
      satSum += res.check.satFrac;
      ++satLayers[res.check.satLayer];
    }
  }
  if (!divergedAt.empty())
    flags.push_back(formatv("diverged {0}/{1} (NaN/Inf at step {2})",
                            divergedAt.size(), n, join(divergedAt, ", "))
                        .str());
  if (!stuckAt.empty()) {
    bool never = llvm::all_of(
        stuckAt, [](const std::string &s) { return s == "never"; });
    flags.push_back(
        never ? formatv("never left the unigram loss {0} ({1}/{2})",
                        fmt(unigram, 2), stuckAt.size(), n)
                    .str()
              : formatv("stuck at the unigram loss {0} until step {1} "
                        "({2}/{3})",
                        fmt(unigram, 2), join(stuckAt, ", "), stuckAt.size(), n)
                    .str());
  }
  if (saturated) {
    auto layer = std::max_element(
        satLayers.begin(), satLayers.end(),
        [](const auto &a, const auto &b) { return a.second < b.second; });
    flags.push_back(formatv("saturated: sat_frac {0} in {1} ({2}/{3})",
                            fmt(satSum / saturated, 2), layer->first, saturated,
                            n)
                        .str());
  }
  if (failed)
    flags.push_back(formatv("failed {0}/{1}", failed, n).str());
  if (missing)
    flags.push_back(formatv("not run {0}/{1}", missing, n).str());
  return join(flags, "; ");
}

/// The step at which each finished seed's loss left the unigram loss:
/// "100, 110, never"; "never" when none did; "" without a unigram loss.
std::string
ReportWriter::leftUnigramOf(const std::vector<size_t> &runIndices) const {
  if (!std::isfinite(unigram))
    return "";
  std::vector<std::string> steps;
  bool any = false;
  for (size_t r : runIndices) {
    if (results[r].state != RunState::Ok)
      continue;
    const std::optional<int64_t> &at = results[r].check.leftUnigramAt;
    any |= at.has_value();
    steps.push_back(at ? std::to_string(*at) : "never");
  }
  return any || steps.empty() ? join(steps, " ") : "never";
}

Table ReportWriter::summaryTable(bool md) const {
  Table t;
  for (const Factor &f : grid.factors)
    t.header.push_back(f.name);
  bool baseline = hasBaseline();
  if (md) {
    t.header.insert(t.header.end(), {"best lr", "seeds", "final val loss"});
    if (baseline)
      t.header.push_back("gap to baseline");
    t.header.insert(t.header.end(), {"left unigram at", "sat_frac", "flags"});
  } else {
    t.header.insert(t.header.end(),
                    {"best_lr", "n", "diverged", "val_loss_mean",
                     "val_loss_std", "val_loss_min", "val_loss_max"});
    if (baseline)
      t.header.insert(t.header.end(), {"baseline", "gap", "gap_spread"});
    t.header.insert(t.header.end(), {"left_unigram_at", "sat_frac", "flags"});
  }
  for (size_t c = 0; c < plan.cells.size(); ++c) {
    std::vector<std::string> row;
    for (size_t f = 0; f < grid.factors.size(); ++f)
      row.push_back(grid.factors[f].levels[plan.cells[c].levels[f]].name);
    int v = best[c];
    // Without a finished run the cell's row says why, from all variants.
    const VariantStats *s = v >= 0 ? &stats[v] : nullptr;
    std::string flags;
    if (s)
      flags = s->flags;
    else {
      std::vector<size_t> all;
      for (size_t x : plan.cells[c].variants)
        all.insert(all.end(), stats[x].runIndices.begin(),
                   stats[x].runIndices.end());
      flags = "no finished run: " + flagsOf(all);
    }
    std::string lr = s ? plan.variants[v].lrLabel : "";
    Summary f = s ? s->finals : summarize({});
    std::string gap, gapSpread, gapMd, base;
    if (baseline) {
      size_t b = baselineOf(c);
      base = plan.cells[b].id;
      const Summary *bs = bestSummary(b);
      if (b == c) {
        gapMd = "baseline";
        gap = gapSpread = "0";
      } else if (s && bs) {
        Estimate e = difference(f, *bs);
        gap = formatv("{0}", format("%.6g", e.value)).str();
        gapSpread = formatv("{0}", format("%.6g", e.spread)).str();
        gapMd = signedFmt(e.value) + " ± " + fmt(e.spread);
      } else {
        gapMd = "n/a";
      }
    }
    std::string sat = s && std::isfinite(s->satFrac) ? fmt(s->satFrac, 3) : "";
    std::string left = s ? leftUnigramOf(s->runIndices) : "";
    if (md) {
      row.push_back(lr.empty() ? "(spec)" : lr);
      row.push_back(s ? formatv("{0}/{1}", s->finals.n, s->runs).str() : "0");
      row.push_back(s ? fmt(f.mean) + " ± " + fmt(f.std) : "n/a");
      if (baseline)
        row.push_back(gapMd);
      row.push_back(left.empty() ? "—" : left);
      row.push_back(sat.empty() ? "—" : sat);
      row.push_back(flags.empty() ? "—" : flags);
    } else {
      row.push_back(lr);
      row.push_back(std::to_string(f.n));
      row.push_back(s ? std::to_string(s->diverged) : "");
      for (double x : {f.mean, f.std, f.min, f.max})
        row.push_back(std::isnan(x) ? ""
                                    : formatv("{0}", format("%.6g", x)).str());
      if (baseline)
        row.insert(row.end(), {base, gap, gapSpread});
      row.push_back(left);
      row.push_back(sat);
      row.push_back(flags);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table ReportWriter::lrTable(bool md) const {
  Table t;
  for (const Factor &f : grid.factors)
    t.header.push_back(f.name);
  if (md)
    t.header.insert(t.header.end(),
                    {"lr", "seeds", "final val loss", "min", "max", "best",
                     "left unigram at", "sat_frac", "flags"});
  else
    t.header.insert(t.header.end(),
                    {"lr", "n", "diverged", "val_loss_mean", "val_loss_std",
                     "val_loss_min", "val_loss_max", "best", "left_unigram_at",
                     "sat_frac", "flags"});
  for (size_t v = 0; v < plan.variants.size(); ++v) {
    const Variant &var = plan.variants[v];
    const VariantStats &s = stats[v];
    std::vector<std::string> row;
    for (size_t f = 0; f < grid.factors.size(); ++f)
      row.push_back(
          grid.factors[f].levels[plan.cells[var.cell].levels[f]].name);
    bool isBest = best[var.cell] == int(v);
    std::string sat = std::isfinite(s.satFrac) ? fmt(s.satFrac, 3) : "";
    if (md) {
      row.push_back(var.lrLabel.empty() ? "(spec)" : var.lrLabel);
      row.push_back(formatv("{0}/{1}", s.finals.n, s.runs).str());
      row.push_back(fmt(s.finals.mean) + " ± " + fmt(s.finals.std));
      row.push_back(fmt(s.finals.min));
      row.push_back(fmt(s.finals.max));
      row.push_back(isBest ? "yes" : "");
      std::string left = leftUnigramOf(s.runIndices);
      row.push_back(left.empty() ? "—" : left);
      row.push_back(sat.empty() ? "—" : sat);
      row.push_back(s.flags.empty() ? "—" : s.flags);
    } else {
      row.push_back(var.lrLabel);
      row.push_back(std::to_string(s.finals.n));
      row.push_back(std::to_string(s.diverged));
      for (double x : {s.finals.mean, s.finals.std, s.finals.min, s.finals.max})
        row.push_back(std::isnan(x) ? ""
                                    : formatv("{0}", format("%.6g", x)).str());
      row.push_back(isBest ? "1" : "0");
      row.push_back(leftUnigramOf(s.runIndices));
      row.push_back(sat);
      row.push_back(s.flags);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table ReportWriter::interactionTable(bool md) const {
  Table t;
  const Factor &a = grid.factors[0], &b = grid.factors[1];
  int a0 = grid.referenceLevel(0), b0 = grid.referenceLevel(1);
  t.header = {a.name, b.name};
  if (md)
    t.header.push_back(formatv("interaction vs ({0}={1}, {2}={3})", a.name,
                               a.levels[a0].name, b.name, b.levels[b0].name)
                           .str());
  else
    t.header.insert(t.header.end(), {"interaction", "spread"});
  for (int i = 0; i < int(a.levels.size()); ++i)
    for (int j = 0; j < int(b.levels.size()); ++j) {
      if (i == a0 || j == b0)
        continue;
      const Summary *cell = bestSummary(cellAt({i, j}));
      const Summary *rowRef = bestSummary(cellAt({a0, j}));
      const Summary *colRef = bestSummary(cellAt({i, b0}));
      const Summary *ref = bestSummary(cellAt({a0, b0}));
      std::vector<std::string> row = {a.levels[i].name, b.levels[j].name};
      if (cell && rowRef && colRef && ref) {
        Estimate e = interaction(*cell, *rowRef, *colRef, *ref);
        if (md)
          row.push_back(signedFmt(e.value) + " ± " + fmt(e.spread));
        else
          row.insert(row.end(),
                     {formatv("{0}", format("%.6g", e.value)).str(),
                      formatv("{0}", format("%.6g", e.spread)).str()});
      } else {
        row.push_back("n/a");
        if (!md)
          row.push_back("");
      }
      t.rows.push_back(std::move(row));
    }
  return t;
}

Error ReportWriter::writePlots() {
  auto lossRange = [&](PlotSpec &p) {
    // The first steps' loss (ln 256 = 5.5) would flatten the rest: the y
    // axis ends a little above the unigram loss or above the highest final
    // loss, whichever is higher.
    double top = -INFINITY;
    for (const PlotSeries &s : p.series)
      if (!s.y.empty())
        top = std::max(top, s.y.back() + 0.3);
    if (std::isfinite(unigram)) {
      top = std::max(top, unigram + 0.6);
      p.hLines.push_back({unigram, formatv("unigram {0}", fmt(unigram, 2))});
    }
    if (std::isfinite(top))
      p.yMax = top;
  };
  // Per cell: one curve per learning rate.
  for (size_t c = 0; c < plan.cells.size(); ++c) {
    PlotSpec p;
    p.title = cellName(c) + ": training loss, mean and min-max over seeds";
    p.xLabel = "step";
    p.yLabel = "training loss (nats)";
    for (size_t v : plan.cells[c].variants) {
      std::vector<StepSeries> curves;
      for (const RunResult *r : finishedRuns(v))
        curves.push_back(r->metrics.loss);
      std::string name = plan.variants[v].lrLabel.empty()
                             ? "spec lr"
                             : "lr " + plan.variants[v].lrLabel;
      if (best[c] == int(v) && plan.cells[c].variants.size() > 1)
        name += " (best)";
      p.series.push_back(series(name, aggregate(curves)));
    }
    lossRange(p);
    std::string file = "plots/cell-" + plan.cells[c].id + ".svg";
    if (Error e = save(file, renderSvg(p)))
      return e;
    plotList.push_back(file);
  }
  // Per factor: its levels at their best learning rates, one plot per
  // combination of the other factors' levels.
  for (size_t f = 0; f < grid.factors.size(); ++f) {
    std::set<std::vector<int>> slices;
    for (const Cell &cell : plan.cells) {
      std::vector<int> key = cell.levels;
      key[f] = -1;
      slices.insert(key);
    }
    for (const std::vector<int> &slice : slices) {
      PlotSpec p;
      std::vector<std::string> fixed, ids;
      for (size_t g = 0; g < grid.factors.size(); ++g)
        if (g != f) {
          fixed.push_back(grid.factors[g].name + "=" +
                          grid.factors[g].levels[slice[g]].name);
          ids.push_back(fileSafe(grid.factors[g].levels[slice[g]].name));
        }
      p.title = grid.factors[f].name +
                (fixed.empty() ? "" : " (" + join(fixed, ", ") + ")") +
                ": training loss at each cell's best lr";
      p.xLabel = "step";
      p.yLabel = "training loss (nats)";
      for (size_t l = 0; l < grid.factors[f].levels.size(); ++l) {
        std::vector<int> levels = slice;
        levels[f] = int(l);
        size_t c = cellAt(levels);
        std::vector<StepSeries> curves;
        std::string name = grid.factors[f].levels[l].name;
        if (best[c] >= 0) {
          for (const RunResult *r : finishedRuns(best[c]))
            curves.push_back(r->metrics.loss);
          if (!plan.variants[best[c]].lrLabel.empty())
            name += " (lr " + plan.variants[best[c]].lrLabel + ")";
        }
        p.series.push_back(series(name, aggregate(curves)));
      }
      lossRange(p);
      std::string file = "plots/factor-" + fileSafe(grid.factors[f].name) +
                         (ids.empty() ? "" : "-" + join(ids, "_")) + ".svg";
      if (Error e = save(file, renderSvg(p)))
        return e;
      plotList.push_back(file);
    }
  }
  // Diagnostics overviews: one curve per cell (best lr).
  struct Overview {
    const char *file, *title, *yLabel;
    std::function<StepSeries(const RunMetrics &)> reduce;
  };
  std::vector<Overview> overviews = {
      {"plots/diag-sat_frac.svg",
       "saturation: largest sat_frac (|alpha x + s| > 2) over layers",
       "sat_frac of the most saturated layer",
       [](const RunMetrics &m) { return groupMax(m, "sat_frac."); }},
      {"plots/diag-sigma_max.svg",
       "sigma_max of the hidden matrices (mean over layers and matrices)",
       "sigma_max",
       [](const RunMetrics &m) {
         return groupMean(m, "sigma_max.",
                          [](StringRef n) { return n.starts_with("layers."); });
       }},
      {"plots/diag-gamma_rms.svg", "scale vectors: mean gamma_rms", "gamma_rms",
       [](const RunMetrics &m) {
         return groupMean(m, "gamma_rms.", [](StringRef) { return true; });
       }}};
  for (const Overview &o : overviews) {
    PlotSpec p;
    p.title = std::string(o.title) + ", best lr per cell";
    p.xLabel = "step";
    p.yLabel = o.yLabel;
    for (size_t c = 0; c < plan.cells.size(); ++c) {
      if (best[c] < 0)
        continue;
      std::vector<StepSeries> curves;
      for (const RunResult *r : finishedRuns(best[c]))
        if (StepSeries s = o.reduce(r->metrics); !s.empty())
          curves.push_back(std::move(s));
      if (!curves.empty())
        p.series.push_back(series(plan.cells[c].id, aggregate(curves)));
    }
    if (p.series.empty())
      continue;
    if (Error e = save(o.file, renderSvg(p)))
      return e;
    plotList.push_back(o.file);
  }
  for (size_t c = 0; c < plan.cells.size(); ++c)
    if (Error e = plotDiagnostics(c))
      return e;
  return Error::success();
}

/// Per cell (best lr): sat_frac per layer, sigma_max per weight group,
/// gamma_rms per scale-vector group.
Error ReportWriter::plotDiagnostics(size_t c) {
  if (best[c] < 0)
    return Error::success();
  std::vector<const RunResult *> runs = finishedRuns(best[c]);
  struct Kind {
    const char *prefix, *file, *title;
    bool grouped; // over layers
  };
  for (Kind k :
       {Kind{"sat_frac.", "sat_frac", "sat_frac per layer", false},
        Kind{"sigma_max.", "sigma_max",
             "sigma_max per weight group (mean over layers)", true},
        Kind{"gamma_rms.", "gamma_rms",
             "gamma_rms per scale vector group (mean over layers)", true}}) {
    std::set<std::string> names = fieldNames(runs, k.prefix);
    std::set<std::string> groups;
    for (const std::string &n : names)
      groups.insert(k.grouped ? groupOf(n) : n);
    if (groups.empty())
      continue;
    PlotSpec p;
    p.title = cellName(c) + ": " + k.title;
    p.xLabel = "step";
    p.yLabel = StringRef(k.prefix).drop_back().str();
    for (const std::string &g : groups) {
      std::vector<StepSeries> curves;
      for (const RunResult *r : runs)
        curves.push_back(groupMean(r->metrics, k.prefix, [&](StringRef n) {
          return (k.grouped ? groupOf(n) : n.str()) == g;
        }));
      p.series.push_back(series(g, aggregate(curves)));
    }
    std::string file =
        "plots/" + std::string(k.file) + "-" + plan.cells[c].id + ".svg";
    if (Error e = save(file, renderSvg(p)))
      return e;
    plotList.push_back(file);
  }
  return Error::success();
}

std::string ReportWriter::markdown(const Table &summary, const Table &lr,
                                   const Table &interaction) const {
  std::string out;
  raw_string_ostream os(out);
  int64_t steps = plan.variants.empty() ? 0 : plan.variants[0].steps;
  size_t lrs = 0;
  for (const Cell &c : plan.cells)
    lrs = std::max(lrs, c.variants.size());
  os << "# Sweep `" << grid.name << "`\n\n";
  os << formatv("{0} cells x up to {1} learning rate(s) x {2} seeds = {3} "
                "runs of {4} steps. ",
                plan.cells.size(), lrs, grid.seeds.size(), plan.runs.size(),
                steps);
  os << "Final validation loss (nats) at the last step: mean ± sample std "
        "over seeds, at each cell's best learning rate (lowest mean; a "
        "learning rate with a diverged seed ranks last).";
  if (hasBaseline()) {
    std::vector<std::string> named;
    for (size_t f = 0; f < grid.factors.size(); ++f)
      if (grid.baseline[f] >= 0)
        named.push_back(grid.factors[f].name + "=" +
                        grid.factors[f].levels[grid.baseline[f]].name);
    os << " Gap: cell minus the cell with " << join(named, ", ")
       << " (other factors equal) ± sqrt(se₁² + se₂²), se = std/√n.";
  }
  if (std::isfinite(unigram))
    os << " Unigram loss of the training data (entropy of its bytes): "
       << fmt(unigram, 3) << " nats.";
  os << "\n\nsat_frac: fraction of |αx + s| > 2 in the most saturated "
        "DyT/Derf layer over the last three log steps (mean over seeds). "
        "Left unigram at: the step at which each seed's training loss fell "
        "below the unigram loss − "
     << fmt(kUnigramMargin, 2)
     << " (median of three log records). Flags: stuck = only after half "
        "the run, or never; saturated = sat_frac > "
     << fmt(kSaturatedFraction, 1) << ".\n\n";
  writeMarkdown(summary, os);
  if (!interaction.rows.empty()) {
    os << "\n## Interaction\n\n(cell − same-" << grid.factors[1].name
       << " reference " << grid.factors[0].name << ") − (same-"
       << grid.factors[0].name << " cell at the reference "
       << grid.factors[1].name
       << " − reference cell), at the best learning rates; spread = "
          "sqrt of the sum of the four se².\n\n";
    writeMarkdown(interaction, os);
  }
  os << "\n## Every learning rate\n\n";
  writeMarkdown(lr, os);
  os << "\n## Plots\n\n";
  for (const std::string &p : plotList)
    os << "![" << sys::path::stem(p) << "](" << p << ")\n";
  return out;
}

Error ReportWriter::write() {
  computeStats();
  std::string csv, lrCsv, interactionCsv;
  raw_string_ostream a(csv), b(lrCsv), c(interactionCsv);
  writeCsv(summaryTable(false), a);
  writeCsv(lrTable(false), b);
  Table interactionMd;
  if (grid.factors.size() == 2) {
    writeCsv(interactionTable(false), c);
    interactionMd = interactionTable(true);
    if (Error e = save("interaction.csv", interactionCsv))
      return e;
  }
  if (Error e = save("summary.csv", csv))
    return e;
  if (Error e = save("lr.csv", lrCsv))
    return e;
  if (Error e = writePlots())
    return e;
  return save("summary.md",
              markdown(summaryTable(true), lrTable(true), interactionMd));
}

} // namespace

Error normfuse::sweep::writeReport(const Grid &grid, const Plan &plan,
                                   ArrayRef<RunResult> results, double unigram,
                                   StringRef dir) {
  return ReportWriter(grid, plan, results, unigram, dir).write();
}
