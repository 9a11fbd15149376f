// The markdown summary of a study (summary.md): one row per point, compared with the uncompressed
// point that shares its other axes, in the regime the points ran in (study_costs).
#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "tools/number_format.h"
#include "tools/study_points.h"
#include "tools/study_report.h"

namespace nocsim::tools {

namespace {

std::string signed_percent(double v) {
  return (v >= 0 ? "+" : "") + fixed(v, 1) + "%";
}

}  // namespace

std::string study_summary_markdown(const CsvTable& t) {
  const StudyCosts costs = study_costs(t);
  // The reference of each group of points sharing their other axes: its uncompressed (identity)
  // point. A study without any (a datapath narrower than fp32 refuses the identity codec) takes
  // each group's point with the most bits per weight instead, e.g. the 16-bit quantizer.
  bool any_identity = false;
  // (A failed identity point counts: its group says n/a rather than compare with another point.)
  for (size_t r = 0; r < t.rows(); ++r) any_identity |= uncompressed(t, r);
  std::map<std::string, size_t> base_of;
  for (size_t r = 0; r < t.rows(); ++r) {
    if (point_failed(t, r) || (any_identity && !uncompressed(t, r))) continue;
    auto [it, fresh] = base_of.emplace(non_codec_axes(t, r), r);
    const auto bits = [&](size_t row) {
      return t.number(row, "accelerator.bits_per_weight").value_or(0);
    };
    if (!fresh && !any_identity && bits(r) > bits(it->second)) it->second = r;
  }
  const bool all_identity = any_identity;
  std::vector<std::optional<size_t>> bases(t.rows());
  bool any_missing = false;
  for (size_t r = 0; r < t.rows(); ++r) {
    auto it = base_of.find(non_codec_axes(t, r));
    if (it != base_of.end()) bases[r] = it->second;
    any_missing |= !bases[r];
  }
  std::ostringstream md;
  md << "Regime: " << costs.regime << ".\n";
  if (!all_identity)
    md << "Reference (\"ref\") of each group: its point with the most bits per weight (no "
          "identity point).\n";
  md << "\n";
  const std::string vs = all_identity ? "vs fp32" : "vs ref";
  const std::string per = costs.steady ? "steady " : "";
  md << "| codec | bits/weight | " << per << "cycles/inference | " << vs << " | " << per
     << "energy/inference (uJ) | " << vs << " | " << (costs.steady ? "cold-start cycles | " : "")
     << "accuracy | accuracy change |\n"
     << "| --- | ---: | ---: | ---: | ---: | ---: | " << (costs.steady ? "---: | " : "")
     << "---: | ---: |\n";
  auto change = [&](size_t r, const std::string& col) -> std::string {
    if (!bases[r]) return "n/a";
    if (*bases[r] == r) return "ref";
    const double b = t.number(*bases[r], col).value_or(0), v = t.number(r, col).value_or(0);
    return b == 0 ? "n/a" : signed_percent(100.0 * (v - b) / b);
  };
  const std::string empty_cells = costs.steady ? " | | | | | | | |" : " | | | | | | |";
  for (size_t r = 0; r < t.rows(); ++r) {
    if (point_failed(t, r)) {
      std::string why = t.at(r, "error");
      std::replace(why.begin(), why.end(), '|', '/');
      md << "| " << point_label(t, r) << " | failed: " << why << empty_cells << "\n";
      continue;
    }
    // Random-weight and traffic-only models measure no accuracy: n/a, not 0%.
    const std::optional<double> acc = t.number(r, "accelerator.accuracy");
    std::string dacc = !bases[r] || !acc ? "n/a" : *bases[r] == r ? "ref" : "";
    if (dacc.empty()) {
      const auto base = t.number(*bases[r], "accelerator.accuracy");
      const double d = 100.0 * (*acc - base.value_or(0));
      dacc = !base ? "n/a" : (d >= 0 ? "+" : "") + fixed(d, 2) + " pp";
    }
    md << "| " << point_label(t, r) << " | "
       << fixed(t.number(r, "accelerator.bits_per_weight").value_or(0), 2) << " | "
       << fixed(t.number(r, costs.latency_column).value_or(0), 0) << " | "
       << change(r, costs.latency_column) << " | "
       << fixed(t.number(r, costs.energy_column).value_or(0) / 1e6, 2) << " | "
       << change(r, costs.energy_column) << " | ";
    if (costs.steady) md << t.at(r, "accelerator.cold.cycles") << " | ";
    md << (acc ? fixed(100.0 * *acc, 2) + "%" : "n/a") << " | " << dacc << " |\n";
  }
  if (any_missing) md << "\n(n/a: no point with the same other axes to compare with)\n";
  return md.str();
}

}  // namespace nocsim::tools
