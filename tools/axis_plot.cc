// Cost per inference against a numeric sweep axis (local memory size, DRAM bandwidth, mesh size),
// one line per codec: where along the axis compression stops paying.
#include <algorithm>
#include <map>

#include "configs/user_error.h"
#include "tools/number_format.h"
#include "tools/study_points.h"
#include "tools/study_report.h"

namespace nocsim::tools {

std::vector<std::string> numeric_axes(const CsvTable& t) {
  std::vector<std::string> out;
  for (const std::string& axis : sweep_axes(t)) {
    if (codec_axis(axis) || axis == "sim.seed") continue;
    bool numeric = t.rows() > 0;
    for (size_t r = 0; r < t.rows() && numeric; ++r)
      numeric = to_number(axis_value(t, r, axis)).has_value();
    if (numeric) out.push_back(axis);
  }
  return out;
}

void plot_cost_vs_axis(const CsvTable& t, const std::string& axis, const std::string& metric,
                       const std::string& out, const FigureStyle& style) {
  const std::vector<std::string> axes = numeric_axes(t);
  if (std::find(axes.begin(), axes.end(), axis) == axes.end()) {
    std::string valid;
    for (const auto& a : axes) valid += (valid.empty() ? "" : ", ") + a;
    throw UserError("--x: the results have no numeric sweep axis '" + axis +
                    "'; numeric axes: " + (valid.empty() ? "none" : valid));
  }
  const bool latency = metric == "latency";
  const StudyCosts costs = study_costs(t);
  const std::string column = latency ? costs.latency_column : costs.energy_column;
  // One line per codec and per value of the axes that are neither the codec's nor this one.
  std::map<std::string, Series> lines;
  std::map<std::string, int> per_family;  // codecs of one family share colour and marker: dash
  bool all_positive = true;
  for (size_t r = 0; r < t.rows(); ++r) {
    if (point_failed(t, r)) continue;
    const auto x = to_number(axis_value(t, r, axis));
    auto y = t.number(r, column);
    if (!x || !y) continue;
    if (!latency) *y /= 1e6;  // pJ -> uJ
    all_positive = all_positive && *x > 0;
    std::string others;
    for (const std::string& a : sweep_axes(t))
      if (a != axis && !codec_axis(a))
        others +=
            (others.empty() ? "" : ", ") + a.substr(a.rfind('.') + 1) + "=" + axis_value(t, r, a);
    const std::string name = codec_label(t, r) + (others.empty() ? "" : " [" + others + "]");
    Series& s = lines[name];
    if (s.title.empty()) {
      const std::string family = codec_family(t.at(r, "accelerator.codec"));
      s.title = name;
      s.style = "linespoints " + family_style(family) + " ps 1.4 dt " +
                std::to_string(++per_family[family]);
    }
    s.points.emplace_back(*x, *y);
  }
  if (lines.empty())
    throw UserError(t.name() + ": no finished points with '" + column + "' to draw");
  std::vector<Series> series;
  for (auto& [name, s] : lines) {
    std::sort(s.points.begin(), s.points.end());
    series.push_back(std::move(s));
  }
  const std::string field = axis.substr(axis.rfind('.') + 1);
  PlotSpec spec{std::string(latency ? "Latency" : "Energy") + " per inference vs " + field + ", " +
                    (costs.steady ? "steady state" : "cold start"),
                axis, latency ? "latency per inference (cycles)" : "energy per inference (uJ)",
                false, "right center"};
  spec.style = style;
  spec.log_x = all_positive;
  draw_xy(spec, series, out);
}

}  // namespace nocsim::tools
