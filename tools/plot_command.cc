// `nocsim plot`: redraws figures from a results file without rerunning anything.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <ostream>

#include "configs/user_error.h"
#include "tools/command.h"
#include "tools/csv_table.h"
#include "tools/plots.h"
#include "tools/result_files.h"
#include "tools/scenario_loader.h"  // path_exists
#include "tools/study_report.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

const char* const kKinds =
    "all, latency-vs-rate, latency-vs-accuracy, energy-vs-accuracy, latency-vs-axis, "
    "energy-vs-axis, energy-breakdown, engine-ratios, link-heatmap, summary";

void plot_latency_vs_rate(const CsvTable& table, const std::string& reference,
                          const std::string& where, const std::string& out_path,
                          const FigureStyle& style, const std::vector<std::string>& group_by) {
  std::vector<Series> series = latency_vs_rate_series(table, group_by);
  const std::vector<std::string> axes = sweep_axes(table);
  const bool replicas = std::find(axes.begin(), axes.end(), "sim.seed") != axes.end();
  if (!reference.empty()) {
    const CsvTable ref = CsvTable::read(reference);
    Series s{
        "BookSim2 reference" + (where.empty() ? "" : " (" + where + ")"), {}, "points pt 6 ps 1.5"};
    for (size_t r : ref.where(parse_conditions(where))) {
      if (ref.number(r, "saturated").value_or(0) != 0) continue;
      s.points.emplace_back(*ref.number(r, "injection_rate_flits"),
                            *ref.number(r, "avg_packet_latency"));
    }
    std::sort(s.points.begin(), s.points.end());
    series.push_back(std::move(s));
  }
  PlotSpec spec{replicas ? "Packet latency vs offered load (mean and std. dev. over seeds; "
                           "saturated points left out)"
                         : "Packet latency vs offered load (saturated points left out)",
                "offered load (flits/node/cycle)", "mean packet latency (cycles)", false,
                "top left"};
  spec.style = style;
  draw_xy(spec, series, out_path);
}

// Accelerator results: some point simulated cycles.
bool is_study(const CsvTable& t) {
  if (!t.has("accelerator.cycles")) return false;
  for (size_t r = 0; r < t.rows(); ++r)
    if (t.number(r, "accelerator.cycles").value_or(0) > 0) return true;
  return false;
}

// Some point measured accuracy (random-weight and traffic-only models measure none).
bool has_accuracy(const CsvTable& t) {
  if (!t.has("accelerator.accuracy")) return false;
  for (size_t r = 0; r < t.rows(); ++r)
    if (t.number(r, "accelerator.accuracy")) return true;
  return false;
}

class PlotCommand : public Command {
 public:
  void define(CLI::App& app) override {
    app.add_option("results", results_,
                   "a sweep's results.csv (link-heatmap: a result .json or results.jsonl)")
        ->required();
    app.add_option("--kind", kind_, std::string("figure to draw: ") + kKinds)
        ->capture_default_str();
    app.add_option("--out", out_path_, "output file (one kind) or folder (all)");
    app.add_option("--reference", reference_, "reference curve CSV for latency-vs-rate");
    app.add_option("--reference-where", where_, "col=value,... rows of the reference to draw");
    app.add_option("--point", point_, "point index for link-heatmap")
        ->check(CLI::Range(0, std::numeric_limits<int>::max()));
    app.add_option("--k-x", k_x_, "routers per mesh row for link-heatmap (default: square)")
        ->check(CLI::Range(0, 1 << 16));
    app.add_option("--group-by", group_by_,
                   "axis whose values get a line / Pareto front each (repeatable; default: every "
                   "swept axis not on the plot)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--x", x_axis_,
                   "numeric sweep axis for latency/energy-vs-axis (default: the first one)");
    app.add_option("--format", format_, "file type of the figures `all` draws: png, svg, pdf, eps")
        ->capture_default_str()
        ->check(CLI::IsMember({"png", "svg", "pdf", "eps"}));
    app.add_option("--size", size_, "figure size WIDTHxHEIGHT in pixels (PDF/EPS: 100 per inch)")
        ->capture_default_str();
    app.add_option("--font-scale", style_.font_scale, "scale every font by F")
        ->capture_default_str()
        ->check(CLI::Range(0.25, 8.0));
    app.footer(
        "all (default) draws every figure that the results support into the results folder\n"
        "(or --out DIR), plus summary.md for accelerator studies. --reference overlays a\n"
        "reference curve on latency-vs-rate, e.g. configs/reference/booksim/mesh_curves.csv\n"
        "--reference-where mesh_k=8,traffic=uniform\n"
        "For a study with a numeric axis (e.g. accelerator.pe.weight_buffer_kib) `all` also\n"
        "draws latency_vs_<field> and energy_vs_<field>, one line per codec. For a study whose\n"
        "points ran more than one tile kind (accelerator.tile.kind) it draws engine_ratios and\n"
        "adds the engine table and the ratios of every pair of kinds to summary.md.\n");
  }

  int run(std::ostream& out) override {
    const std::string &results = results_, &kind = kind_, &out_path = out_path_,
                      &reference = reference_, &where = where_;
    const int point = point_, k_x = k_x_;
    FigureStyle style = style_;
    {
      const auto x = size_.find('x');
      int w = 0, h = 0;
      size_t used_w = 0, used_h = 0;
      try {
        w = std::stoi(size_.substr(0, x), &used_w);
        h = std::stoi(size_.substr(x + 1), &used_h);
      } catch (const std::exception&) {
        used_w = 0;
      }
      if (x == std::string::npos || used_w != x || used_h != size_.size() - x - 1 || w < 100 ||
          h < 100 || w > 20000 || h > 20000)
        throw UserError("--size: expected WIDTHxHEIGHT in pixels, each 100 to 20000, got '" +
                        size_ + "'");
      style.width = w;
      style.height = h;
    }
    const std::string kinds = kKinds;
    if (kind.empty() || kinds.find(kind) == std::string::npos ||
        kind.find(',') != std::string::npos)
      throw UserError("--kind: unknown plot kind '" + kind + "'; valid: " + kinds);
    const fs::path folder = fs::path(results).parent_path();
    auto target = [&](const std::string& name) {
      if (kind != "all" && !out_path.empty()) return out_path;
      return ((out_path.empty() ? folder : fs::path(out_path)) / name).string();
    };
    auto wrote = [&](const std::string& path) { out << "wrote " << path << "\n"; };

    if (kind == "link-heatmap") {
      const std::string path = target("link_heatmap." + format_);
      plot_link_heatmap(results, point, k_x, path, style);
      wrote(path);
      return 0;
    }
    const CsvTable table = CsvTable::read(results);
    const bool study = is_study(table);
    if (kind == "latency-vs-rate" || (kind == "all" && !study)) {
      const std::string path = target("latency_vs_rate." + format_);
      plot_latency_vs_rate(table, reference, where, path, style, group_by_);
      wrote(path);
    }
    if (kind != "all" && kind != "latency-vs-rate" && !study)
      throw UserError(results + ": no accelerator results (accuracy, cycles) to draw '" + kind +
                      "' from; run `nocsim run` / a study sweep first");
    const bool accuracy = has_accuracy(table);
    if ((kind == "latency-vs-accuracy" || kind == "energy-vs-accuracy") && !accuracy)
      throw UserError(results +
                      ": no point measured accuracy (random-weight or traffic-only "
                      "models), so there is no '" +
                      kind + "' to draw");
    if (kind == "latency-vs-accuracy" || (kind == "all" && study && accuracy)) {
      const std::string path = target("latency_vs_accuracy." + format_);
      plot_cost_vs_accuracy(table, "latency", path, style, group_by_);
      wrote(path);
    }
    if (kind == "energy-vs-accuracy" || (kind == "all" && study && accuracy)) {
      const std::string path = target("energy_vs_accuracy." + format_);
      plot_cost_vs_accuracy(table, "energy", path, style, group_by_);
      wrote(path);
    }
    for (const char* metric : {"latency", "energy"}) {
      const std::string axis_kind = std::string(metric) + "-vs-axis";
      if (kind != axis_kind && !(kind == "all" && study)) continue;
      std::vector<std::string> axes = numeric_axes(table);
      if (kind == axis_kind) {
        if (!x_axis_.empty()) axes = {x_axis_};
        if (axes.empty())
          throw UserError(results + ": no numeric sweep axis to draw '" + kind + "' against");
        axes.resize(1);
      }
      for (const std::string& axis : axes) {
        const std::string path =
            target(std::string(metric) + "_vs_" + axis.substr(axis.rfind('.') + 1) + "." + format_);
        plot_cost_vs_axis(table, axis, metric, path, style);
        wrote(path);
      }
    }
    if (kind == "energy-breakdown" || (kind == "all" && study)) {
      const std::string path = target("energy_breakdown." + format_);
      plot_energy_breakdown(table, path, style);
      wrote(path);
    }
    const bool engines = study && compares_engines(table);
    if (kind == "engine-ratios" || (kind == "all" && engines)) {
      const std::string path = target("engine_ratios." + format_);
      plot_engine_ratios(table, path, style);
      wrote(path);
    }
    if (kind == "summary" || (kind == "all" && study)) {
      const std::string path = target("summary.md");
      std::string md = "# Study summary\n\n" + study_summary_markdown(table);
      if (engines) {
        // The per-layer tile cycles, when the sweep wrote them, give the load imbalance.
        const fs::path layers_csv = fs::path(results).replace_filename("layers.csv");
        std::optional<CsvTable> layers;
        if (path_exists(layers_csv)) layers = CsvTable::read(layers_csv.string());
        md += "\n" + engine_comparison_markdown(table, layers ? &*layers : nullptr);
      }
      write_file_atomic(path, md);
      wrote(path);
    }
    if (kind == "all") {
      // The link heatmap of the first point, when the run recorded per-link loads.
      const fs::path jsonl = fs::path(results).replace_extension(".jsonl");
      if (path_exists(jsonl)) {
        try {
          const std::string path = target("link_heatmap." + format_);
          plot_link_heatmap(jsonl.string(), 0, k_x, path, style);
          wrote(path);
        } catch (const UserError& e) {
          out << "(no link heatmap: " << e.what() << ")\n";
        }
      }
    }
    return 0;
  }

 private:
  std::string results_, kind_ = "all", out_path_, reference_, where_, x_axis_;
  int point_ = 0, k_x_ = 0;
  std::vector<std::string> group_by_;
  std::string size_ = "1000x700", format_ = "png";
  FigureStyle style_;
};

NOCSIM_REGISTER(command_registry(), PlotCommand, "plot",
                "redraw figures from results (latency vs load/accuracy, energy, link heatmap)");

}  // namespace
}  // namespace nocsim::tools
