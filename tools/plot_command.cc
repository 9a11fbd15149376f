// `nocsim plot`: redraws figures from a results file without rerunning anything.
#include <filesystem>
#include <map>
#include <ostream>

#include "configs/user_error.h"
#include "tools/command.h"
#include "tools/csv_table.h"
#include "tools/plots.h"

namespace nocsim::tools {
namespace {

class PlotCommand : public Command {
 public:
  std::string usage() const override {
    return "usage: nocsim plot RESULTS.csv [--kind latency-vs-rate] [--out FILE.png|.svg]\n"
           "                  [--reference CSV --reference-where col=value,...]\n"
           "  latency-vs-rate: mean packet latency against offered load, one series per scenario,\n"
           "  saturated points left out; --reference overlays e.g.\n"
           "  ../shared/reference/booksim/mesh_curves.csv filtered by --reference-where.\n";
  }

  int run(const std::vector<std::string>& args, std::ostream& out) override {
    std::string results, kind = "latency-vs-rate", out_path, reference, where;
    for (size_t i = 0; i < args.size(); ++i) {
      auto value = [&](const char* flag) {
        if (i + 1 >= args.size()) throw UserError(std::string(flag) + ": missing value");
        return args[++i];
      };
      if (args[i] == "--kind")
        kind = value("--kind");
      else if (args[i] == "--out")
        out_path = value("--out");
      else if (args[i] == "--reference")
        reference = value("--reference");
      else if (args[i] == "--reference-where")
        where = value("--reference-where");
      else if (!args[i].empty() && args[i][0] == '-')
        throw UserError("unknown option " + args[i]);
      else
        results = args[i];
    }
    if (results.empty()) throw UserError("plot: no results file given\n" + usage());
    if (out_path.empty())
      out_path = (std::filesystem::path(results).parent_path() / (kind + ".png")).string();
    if (kind != "latency-vs-rate")
      throw UserError("--kind: unknown plot kind '" + kind + "'; valid: latency-vs-rate");

    const CsvTable table = CsvTable::read(results);
    std::map<std::string, Series> by_scenario;
    for (size_t r = 0; r < table.rows(); ++r) {
      if (table.number(r, "noc.saturated").value_or(0) != 0) continue;
      const auto x = table.number(r, "noc.injection_rate");
      const auto y = table.number(r, "noc.packet_latency.mean");
      if (!x || !y) continue;
      Series& s = by_scenario[table.at(r, "scenario")];
      s.title = "nocsim " + table.at(r, "scenario");
      s.points.emplace_back(*x, *y);
    }
    std::vector<Series> series;
    for (auto& [name, s] : by_scenario) {
      std::sort(s.points.begin(), s.points.end());
      series.push_back(std::move(s));
    }
    if (!reference.empty()) {
      const CsvTable ref = CsvTable::read(reference);
      Series s{"BookSim2 reference" + (where.empty() ? "" : " (" + where + ")"),
               {},
               "points pt 6 ps 1.5"};
      for (size_t r : ref.where(parse_conditions(where))) {
        if (ref.number(r, "saturated").value_or(0) != 0) continue;
        s.points.emplace_back(*ref.number(r, "injection_rate_flits"),
                              *ref.number(r, "avg_packet_latency"));
      }
      std::sort(s.points.begin(), s.points.end());
      series.push_back(std::move(s));
    }
    draw_xy({"Packet latency vs offered load", "offered load (flits/node/cycle)",
             "mean packet latency (cycles)", false, "top left"},
            series, out_path);
    out << "wrote " << out_path << "\n";
    return 0;
  }
};

NOCSIM_REGISTER(command_registry(), PlotCommand, "plot",
                "redraw figures from a results file (latency vs load, ...)");

}  // namespace
}  // namespace nocsim::tools
