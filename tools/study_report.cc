#include "tools/study_report.h"

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "configs/schema/result.pb.h"
#include "configs/user_error.h"
#include "tools/plots.h"

namespace nocsim::tools {

namespace {

// The label of a point: the sweep's variant/codec column when there is one, else the codec spec.
std::string point_label(const CsvTable& t, size_t r) {
  for (const char* col : {"codec", "variant"})
    if (t.has(col) && !t.at(r, col).empty()) return t.at(r, col);
  const std::string spec = t.at(r, "accelerator.codec");
  return spec.empty() ? "identity" : spec;
}

std::string fixed(double v, int digits) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << v;
  return o.str();
}

std::string signed_percent(double v) {
  return (v >= 0 ? "+" : "") + fixed(v, 1) + "%";
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

void plot_cost_vs_accuracy(const CsvTable& t, const std::string& metric, const std::string& out) {
  const bool latency = metric == "latency";
  const std::string column = latency ? "accelerator.cycles" : "accelerator.energy.total_pj";
  std::map<std::string, Series> families;
  std::vector<std::pair<double, double>> all;
  for (size_t r = 0; r < t.rows(); ++r) {
    const auto acc = t.number(r, "accelerator.accuracy");
    auto cost = t.number(r, column);
    if (!acc || !cost) continue;
    if (!latency) *cost /= 1e6;  // pJ -> uJ
    const std::string fam = codec_family(t.at(r, "accelerator.codec"));
    Series& s = families[fam];
    s.title = fam;
    s.style = "points pt 7 ps 1.6";
    s.points.emplace_back(*acc * 100.0, *cost);
    all.emplace_back(*acc * 100.0, *cost);
  }
  std::vector<Series> series;
  for (auto& [name, s] : families) series.push_back(std::move(s));
  series.push_back({"Pareto front", pareto_front(all), "steps dt 2 lc rgb '#444444'"});
  draw_xy({latency ? "Inference latency vs accuracy" : "Inference energy vs accuracy",
           "test accuracy (%)", latency ? "inference latency (cycles)" : "inference energy (uJ)",
           false, "top left"},
          series, out);
}

void plot_energy_breakdown(const CsvTable& t, const std::string& out) {
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"DRAM", "accelerator.energy.dram_pj"},       {"NoC", "accelerator.energy.noc_pj"},
      {"SRAM", "accelerator.energy.sram_pj"},       {"MAC", "accelerator.energy.mac_pj"},
      {"decoder", "accelerator.energy.decoder_pj"}, {"leakage", "accelerator.energy.leakage_pj"}};
  std::vector<Bar> bars;
  for (size_t r = 0; r < t.rows(); ++r) {
    Bar b{point_label(t, r), {}};
    for (const auto& [name, col] : parts) b.parts.push_back(t.number(r, col).value_or(0) / 1e6);
    bars.push_back(std::move(b));
  }
  std::vector<std::string> names;
  for (const auto& p : parts) names.push_back(p.first);
  draw_stacked_bars({"Energy per inference by component", "", "energy (uJ)", false, ""}, names,
                    bars, out);
}

void plot_link_heatmap(const std::string& json_path, int point, int k_x, const std::string& out) {
  std::ifstream in(json_path);
  if (!in) throw UserError(json_path + ": cannot open file");
  std::string text, line;
  if (json_path.size() > 6 && json_path.substr(json_path.size() - 6) == ".jsonl") {
    const std::string key = "{\"point_index\":" + std::to_string(point) + ",";
    while (std::getline(in, line))
      if (line.rfind(key, 0) == 0) {
        const auto pos = line.find("\"result\":");
        text = line.substr(pos + 9, line.size() - pos - 10);
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
  uint32_t n = 0;
  for (const auto& l : result.noc().links()) n = std::max({n, l.src() + 1, l.dst() + 1});
  if (n == 0) throw UserError(json_path + ": the result has no per-link utilization");
  if (k_x <= 0) {
    k_x = static_cast<int>(std::lround(std::sqrt(n)));
    if (static_cast<uint32_t>(k_x * k_x) != n)
      throw UserError(json_path + ": " + std::to_string(n) +
                      " routers is not a square mesh; give --k-x");
  }
  std::vector<LinkSegment> links;
  for (const auto& l : result.noc().links()) {
    links.push_back({double(l.src() % k_x), double(l.src() / k_x), double(l.dst() % k_x),
                     double(l.dst() / k_x), l.utilization()});
  }
  draw_link_heatmap({"Link utilization (" + result.scenario() + ")", "x (router column)",
                     "y (router row)", false, ""},
                    links, out);
}

std::string study_summary_markdown(const CsvTable& t) {
  // The uncompressed point is the reference for every change.
  std::optional<size_t> base;
  for (size_t r = 0; r < t.rows(); ++r) {
    const auto bpw = t.number(r, "accelerator.bits_per_weight");
    if (bpw && std::abs(*bpw - 32.0) < 1e-9 && !base) base = r;
  }
  std::ostringstream md;
  md << "| codec | bits/weight | latency (cycles) | latency vs fp32 | energy (uJ) | energy vs fp32 "
        "| accuracy | accuracy change |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  auto change = [&](size_t r, const std::string& col) -> std::string {
    if (!base) return "n/a";
    const double b = t.number(*base, col).value_or(0), v = t.number(r, col).value_or(0);
    return b == 0 ? "n/a" : signed_percent(100.0 * (v - b) / b);
  };
  for (size_t r = 0; r < t.rows(); ++r) {
    const double acc = t.number(r, "accelerator.accuracy").value_or(0) * 100.0;
    std::string dacc = "n/a";
    if (base) {
      const double d = acc - t.number(*base, "accelerator.accuracy").value_or(0) * 100.0;
      dacc = (d >= 0 ? "+" : "") + fixed(d, 2) + " pp";
    }
    md << "| " << point_label(t, r) << " | "
       << fixed(t.number(r, "accelerator.bits_per_weight").value_or(0), 2) << " | "
       << t.at(r, "accelerator.cycles") << " | " << change(r, "accelerator.cycles") << " | "
       << fixed(t.number(r, "accelerator.energy.total_pj").value_or(0) / 1e6, 2) << " | "
       << change(r, "accelerator.energy.total_pj") << " | " << fixed(acc, 2) << "% | " << dacc
       << " |\n";
  }
  if (!base) md << "\n(no uncompressed 32-bit point in these results: changes not computed)\n";
  return md.str();
}

}  // namespace nocsim::tools
