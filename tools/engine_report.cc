// The engine comparison of a study whose points ran more than one tile kind (pe/tile/): a row per
// point, and the ratios of every pair of kinds. PermDNN's claims are ratios at equal storage, so
// each point is paired with the other kind's point that shares its other axes and holds the
// closest number of weights; the pairing is shown (stored A / B), never assumed.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>

#include "configs/user_error.h"
#include "tools/number_format.h"
#include "tools/study_points.h"
#include "tools/study_report.h"

namespace nocsim::tools {
namespace {

struct EnginePoint {
  std::string kind, label, group;
  std::string engine, others;  // the label's two parts: the engine axes' values, the other axes
  double per_second = 0, energy_pj = 0, area_mm2 = 0, stored = 0, latency = 0;
  std::optional<double> accuracy, imbalance;
};

struct EngineComparison {
  StudyCosts costs;
  std::vector<EnginePoint> points;
  std::vector<std::pair<size_t, size_t>> pairs;  // (a, b) into points; kind a before kind b
};

const char* const kKindColumn = "accelerator.tile_kind";

// Axes whose value decides the tile kind: two rows that differ only in it ran different kinds.
std::vector<std::string> engine_axes(const CsvTable& t, const std::vector<std::string>& axes,
                                     const std::vector<size_t>& rows) {
  std::vector<std::string> out;
  for (const std::string& a : axes) {
    bool decides = false;
    for (size_t i = 0; i < rows.size() && !decides; ++i)
      for (size_t j = i + 1; j < rows.size() && !decides; ++j) {
        const size_t r1 = rows[i], r2 = rows[j];
        if (t.at(r1, kKindColumn) == t.at(r2, kKindColumn)) continue;
        bool others_equal = axis_value(t, r1, a) != axis_value(t, r2, a);
        for (const std::string& b : axes)
          if (b != a && axis_value(t, r1, b) != axis_value(t, r2, b)) others_equal = false;
        decides = others_equal;
      }
    if (decides) out.push_back(a);
  }
  return out;
}

// Sum over a point's layers of busiest / mean tile compute cycles, from layers.csv.
std::map<std::string, double> imbalance_by_point(const CsvTable* layers) {
  std::map<std::string, std::pair<double, double>> sums;
  if (layers && layers->has("point_index") && layers->has("busiest_tile_cycles") &&
      layers->has("mean_tile_cycles"))
    for (size_t r = 0; r < layers->rows(); ++r) {
      auto& [busiest, mean] = sums[layers->at(r, "point_index")];
      busiest += layers->number(r, "busiest_tile_cycles").value_or(0);
      mean += layers->number(r, "mean_tile_cycles").value_or(0);
    }
  std::map<std::string, double> out;
  for (const auto& [point, s] : sums)
    if (s.second > 0) out[point] = s.first / s.second - 1.0;
  return out;
}

EngineComparison compare(const CsvTable& t, const CsvTable* layers) {
  EngineComparison c;
  c.costs = study_costs(t);
  std::vector<size_t> rows;
  for (size_t r = 0; r < t.rows(); ++r)
    if (!point_failed(t, r)) rows.push_back(r);
  const std::vector<std::string> axes = sweep_axes(t);
  const std::vector<std::string> decide = engine_axes(t, axes, rows);
  const std::map<std::string, double> imbalance = imbalance_by_point(layers);
  std::vector<std::string> kinds;  // in order of first appearance
  for (size_t r : rows) {
    EnginePoint p;
    p.kind = t.at(r, kKindColumn);
    if (std::find(kinds.begin(), kinds.end(), p.kind) == kinds.end()) kinds.push_back(p.kind);
    // The engine axes' values name the engine; the other axes group the points and are shown
    // by the last part of their field: "[weights=fit]".
    for (const std::string& a : axes) {
      const std::string v = axis_value(t, r, a);
      if (std::find(decide.begin(), decide.end(), a) != decide.end()) {
        p.engine += (p.engine.empty() ? "" : ", ") + v;
      } else {
        p.group += a + "=" + v + "|";
        p.others += (p.others.empty() ? "" : ", ") + a.substr(a.rfind('.') + 1) + "=" + v;
      }
    }
    if (p.engine.empty()) p.engine = p.kind + " (" + t.at(r, "accelerator.model") + ")";
    p.label = p.engine + (p.others.empty() ? "" : " [" + p.others + "]");
    p.latency = t.number(r, c.costs.latency_column).value_or(0);
    p.energy_pj = t.number(r, c.costs.energy_column).value_or(0);
    if (c.costs.steady) {
      p.per_second = t.number(r, "accelerator.steady.inferences_per_second").value_or(0);
    } else {
      // The clock from the run's own cycles and time; throughput = one over the latency.
      const double cycles = t.number(r, "accelerator.cycles").value_or(0);
      const double us = t.number(r, "accelerator.time_us").value_or(0);
      p.per_second = cycles > 0 && us > 0 && p.latency > 0 ? cycles * 1e6 / (us * p.latency) : 0;
    }
    p.area_mm2 = t.number(r, "accelerator.area.total_mm2").value_or(0);
    p.stored = t.number(r, "accelerator.stored_weights").value_or(0);
    p.accuracy = t.number(r, "accelerator.accuracy");
    if (t.has("point_index")) {
      auto it = imbalance.find(t.at(r, "point_index"));
      if (it != imbalance.end()) p.imbalance = it->second;
    }
    c.points.push_back(std::move(p));
  }
  auto rank = [&](const std::string& k) { return std::find(kinds.begin(), kinds.end(), k); };
  for (size_t i = 0; i < c.points.size(); ++i) {
    const EnginePoint& a = c.points[i];
    for (auto kb = rank(a.kind) + 1; kb != kinds.end(); ++kb) {
      std::optional<size_t> best;
      for (size_t j = 0; j < c.points.size(); ++j) {
        const EnginePoint& b = c.points[j];
        if (b.kind != *kb || b.group != a.group) continue;
        if (!best || std::abs(std::log(b.stored / a.stored)) <
                         std::abs(std::log(c.points[*best].stored / a.stored)))
          best = j;
      }
      if (best) c.pairs.emplace_back(i, *best);
    }
  }
  return c;
}

// a / b, 0 when b is 0 (a point that ran nothing): no infinities in a table or a figure.
double over(double a, double b) {
  const double v = b != 0 ? a / b : 0;
  return std::isfinite(v) ? v : 0;
}

// Inferences per second per mm^2.
double area_efficiency(const EnginePoint& p) {
  return over(p.per_second, p.area_mm2);
}

// What the table and the figure show of a pair A / B (above 1: A does better).
struct PairRatios {
  double throughput, energy_efficiency, area_efficiency;
};

PairRatios ratios(const EnginePoint& a, const EnginePoint& b) {
  return {over(a.per_second, b.per_second), over(b.energy_pj, a.energy_pj),
          over(area_efficiency(a), area_efficiency(b))};
}

std::string ratio(double v) {
  return std::isfinite(v) && v > 0 ? fixed(v, v < 10 ? 2 : 1) + "x" : "n/a";
}

// "permdnn-p4 / eie-25% [weights=fit]": the pair shares its other axes.
std::string pair_label(const EngineComparison& c, const std::pair<size_t, size_t>& p) {
  const EnginePoint &a = c.points[p.first], &b = c.points[p.second];
  return a.engine + " / " + b.engine + (a.others.empty() ? "" : " [" + a.others + "]");
}

}  // namespace

bool compares_engines(const CsvTable& t) {
  if (!t.has(kKindColumn) || !t.has("accelerator.area.total_mm2")) return false;
  std::string first;
  for (size_t r = 0; r < t.rows(); ++r) {
    if (point_failed(t, r)) continue;
    if (first.empty()) first = t.at(r, kKindColumn);
    if (t.at(r, kKindColumn) != first) return true;
  }
  return false;
}

std::string engine_comparison_markdown(const CsvTable& t, const CsvTable* layers) {
  const EngineComparison c = compare(t, layers);
  std::ostringstream md;
  const std::string per = c.costs.steady ? "steady " : "";
  md << "## Engines\n\nRegime: " << c.costs.regime
     << ". Area efficiency = inferences per second / total area (tiles' SRAM, multipliers and "
        "decoders, routers). Load imbalance = the layers' busiest-tile compute cycles over their "
        "mean tile's, minus one (first image).\n\n"
     << "| engine | tile kind | stored weights | " << per
     << "cycles/inference | inferences/s | energy/inference (uJ) | area (mm^2) | "
        "inferences/s/mm^2 | accuracy | load imbalance |\n"
     << "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const EnginePoint& p : c.points)
    md << "| " << p.label << " | " << p.kind << " | " << fixed(p.stored, 0) << " | "
       << fixed(p.latency, 0) << " | " << fixed(p.per_second, 0) << " | "
       << fixed(p.energy_pj / 1e6, 3) << " | " << fixed(p.area_mm2, 3) << " | "
       << fixed(area_efficiency(p), 0) << " | "
       << (p.accuracy ? fixed(100 * *p.accuracy, 2) + "%" : "n/a") << " | "
       << (p.imbalance ? "+" + fixed(100 * *p.imbalance, 1) + "%" : "n/a") << " |\n";
  if (c.pairs.empty()) return md.str();
  md << "\n### Ratios\n\nEach point of a tile kind against the point of a later kind (in the "
        "results' order) with the same other axes and the closest stored-weight count. "
        "Throughput and area efficiency: A / B; energy efficiency: energy B / energy A (above 1: "
        "A does better).\n\n"
     << "| A / B | stored weights A / B | throughput | energy efficiency | area efficiency | "
        "accuracy A - B |\n"
     << "| --- | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& pr : c.pairs) {
    const EnginePoint &a = c.points[pr.first], &b = c.points[pr.second];
    const PairRatios x = ratios(a, b);
    md << "| " << pair_label(c, pr) << " | " << fixed(over(a.stored, b.stored), 2) << " | "
       << ratio(x.throughput) << " | " << ratio(x.energy_efficiency) << " | "
       << ratio(x.area_efficiency) << " | "
       << (a.accuracy && b.accuracy ? (*a.accuracy >= *b.accuracy ? "+" : "") +
                                          fixed(100 * (*a.accuracy - *b.accuracy), 2) + " pp"
                                    : std::string("n/a"))
       << " |\n";
  }
  return md.str();
}

void plot_engine_ratios(const CsvTable& t, const std::string& out, const FigureStyle& style) {
  const EngineComparison c = compare(t, nullptr);
  if (c.pairs.empty())
    throw UserError(t.name() + ": no two tile kinds with the same other axes to compare");
  std::vector<Bar> bars;
  for (const auto& pr : c.pairs) {
    const PairRatios x = ratios(c.points[pr.first], c.points[pr.second]);
    bars.push_back({pair_label(c, pr), {x.throughput, x.energy_efficiency, x.area_efficiency}});
  }
  PlotSpec spec{std::string("Engine ratios A / B at the closest stored-weight count, ") +
                    (c.costs.steady ? "steady state" : "cold start"),
                "", "ratio (above 1: A does better)", false, ""};
  spec.style = style;
  spec.y_line = 1.0;
  draw_clustered_bars(spec, {"throughput", "energy efficiency", "area efficiency"}, bars, out);
}

}  // namespace nocsim::tools
