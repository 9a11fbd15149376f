#include "tools/study_report.h"
#include "tools/number_format.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "configs/schema/result.pb.h"
#include "configs/user_error.h"
#include "tools/plots.h"
#include "tools/study_points.h"

namespace nocsim::tools {

namespace {

// How far below the most accurate point the accuracy axis reaches before points go off the chart.
constexpr double kAccuracyWindowPoints = 15.0;

// Points at the same spot share one label ("fp16, bf16"); a label that would sit on a neighbour's
// (close in both axes, relative to the data's spread) goes under its point instead.
std::vector<PointLabel> place_labels(std::vector<PointLabel> in) {
  std::vector<PointLabel> out;
  for (const PointLabel& l : in) {
    auto same = std::find_if(out.begin(), out.end(), [&](const PointLabel& o) {
      return std::abs(o.x - l.x) < 1e-9 && std::abs(o.y - l.y) < 1e-9 * std::max(1.0, l.y);
    });
    if (same != out.end()) {
      same->text += ", " + l.text;
    } else {
      out.push_back(l);
    }
  }
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    x0 = i ? std::min(x0, out[i].x) : out[i].x;
    x1 = i ? std::max(x1, out[i].x) : out[i].x;
    y0 = i ? std::min(y0, out[i].y) : out[i].y;
    y1 = i ? std::max(y1, out[i].y) : out[i].y;
  }
  // Label boxes in data-spread units: a character is ~0.7% of the plot's width (which spans 1.2x
  // the data), a line ~4% of its height; "above" sits just over the point, "below" just under.
  const double sx = std::max(x1 - x0, 1e-9), sy = std::max(y1 - y0, 1e-9);
  struct Box {
    double x0, x1, y0, y1;
  };
  auto box = [&](const PointLabel& l, bool below) {
    const double x = (l.x - x0) / sx, y = (l.y - y0) / sy;
    const double w = 0.0085 * static_cast<double>(l.text.size());
    return below ? Box{x, x + w, y - 0.06, y - 0.015} : Box{x, x + w, y + 0.01, y + 0.055};
  };
  auto overlaps = [](const Box& a, const Box& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  };
  std::vector<Box> placed;
  for (PointLabel& l : out) {
    auto free_at = [&](bool below) {
      return std::none_of(placed.begin(), placed.end(),
                          [&](const Box& p) { return overlaps(p, box(l, below)); });
    };
    l.below = !free_at(false) && free_at(true);
    placed.push_back(box(l, l.below));
  }
  return out;
}

}  // namespace

std::string codec_family(const std::string& spec) {
  if (spec.empty()) return "identity";
  std::string family;
  std::stringstream ss(spec);
  std::string stage;
  while (std::getline(ss, stage, '+')) {
    const std::string name = stage.substr(0, stage.find(':'));
    family += (family.empty() ? "" : "+") + name;
  }
  return family;
}

std::vector<std::string> sweep_axes(const CsvTable& t) {
  std::vector<std::string> axes;
  if (!t.has("point") || t.rows() == 0) return axes;
  std::stringstream ss(t.at(0, "point"));
  for (std::string item; std::getline(ss, item, '|');)
    if (item.find('=') != std::string::npos) axes.push_back(item.substr(0, item.find('=')));
  return axes;
}

std::string axis_value(const CsvTable& t, size_t r, const std::string& axis) {
  if (!t.has("point")) return "";
  std::stringstream ss(t.at(r, "point"));
  for (std::string item; std::getline(ss, item, '|');)
    if (item.rfind(axis + "=", 0) == 0) return item.substr(axis.size() + 1);
  return "";
}

std::vector<Series> latency_vs_rate_series(const CsvTable& table,
                                           std::vector<std::string> group_by) {
  const std::vector<std::string> axes = sweep_axes(table);
  const bool replicas = std::find(axes.begin(), axes.end(), "sim.seed") != axes.end();
  if (group_by.empty()) {
    for (const auto& a : axes)
      if (a != "traffic.injection_rate" && a != "sim.seed") group_by.push_back(a);
  } else {
    for (const auto& g : group_by)
      if (std::find(axes.begin(), axes.end(), g) == axes.end()) {
        std::string valid;
        for (const auto& a : axes) valid += (valid.empty() ? "" : ", ") + a;
        throw UserError("--group-by: the results have no axis '" + g +
                        "'; axes: " + (valid.empty() ? "none (not a sweep)" : valid));
      }
  }
  std::map<std::string, std::map<double, std::vector<double>>> groups;
  for (size_t r = 0; r < table.rows(); ++r) {
    if (table.has("status") && table.at(r, "status") != "ok") continue;
    if (table.number(r, "noc.saturated").value_or(0) != 0) continue;
    const auto x = table.number(r, "noc.injection_rate");
    const auto y = table.number(r, "noc.packet_latency.mean");
    if (!x || !y) continue;
    std::string key;
    for (const auto& g : group_by)
      key += (key.empty() ? "" : ", ") + g + "=" + axis_value(table, r, g);
    if (group_by.empty()) key = table.at(r, "scenario");
    groups[key][*x].push_back(*y);
  }
  std::vector<Series> series;
  for (const auto& [key, by_x] : groups) {
    Series s{"nocsim " + key, {}};
    for (const auto& [x, ys] : by_x) {
      double mean = 0;
      for (double y : ys) mean += y / static_cast<double>(ys.size());
      s.points.emplace_back(x, mean);
      if (!replicas) continue;
      double var = 0;
      for (double y : ys) var += (y - mean) * (y - mean);
      s.y_error.push_back(ys.size() > 1 ? std::sqrt(var / static_cast<double>(ys.size() - 1)) : 0);
    }
    series.push_back(std::move(s));
  }
  return series;
}

std::string family_style(const std::string& family) {
  // Families that ship with nocsim keep their look across figures and studies; any other family
  // gets one picked by its name, so it too is stable.
  static const std::map<std::string, std::pair<const char*, int>> kKnown = {
      {"identity", {"#000000", 5}},
      {"fp16", {"#1f77b4", 7}},
      {"bf16", {"#17becf", 9}},
      {"truncate", {"#7f7f7f", 11}},
      {"quant", {"#d62728", 13}},
      {"kmeans", {"#9467bd", 15}},
      {"kmeans+huffman", {"#8c564b", 4}},
      {"prune", {"#e377c2", 6}},
      {"bfp", {"#2ca02c", 8}},
      {"huffman", {"#ff7f0e", 10}},
      {"quant+huffman", {"#bcbd22", 12}},
      {"prune+quant", {"#ff9896", 14}}};
  static const char* kSpare[] = {"#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
                                 "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363"};
  static const int kSpareMarkers[] = {1, 2, 3, 4, 6, 8, 10, 12, 14};
  const auto it = kKnown.find(family);
  if (it != kKnown.end())
    return std::string("lc rgb '") + it->second.first + "' pt " + std::to_string(it->second.second);
  const size_t h = std::hash<std::string>{}(family);
  return std::string("lc rgb '") + kSpare[h % std::size(kSpare)] + "' pt " +
         std::to_string(kSpareMarkers[(h / 10) % std::size(kSpareMarkers)]);
}

void plot_cost_vs_accuracy(const CsvTable& t, const std::string& metric, const std::string& out,
                           const FigureStyle& style, const std::vector<std::string>& group_by) {
  const bool latency = metric == "latency";
  const StudyCosts costs = study_costs(t);
  const std::string column = latency ? costs.latency_column : costs.energy_column;
  // One Pareto front per value of the grouping axes (default: every axis but the codec's and
  // the seed's); colour and marker follow the codec family, the same in every figure.
  std::vector<std::string> groups = group_by;
  if (groups.empty())
    for (const auto& axis : sweep_axes(t))
      if (!codec_axis(axis) && axis != "sim.seed") groups.push_back(axis);
  std::map<std::string, Series> families;
  std::map<std::string, std::vector<std::pair<double, double>>> by_group;
  std::vector<PointLabel> labels;
  for (size_t r = 0; r < t.rows(); ++r) {
    if (point_failed(t, r)) continue;
    const auto acc = t.number(r, "accelerator.accuracy");
    auto cost = t.number(r, column);
    if (!acc || !cost) continue;
    if (!latency) *cost /= 1e6;  // pJ -> uJ
    const std::string fam = codec_family(t.at(r, "accelerator.codec"));
    Series& s = families[fam];
    s.title = fam;
    s.style = "points " + family_style(fam) + " ps 1.6";
    s.points.emplace_back(*acc * 100.0, *cost);
    labels.push_back({*acc * 100.0, *cost, point_label(t, r)});
    std::string key;
    for (const auto& g : groups) key += (key.empty() ? "" : ", ") + g + "=" + axis_value(t, r, g);
    by_group[key].emplace_back(*acc * 100.0, *cost);
  }
  std::vector<Series> series;
  for (auto& [name, s] : families) series.push_back(std::move(s));
  int dash = 2;
  for (const auto& [key, points] : by_group)
    series.push_back({key.empty() ? "Pareto front" : "Pareto front [" + key + "]",
                      pareto_front(points),
                      "steps dt " + std::to_string(dash++) + " lc rgb '#444444'"});

  // A codec that wrecks accuracy (2-bit weights: ~20%) would squeeze every useful point into the
  // right edge; the axis spans kAccuracyWindowPoints below the best point and names the rest
  // underneath.
  PlotSpec spec{std::string(latency ? "Latency" : "Energy") + " per inference vs accuracy, " +
                    (costs.steady ? "steady state" : "cold start"),
                "test accuracy (%)",
                latency ? "latency per inference (cycles)" : "energy per inference (uJ)", false,
                "top left"};
  spec.style = style;
  double best = 0;
  for (const PointLabel& l : labels) best = std::max(best, l.x);
  const double floor = best - kAccuracyWindowPoints;
  std::string off;
  std::vector<PointLabel> shown;
  for (const PointLabel& l : labels) {
    if (l.x < floor) {
      off += (off.empty() ? "" : ", ") + l.text + " " + fixed(l.x, 1) + "%";
    } else {
      shown.push_back(l);
    }
  }
  spec.labels = place_labels(shown);
  double lo = best;
  for (const PointLabel& l : shown) lo = std::min(lo, l.x);
  // Room on the right for the labels of the most accurate points.
  const double span = std::max(best - lo, 1.0);
  spec.x_range = std::make_pair(lo - 0.05 * span, best + 0.15 * span);
  if (!off.empty())
    spec.footnote = "off the chart (accuracy below " + fixed(floor, 1) + "%): " + off;
  draw_xy(spec, series, out);
}

void plot_energy_breakdown(const CsvTable& t, const std::string& out, const FigureStyle& style) {
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"DRAM", "accelerator.energy.dram_pj"},       {"NoC", "accelerator.energy.noc_pj"},
      {"SRAM", "accelerator.energy.sram_pj"},       {"MAC", "accelerator.energy.mac_pj"},
      {"decoder", "accelerator.energy.decoder_pj"}, {"leakage", "accelerator.energy.leakage_pj"}};
  std::vector<Bar> bars;
  for (size_t r = 0; r < t.rows(); ++r) {
    if (point_failed(t, r)) continue;
    Bar b{point_label(t, r), {}};
    // The components cover the whole run; a bar is one inference's share (the mean over images).
    const double images = point_images(t, r);
    for (const auto& [name, col] : parts)
      b.parts.push_back(t.number(r, col).value_or(0) / 1e6 / images);
    bars.push_back(std::move(b));
  }
  std::vector<std::string> names;
  for (const auto& p : parts) names.push_back(p.first);
  PlotSpec spec{"Energy per inference by component (mean over each point's images)", "",
                "energy (uJ)", false, ""};
  spec.style = style;
  draw_stacked_bars(spec, names, bars, out);
}

void plot_link_heatmap(const std::string& json_path, int point, int k_x, const std::string& out,
                       const FigureStyle& style) {
  std::ifstream in(json_path);
  if (!in) throw UserError(json_path + ": cannot open file");
  std::string text, line, point_id;
  if (json_path.size() > 6 && json_path.substr(json_path.size() - 6) == ".jsonl") {
    const std::string key = "{\"point_index\":" + std::to_string(point) + ",";
    while (std::getline(in, line))
      if (line.rfind(key, 0) == 0) {
        google::protobuf::Struct row;
        if (google::protobuf::util::JsonStringToMessage(line, &row).ok() &&
            row.fields().count("point"))
          point_id = row.fields().at("point").string_value();
        const auto pos = line.find(",\"result\":");
        if (pos == std::string::npos)
          throw UserError(json_path + ": point " + std::to_string(point) +
                          " has no result (it failed; see its \"error\")");
        text = line.substr(pos + 10, line.size() - pos - 11);
      }
    if (text.empty())
      throw UserError(json_path + ": no point " + std::to_string(point) + " (use --point N)");
  } else {
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  config::RunResult result;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(text, &result, opts).ok())
    throw UserError(json_path + ": not a nocsim result");
  // A traffic run's links cover its measurement window; an accelerator run's the whole inference.
  const auto& loads =
      result.noc().links().empty() ? result.accelerator().links() : result.noc().links();
  uint32_t n = 0;
  for (const auto& l : loads) n = std::max({n, l.src() + 1, l.dst() + 1});
  if (n == 0) throw UserError(json_path + ": the result has no per-link utilization");
  if (k_x <= 0) {
    k_x = static_cast<int>(std::lround(std::sqrt(n)));
    if (static_cast<uint32_t>(k_x * k_x) != n)
      throw UserError(json_path + ": " + std::to_string(n) +
                      " routers is not a square mesh; give --k-x");
  }
  std::vector<LinkSegment> links;
  for (const auto& l : loads) {
    links.push_back({double(l.src() % k_x), double(l.src() / k_x), double(l.dst() % k_x),
                     double(l.dst() / k_x), l.utilization()});
  }
  // Which run and which load the colours are: the point, and the offered load or the inference.
  std::string what = point_id.empty() ? result.scenario() : "point " + point_id;
  if (!result.accelerator().codec().empty() && point_id.empty())
    what += ", codec " + result.accelerator().codec();
  what += result.noc().links().empty()
              ? std::string(", whole inference")
              : ", offered load " + fixed(result.noc().injection_rate(), 3) + " flits/node/cycle";
  PlotSpec spec{"Link utilization (" + what + ")", "x (router column)", "y (router row)", false,
                ""};
  spec.style = style;
  draw_link_heatmap(spec, links, out);
}

}  // namespace nocsim::tools
